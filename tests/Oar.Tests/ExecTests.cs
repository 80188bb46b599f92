using Oar.Tests.Fixtures;
using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>`oar exec`: a new process inside a running container, in all its namespaces and its cgroup.</summary>
public sealed class ExecTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    readonly Bundle bundle = Bundle.Busybox("sleep", "300");
    readonly string id;

    public ExecTests()
    {
        id = oar.NewId();
        bundle.Spec.Linux!.Namespaces!.Add(new NamespaceSpec { Type = "user" });
        bundle.Spec.Linux.UidMappings = [new IdMapping { ContainerId = 0, HostId = 0, Size = 65536 }];
        bundle.Spec.Linux.GidMappings = [new IdMapping { ContainerId = 0, HostId = 0, Size = 65536 }];
        bundle.Spec.Hostname = "exec-box";
        var r = oar.Run(bundle, id, "--detach");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public void Dispose() { oar.Dispose(); bundle.Dispose(); }

    [Fact]
    public void ExecJoinsEveryNamespaceAndTheCgroup()
    {
        int init = oar.PidOf(id);
        var r = oar.Exec("exec", id, "sh", "-c", "for n in user pid net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done; hostname; echo $$; cat /proc/1/cmdline");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        string[] names = ["user", "pid", "net", "ipc", "uts", "mnt", "cgroup"];
        for (int i = 0; i < names.Length; i++)
            Assert.Equal(new FileInfo($"/proc/{init}/ns/{names[i]}").LinkTarget, lines[i]);
        Assert.Equal("exec-box", lines[7]);
        Assert.NotEqual("1", lines[8]);
        Assert.StartsWith("sleep", lines[9]);
    }

    [Fact]
    public void ExecOverridesEnvUserAndCwd()
    {
        var r = oar.Exec("exec", "--env", "FOO=bar", "-e", "BAZ=qux", "--user", "1000:1000", "--additional-gids", "10", "--cwd", "/tmp", id, "sh", "-c", "echo $FOO $BAZ; id; pwd");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("bar qux\nuid=1000(user) gid=1000(user) groups=10\n/tmp\n", r.Stdout);
    }

    [Fact]
    public void ExecReturnsTheExitCodeAndReportsMissingPrograms()
    {
        Assert.Equal(5, oar.Exec("exec", id, "sh", "-c", "exit 5").ExitCode);
        var missing = oar.Exec("exec", id, "/no/such/thing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/no/such/thing", missing.Stderr);
    }

    [Fact]
    public void ExecWithProcessFile()
    {
        var file = Path.Combine(bundle.Dir, "process.json");
        File.WriteAllText(file, """{"args":["sh","-c","echo from-file $X"],"env":["X=1","PATH=/bin"],"cwd":"/","user":{"uid":0,"gid":0}}""");
        var r = oar.Exec("exec", "--process", file, id);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("from-file 1\n", r.Stdout);
    }

    [Fact]
    public void DetachedExecWritesItsPid()
    {
        var pidFile = Path.Combine(bundle.Dir, "exec.pid");
        var r = oar.Exec("exec", "--detach", "--pid-file", pidFile, id, "sleep", "30");
        Assert.True(r.ExitCode == 0, r.ToString());
        int pid = int.Parse(File.ReadAllText(pidFile));
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"));
        Assert.Equal(new FileInfo($"/proc/{oar.PidOf(id)}/ns/pid").LinkTarget, new FileInfo($"/proc/{pid}/ns/pid").LinkTarget);
    }

    [Fact]
    public void ExecIntoAStoppedContainerIsRefused()
    {
        Assert.Equal(0, oar.Exec("kill", id, "KILL").ExitCode);
        Assert.True(LifecycleTests.SpinUntil(() => oar.StatusOf(id) == "stopped"));
        var r = oar.Exec("exec", id, "true");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("stopped", r.Stderr);
        Assert.Equal(1, oar.Exec("exec", "missing-container", "true").ExitCode);
    }
}

/// <summary>process.terminal: the pty master reaches the console socket as runc sends it.</summary>
public sealed class TerminalTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    [Fact]
    public void ConsoleSocketReceivesTheMasterWithThePtyName()
    {
        using var b = Bundle.Shell("tty; stty size; echo done");
        b.Spec.Process!.Terminal = true;
        b.Spec.Process.ConsoleSize = new ConsoleSize { Height = 40, Width = 120 };
        var sockPath = Path.Combine(b.Dir, "console.sock");
        using var listener = Sockets.ListenUnix(sockPath);
        var id = oar.NewId();
        string? name = null;
        Fd master = Fd.None;
        var accept = new Thread(() =>
        {
            using var conn = Sockets.Accept(listener.Value);
            var buf = new byte[256];
            int n = Sockets.ReceiveFd(conn.Value, buf, out master);
            name = System.Text.Encoding.UTF8.GetString(buf, 0, n);
        });
        accept.Start();
        var c = oar.Create(b, id, "--console-socket", sockPath);
        Assert.True(c.ExitCode == 0, c.ToString());
        Assert.True(accept.Join(TimeSpan.FromSeconds(10)));
        Assert.Matches("^/dev/pts/[0-9]+$", name);
        Assert.True(master.IsValid);
        using (master)
        {
            Assert.Equal(0, oar.Exec("start", id).ExitCode);
            var output = new System.Text.StringBuilder();
            var buf = new byte[4096];
            while (!output.ToString().Contains("done") && Poll.Readable(master.Value, 10000))
            {
                int n;
                try { n = Files.Read(master.Value, buf); } catch (LinuxException) { break; }
                if (n == 0) break;
                output.Append(System.Text.Encoding.UTF8.GetString(buf, 0, n));
            }
            Assert.Contains(name + "\r\n", output.ToString());
            Assert.Contains("40 120\r\n", output.ToString());
        }
    }

    [Fact]
    public void TerminalWithoutConsoleSocketIsRefusedForCreate()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Process!.Terminal = true;
        var r = oar.Create(b, oar.NewId());
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("console-socket", r.Stderr);
    }

    [Fact]
    public void ForegroundRunWithTerminalProxiesThePty()
    {
        using var b = Bundle.Shell("tty; read line; echo got:$line; exit 4");
        b.Spec.Process!.Terminal = true;
        b.Write();
        // script(1) gives oar a real terminal, as a user's shell would.
        var psi = new System.Diagnostics.ProcessStartInfo("script", ["-qec", $"{OarBinary.Path} --root {oar.Root} run --bundle {b.Dir} {oar.NewId()}", "/dev/null"])
        { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var r = Runtime.RunProcess(psi, "hello\n", TimeSpan.FromSeconds(60));
        Assert.Equal(4, r.ExitCode);
        Assert.Matches("/dev/pts/[0-9]+", r.Stdout);
        Assert.Contains("got:hello", r.Stdout);
    }
}
