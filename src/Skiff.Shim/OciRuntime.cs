using System.Globalization;
using System.Text;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// Runs the OCI runtime binary (oar, runc, crun, runsc: anything with runc's command line) for one container:
/// <c>&lt;runtime&gt; --root R --log &lt;bundle&gt;/log.json --log-format json [args] verb …</c>. The runtime's
/// JSON log is how runc-style runtimes report errors (containerd reads the same file).
/// </summary>
sealed class OciRuntime(ShimConfig config)
{
    readonly string logPath = Path.Combine(config.BundlePath, "log.json");

    public string PidFile => Path.Combine(config.BundlePath, "init.pid");

    List<string> Argv(string verb, params string[] rest)
    {
        var a = new List<string> { config.RuntimePath, "--root", config.RuntimeRoot, "--log", logPath, "--log-format", "json" };
        a.AddRange(config.RuntimeArgs);
        a.Add(verb);
        a.AddRange(rest);
        return a;
    }

    /// <summary><c>create</c> with <paramref name="stdio"/> as the container's fds 0–2 (non-terminal), or with a
    /// console socket whose pty master is handed to <paramref name="console"/> (terminal).</summary>
    public RuntimeResult Create(ContainerStdio stdio, ConsoleSocket? console)
    {
        TryDelete(PidFile);
        var args = console is null
            ? Argv("create", "--bundle", config.BundlePath, "--pid-file", PidFile, config.Id)
            : Argv("create", "--bundle", config.BundlePath, "--pid-file", PidFile, "--console-socket", console.Path, config.Id);
        if (console is null)
        {
            var r = Execute(args, stdio.ChildStdin, stdio.ChildStdout, stdio.ChildStderr, capture: false, console: null);
            // A runc-style runtime prints to its stderr, which is the container's stderr pipe here.
            if (!r.Ok && r.Error.Length == 0) r = r with { Error = stdio.DrainStderr() };
            return r;
        }
        return Execute(args, -1, -1, -1, capture: true, console);
    }

    public RuntimeResult Start() => Execute(Argv("start", config.Id), -1, -1, -1, capture: true, console: null);

    public RuntimeResult Delete(bool force)
        => Execute(force ? Argv("delete", "--force", config.Id) : Argv("delete", config.Id), -1, -1, -1, capture: true, console: null);

    /// <summary>Spawns the runtime and waits for it; while it runs, accepts the console socket connection (if
    /// any) and collects its output (if <paramref name="capture"/>).</summary>
    unsafe RuntimeResult Execute(List<string> argv, int stdin, int stdout, int stderr, bool capture, ConsoleSocket? console)
    {
        TryTruncate(logPath);
        using var devNull = Files.Open("/dev/null", Files.O_RDWR);
        var (outRead, outWrite) = capture ? Pipe.Create() : (Fd.None, Fd.None);
        int pid;
        try
        {
            int o = capture ? outWrite.Value : stdout >= 0 ? stdout : devNull.Value;
            int e = capture ? outWrite.Value : stderr >= 0 ? stderr : devNull.Value;
            pid = Processes.Spawn(config.RuntimePath, argv, Environ.Current(), [(0, stdin >= 0 ? stdin : devNull.Value), (1, o), (2, e)], cwd: config.BundlePath);
        }
        catch (LinuxException ex)
        {
            outRead.Dispose(); outWrite.Dispose();
            return new RuntimeResult(127, $"running {config.RuntimePath}: {ex.Message}");
        }
        outWrite.Dispose();
        using var pidfd = Processes.PidfdOpen(pid);
        var output = new StringBuilder();
        byte* buf = stackalloc byte[4096];
        Poll.Entry* set = stackalloc Poll.Entry[3];
        bool exited = false;
        while (!exited)
        {
            int n = 0;
            set[n++] = new Poll.Entry { Fd = pidfd.Value, Events = Poll.POLLIN };
            int outIndex = -1, consoleIndex = -1;
            if (outRead.IsValid) { outIndex = n; set[n++] = new Poll.Entry { Fd = outRead.Value, Events = Poll.POLLIN }; }
            if (console is { Received: false }) { consoleIndex = n; set[n++] = new Poll.Entry { Fd = console.Listener, Events = Poll.POLLIN }; }
            Poll.Wait(set, n, -1);
            if (consoleIndex >= 0 && set[consoleIndex].Revents != 0) console!.Accept();
            if (outIndex >= 0 && set[outIndex].Revents != 0)
            {
                int r = Files.ReadSome(outRead.Value, buf, 4096);
                if (r > 0) { if (output.Length < 65536) output.Append(Encoding.UTF8.GetString(buf, r)); }
                else outRead.Dispose();
            }
            if (set[0].Revents != 0) exited = true;
        }
        // The runtime is gone; whatever it printed is in the pipe (unless a child of it still holds the write end).
        if (outRead.IsValid)
        {
            Files.SetNonBlocking(outRead.Value, true);
            int r;
            while ((r = Files.ReadSome(outRead.Value, buf, 4096)) > 0) if (output.Length < 65536) output.Append(Encoding.UTF8.GetString(buf, r));
            outRead.Dispose();
        }
        Processes.Wait(pid, out int status);
        int code = Processes.ExitCode(status);
        if (code == 0) return new RuntimeResult(0, "");
        var error = RuntimeLog.LastError(logPath);
        if (error.Length == 0) error = output.ToString().Trim();
        if (error.Length == 0) error = $"{Path.GetFileName(config.RuntimePath)} {argv[7 + config.RuntimeArgs.Count]} exited with status {code}";
        return new RuntimeResult(code, error);
    }

    static void TryTruncate(string path)
    {
        try { if (File.Exists(path)) File.WriteAllBytes(path, []); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The init pid the runtime wrote to --pid-file.</summary>
    public int ReadPid()
    {
        var text = File.ReadAllText(PidFile).Trim();
        return int.TryParse(text, NumberStyles.Integer, NumberFormatInfo.InvariantInfo, out int pid) && pid > 0 ? pid : throw new InvalidOperationException($"pid file {PidFile}: \"{text}\" is not a pid");
    }
}
