using System.Text;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Tests.Shims;

[Collection("shim")]
public class ShimAttachTests
{
    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void Attach_gets_framed_output_and_stdin_reaches_the_container(string runtime)
    {
        using var c = ShimContainer.Shell(runtime, "while read x; do echo \"out:$x\"; echo \"err:$x\" >&2; done; echo bye");
        c.Config.OpenStdin = true;
        c.Config.StdinOnce = true;
        c.Start();
        using var a = c.Client.Attach(new AttachRequest { Stdin = true, Stdout = true, Stderr = true });
        a.Stream.Write("one\n"u8);
        var got = new Dictionary<byte, StringBuilder> { [1] = new(), [2] = new() };
        while (!got[2].ToString().Contains("err:one\n"))
        {
            var f = a.ReadFrame() ?? throw new InvalidOperationException("attach ended early");
            got[f.Stream].Append(Encoding.UTF8.GetString(f.Data));
        }
        Assert.Equal("out:one\n", got[1].ToString());
        // Half-closing the only stdin client closes the container's stdin (StdinOnce): `read` sees EOF.
        a.CloseInput();
        while (a.ReadFrame() is { } f) got[f.Stream].Append(Encoding.UTF8.GetString(f.Data));
        Assert.Equal("out:one\nbye\n", got[1].ToString());
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);
        Assert.Contains(c.LogEntries(), e => e.Log == "err:one\n" && e.Stream == "stderr");
    }

    [Fact]
    public void Without_stdin_once_a_detaching_client_leaves_stdin_open_until_close_stdin()
    {
        using var c = ShimContainer.Shell("oar", "while read x; do echo \"got:$x\"; done; echo eof");
        c.Config.OpenStdin = true;
        c.Start();
        using (var a = c.Client.Attach(new AttachRequest { Stdin = true, Stdout = true }))
        {
            a.Stream.Write("first\n"u8);
            var f = a.ReadFrame();
            Assert.Equal("got:first\n", Encoding.UTF8.GetString(f!.Value.Data));
        }
        using (var b = c.Client.Attach(new AttachRequest { Stdin = true, Stdout = true }))
        {
            b.Stream.Write("second\n"u8);
            Assert.Equal("got:second\n", Encoding.UTF8.GetString(b.ReadFrame()!.Value.Data));
            c.Client.CloseStdin();
            Assert.Equal("eof\n", Encoding.UTF8.GetString(b.ReadFrame()!.Value.Data));
            Assert.Null(b.ReadFrame());
        }
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);
    }

    [Fact]
    public void Stdout_only_clients_get_no_stderr()
    {
        using var c = ShimContainer.Shell("oar", "read x; echo to-err >&2; echo to-out");
        c.Config.OpenStdin = true;
        c.Start();
        using var a = c.Client.Attach(new AttachRequest { Stdin = true, Stdout = true, Stderr = false });
        a.Stream.Write("go\n"u8);
        var frames = new List<(byte, byte[])>();
        while (a.ReadFrame() is { } f) frames.Add(f);
        var only = Assert.Single(frames);
        Assert.Equal(StdStream.Stdout, only.Item1);
        Assert.Equal("to-out\n", Encoding.UTF8.GetString(only.Item2));
    }

    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void A_terminal_container_works_through_attach_and_resize_changes_the_pty_size(string runtime)
    {
        using var c = ShimContainer.Shell(runtime, "stty size; read x; stty size; echo got:$x");
        c.Config.Terminal = true;
        c.Config.OpenStdin = true;
        c.Config.ConsoleRows = 24;
        c.Config.ConsoleCols = 80;
        c.Start();
        using var a = c.Client.Attach(new AttachRequest { Stdin = true, Stdout = true, Stderr = true });
        Wait.Until(() => c.LogEntries().Any(e => e.Log.Contains("24 80")), 30_000, "the first stty size in the log");
        c.Client.Resize(40, 100);
        a.Stream.Write("hi\r"u8);
        var output = new StringBuilder();
        var buf = new byte[4096];
        int n;
        while ((n = a.Stream.Read(buf)) > 0) output.Append(Encoding.UTF8.GetString(buf, 0, n)); // raw: no frames on a tty
        Assert.Contains("40 100\r\n", output.ToString());
        Assert.Contains("got:hi\r\n", output.ToString());
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);
        Assert.All(c.LogEntries(), e => Assert.Equal("stdout", e.Stream));
    }

    [Fact]
    public void Resize_without_a_terminal_is_refused()
    {
        using var c = new ShimContainer("oar", "/bin/sleep", "1000");
        c.Start();
        var e = Assert.Throws<InvalidOperationException>(() => c.Client.Resize(10, 10));
        Assert.Contains("no terminal", e.Message);
    }
}
