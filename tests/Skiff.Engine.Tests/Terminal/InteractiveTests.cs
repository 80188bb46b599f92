namespace Skiff.Engine.Tests.Terminal;

/// <summary>Interactive use through a real pseudo-terminal: `run -it` into busybox sh (type, read, exit with a code),
/// `attach` to a `-dit` container and detach with ctrl-p ctrl-q (it keeps running), `run -i` with piped stdin.</summary>
public sealed class InteractiveTests : IClassFixture<EngineRoot>
{
    readonly EngineRoot _e;
    public InteractiveTests(EngineRoot e) => _e = e;

    static string Status(System.Text.Json.JsonElement j) => j.GetProperty("State").GetProperty("Status").GetString()!;

    [Fact]
    public void Run_it_types_into_sh_reads_its_output_and_exits_with_its_code()
    {
        var cid = Path.Combine(_e.DataRoot, "it.cid");
        using var t = PtySession.Start(_e, "run", "-it", "--rm", "--cidfile", cid, EngineRoot.Image, "sh");
        t.Expect("# ");
        int mark = t.Seen.Length;
        t.Type("echo sum=$((6*7)); stty size\r");
        t.Expect("sum=42", mark);
        t.Expect("24 80", mark); // our terminal's size reached the container's
        // ctrl-c reaches the container's terminal (raw mode): it interrupts cat, not skiff.
        mark = t.Seen.Length;
        t.Type("cat\r");
        // Until cat runs a line typed may still reach the shell; once it does, a line comes back twice (the
        // terminal's echo, then cat's copy).
        var until = DateTime.UtcNow.AddSeconds(60);
        do
        {
            Assert.True(DateTime.UtcNow < until, "cat never echoed a line:\n" + t.Seen);
            t.Type("ping\r");
        } while (!t.TryExpect("ping\r\nping\r\n", mark, 1000));
        mark = t.Seen.Length;
        t.Type(0x03);
        t.Expect("# ", mark); // the shell's next prompt: cat was interrupted (typing before it could be flushed)
        mark = t.Seen.Length;
        t.Type("echo after-$((1+2))\r");
        t.Expect("after-3", mark);
        mark = t.Seen.Length;
        t.Type("tty; exit 3\r");
        Assert.Equal(3, t.WaitExit());
        Assert.Contains("/dev/pts/0", t.Seen[mark..]);
        var id = File.ReadAllText(cid).Trim();
        Assert.Empty(_e.Traces(id));
    }

    [Fact]
    public void Attach_to_a_dit_container_types_and_detaches_with_ctrl_p_ctrl_q()
    {
        var id = _e.Ok("run", "-dit", "--name", "lifecycle-attach", EngineRoot.Image, "sh").Trim();
        try
        {
            using (var t = PtySession.Start(_e, "attach", "lifecycle-attach"))
            {
                t.Type("echo attached-$((40+2))\r");
                t.Expect("attached-42");
                t.Type(0x10, 0x11); // ctrl-p ctrl-q
                Assert.Equal(1, t.WaitExit()); // docker's attach: "read escape sequence", exit 1
                Assert.Contains("read escape sequence", t.Seen);
            }
            Assert.Equal("running", Status(_e.Inspect(id)));

            // Attach again: the same shell is there and still takes input; a custom sequence detaches too.
            using (var t = PtySession.Start(_e, "attach", "--detach-keys", "ctrl-x,y", "lifecycle-attach"))
            {
                t.Type("echo again-$((1+1))\r");
                t.Expect("again-2");
                t.Type(0x18); t.Type("y");
                Assert.Equal(1, t.WaitExit());
            }
            Assert.Equal("running", Status(_e.Inspect(id)));

            // Typing exit ends the container and the attach with its code.
            using (var t = PtySession.Start(_e, "attach", "lifecycle-attach"))
            {
                t.Type("echo bye\r");
                t.Expect("bye");
                t.Type("exit 4\r");
                Assert.Equal(4, t.WaitExit());
            }
            Assert.Equal("exited", Status(_e.Inspect(id)));
        }
        finally { _e.Run("rm", "-f", id); }
    }

    [Fact]
    public void Run_it_detach_leaves_the_container_running_and_rm_removes_it_when_it_exits()
    {
        var cid = Path.Combine(_e.DataRoot, "it-detach.cid");
        using var t = PtySession.Start(_e, "run", "-it", "--rm", "--cidfile", cid, EngineRoot.Image, "sh");
        t.Expect("# ");
        t.Type(0x10, 0x11);
        Assert.Equal(0, t.WaitExit()); // docker's run: a quiet detach
        var id = File.ReadAllText(cid).Trim();
        Assert.Equal("running", Status(_e.Inspect(id)));
        _e.Ok("stop", "-t", "1", id);
        Assert.Equal(1, _e.Run("inspect", "--type", "container", id).Exit);
        Assert.Empty(_e.Traces(id));
    }

    [Fact]
    public void Run_i_without_a_terminal_pipes_stdin()
    {
        var r = _e.RunWithInput("hi\nthere\n", "run", "-i", "--rm", EngineRoot.Image, "cat");
        Assert.Equal(0, r.Exit);
        Assert.Equal("hi\nthere\n", r.Out);
        Assert.Equal("", r.Err);

        var big = string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n"));
        r = _e.RunWithInput(big, "run", "-i", "--rm", EngineRoot.Image, "wc", "-l");
        Assert.Equal(0, r.Exit);
        Assert.Equal("20000", r.Out.Trim());

        r = _e.RunWithInput("exit 6\n", "run", "-i", "--rm", EngineRoot.Image, "sh");
        Assert.Equal(6, r.Exit);
    }
}
