using System.Text.RegularExpressions;

namespace Skiff.Engine.Tests.Shims;

[Collection("shim")]
public class ShimLogTests
{
    static readonly Regex Rfc3339Nano = new(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$");

    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void Output_reaches_the_log_in_docker_json_file_format(string runtime)
    {
        using var c = ShimContainer.Shell(runtime, "echo hello; echo oops >&2; printf 'a<b>&\\t\"q\"\\\\\\r\\n'; printf 'no newline'");
        var started = c.Start();
        Assert.True(started.ContainerPid > 0);
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);

        var lines = c.LogLines();
        Assert.Equal(4, lines.Length);
        // Byte-exact as moby's jsonlog writes them (escapes included); only the times vary.
        var shapes = lines.Select(l => Regex.Replace(l, "\"time\":\"[^\"]*\"", "\"time\":T")).ToList();
        Assert.Contains("{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":T}", shapes);
        Assert.Contains("{\"log\":\"oops\\n\",\"stream\":\"stderr\",\"time\":T}", shapes);
        Assert.Contains("{\"log\":\"a\\u003cb\\u003e\\u0026\\u0009\\\"q\\\"\\\\\\r\\n\",\"stream\":\"stdout\",\"time\":T}", shapes);
        Assert.Equal("{\"log\":\"no newline\",\"stream\":\"stdout\",\"time\":T}", shapes[^1]);
        foreach (var e in c.LogEntries()) Assert.Matches(Rfc3339Nano, e.Time);
    }

    [Fact]
    public void A_long_line_is_split_into_16K_partial_messages_sharing_one_time()
    {
        using var c = ShimContainer.Shell("oar", "head -c 40000 /dev/zero | tr '\\0' x; echo; echo next");
        c.Start();
        c.WaitForFinalExit();
        var e = c.LogEntries();
        Assert.Equal(4, e.Count);
        Assert.Equal(new string('x', 16384), e[0].Log);
        Assert.Equal(new string('x', 16384), e[1].Log);
        Assert.Equal(new string('x', 40000 - 2 * 16384) + "\n", e[2].Log);
        Assert.Equal(e[0].Time, e[1].Time);
        Assert.Equal(e[0].Time, e[2].Time);
        Assert.Equal("next\n", e[3].Log);
    }

    [Fact]
    public void Invalid_utf8_and_line_separators_are_escaped_as_moby_does()
    {
        using var c = ShimContainer.Shell("oar", "printf '\\303\\251 \\377 \\342\\200\\250 \\342\\202\\n'");
        c.Start();
        c.WaitForFinalExit();
        var line = Assert.Single(c.LogLines());
        Assert.StartsWith("{\"log\":\"é \\ufffd \\u2028 \\ufffd\\ufffd\\n\"", line);
    }

    [Fact]
    public void The_log_rotates_at_max_size_keeping_max_files()
    {
        using var c = ShimContainer.Shell("oar", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done");
        c.Config.LogMaxSize = 2000;
        c.Config.LogMaxFiles = 3;
        c.Start();
        c.WaitForFinalExit();
        var log = c.Config.LogPath;
        Assert.True(File.Exists(log + ".1"));
        Assert.True(File.Exists(log + ".2"));
        Assert.False(File.Exists(log + ".3"));
        // Each file is cut once it holds max-size bytes: at most one message beyond it.
        foreach (var f in new[] { log, log + ".1", log + ".2" }) Assert.InRange(new FileInfo(f).Length, 1, 2000 + 100);
        Assert.InRange(new FileInfo(log + ".1").Length, 2000, 2100);
        // Oldest to newest, the kept messages are one unbroken run ending with the last line.
        var kept = c.LogEntries(log + ".2").Concat(c.LogEntries(log + ".1")).Concat(c.LogEntries(log)).Select(e => int.Parse(e.Log.Trim()[5..])).ToList();
        Assert.Equal(299, kept[^1]);
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept);
    }

    [Fact]
    public void Max_file_1_truncates_instead_of_keeping_a_rotation()
    {
        using var c = ShimContainer.Shell("oar", "i=0; while [ $i -lt 100 ]; do echo line-$i; i=$((i+1)); done");
        c.Config.LogMaxSize = 1000;
        c.Config.LogMaxFiles = 1;
        c.Start();
        c.WaitForFinalExit();
        Assert.False(File.Exists(c.Config.LogPath + ".1"));
        Assert.InRange(new FileInfo(c.Config.LogPath).Length, 1, 1100);
        Assert.Equal("line-99\n", c.LogEntries()[^1].Log);
    }

    [Fact]
    public void Log_driver_none_writes_no_file()
    {
        using var c = ShimContainer.Shell("oar", "echo hello");
        c.Config.LogDriver = "none";
        c.Start();
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);
        Assert.False(File.Exists(c.Config.LogPath));
    }
}
