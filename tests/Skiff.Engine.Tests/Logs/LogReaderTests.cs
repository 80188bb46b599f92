using Skiff.Engine.Logs;
using Skiff.Engine.Time;
using static Skiff.Engine.Tests.Logs.LogFixture;

namespace Skiff.Engine.Tests.Logs;

public sealed class LogReaderTests : IDisposable
{
    readonly TempRoot _root = new("logs");
    readonly string _log;

    public LogReaderTests() => _log = Path.Combine(_root.Path, "abc-json.log");
    public void Dispose() => _root.Dispose();

    List<LogEntry> Read(LogOptions o)
    {
        var got = new List<LogEntry>();
        new LogReader(_log).Read(o, got.Add);
        return got;
    }

    void WriteRotated()
    {
        // Oldest in .2, then .1, then the live file.
        File.WriteAllText(_log + ".2", Line("one\n", "stdout", T(1)) + Line("two\n", "stderr", T(2)));
        File.WriteAllText(_log + ".1", Line("three\n", "stdout", T(3)));
        File.WriteAllText(_log, Line("four\n", "stdout", T(4)) + Line("five\n", "stderr", T(5, 500)));
    }

    [Fact]
    public void Reads_rotations_oldest_first_with_streams()
    {
        WriteRotated();
        var got = Read(new LogOptions());
        Assert.Equal(["one\n", "two\n", "three\n", "four\n", "five\n"], got.Select(e => e.Text));
        Assert.Equal(["stdout", "stderr", "stdout", "stdout", "stderr"], got.Select(e => e.Stream));
        Assert.Equal(T(5, 500), got[^1].Time);
    }

    [Fact]
    public void Tail_counts_records_across_files()
    {
        WriteRotated();
        Assert.Equal(["three\n", "four\n", "five\n"], Read(new LogOptions { Tail = 3 }).Select(e => e.Text));
        Assert.Empty(Read(new LogOptions { Tail = 0 }));
        Assert.Equal(5, Read(new LogOptions { Tail = 100 }).Count);
    }

    [Fact]
    public void Since_and_until_select_by_record_time()
    {
        WriteRotated();
        Assert.Equal(["two\n", "three\n", "four\n"],
            Read(new LogOptions { Since = T(2), Until = T(4) }).Select(e => e.Text));
        Assert.Equal(["five\n"], Read(new LogOptions { Since = T(4, 1) }).Select(e => e.Text));
    }

    [Fact]
    public void Partial_records_are_joined_and_keep_the_first_time()
    {
        var big = new string('x', 16384);
        File.WriteAllText(_log, Line(big, "stdout", T(1)) + Line("err\n", "stderr", T(2)) + Line(big, "stdout", T(3))
                                + Line("end\n", "stdout", T(4)) + Line("no newline", "stdout", T(5)));
        var got = Read(new LogOptions());
        Assert.Equal(3, got.Count);
        Assert.Equal("err\n", got[0].Text);
        Assert.Equal(big + big + "end\n", got[1].Text);
        Assert.Equal(T(1), got[1].Time);
        Assert.Equal("no newline", got[2].Text);
        Assert.Equal(2, Read(new LogOptions { Tail = 2 }).Count);
    }

    [Fact]
    public void Skips_a_torn_last_line_and_corrupt_lines()
    {
        File.WriteAllText(_log, Line("ok\n", "stdout", T(1)) + "{not json}\n" + "{\"log\":\"half");
        Assert.Equal(["ok\n"], Read(new LogOptions()).Select(e => e.Text));
    }

    [Fact]
    public void Unicode_and_escapes_survive()
    {
        File.WriteAllText(_log, "{\"log\":\"caf\\u00e9 \\u003cb\\u003e \\\"q\\\" \\t\\n\",\"stream\":\"stdout\",\"time\":\"2023-11-14T22:13:21.000000001Z\"}\n");
        var e = Assert.Single(Read(new LogOptions()));
        Assert.Equal("café <b> \"q\" \t\n", e.Text);
        Assert.Equal(new Timestamp(1700000001, 1), e.Time);
    }

    [Fact]
    public void Follow_reads_across_rotation_until_the_container_exits()
    {
        File.WriteAllText(_log, Line("a\n", "stdout", T(1)));
        var got = new List<string>();
        bool running = true;
        var seenA = new ManualResetEventSlim();
        var reader = new Thread(() => new LogReader(_log).Read(new LogOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(20) },
            e => { lock (got) got.Add(e.Text); if (e.Text == "a\n") seenA.Set(); }, () => Volatile.Read(ref running)));
        reader.Start();
        Assert.True(seenA.Wait(TimeSpan.FromSeconds(30)));
        // The shim's rotation: append to the live file, rename it to .1, start a new file.
        File.AppendAllText(_log, Line("b\n", "stdout", T(2)));
        File.Move(_log, _log + ".1");
        File.WriteAllText(_log, Line("c\n", "stderr", T(3)));
        File.AppendAllText(_log, Line("d\n", "stdout", T(4)));
        Volatile.Write(ref running, false);
        Assert.True(reader.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(["a\n", "b\n", "c\n", "d\n"], got);
    }

    [Fact]
    public void Follow_with_tail_starts_from_the_last_records()
    {
        WriteRotated();
        var got = new List<string>();
        new LogReader(_log).Read(new LogOptions { Follow = true, Tail = 1 }, e => got.Add(e.Text), () => false);
        Assert.Equal(["five\n"], got);
    }
}
