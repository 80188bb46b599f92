using System.Globalization;
using System.Runtime.InteropServices;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// The shim's life: start the container through the runtime, then one poll loop over the init's pidfd, its
/// output, the attach and control sockets and the attach clients — until the container has exited for good
/// (no restart due, or <c>stop</c>), when the runtime deletes it and the shim exits. Nothing in the loop
/// allocates while the container is idle or just printing.
/// </summary>
sealed unsafe class Supervisor(ShimConfig config)
{
    const int MaxPollEntries = 8 + 64;

    readonly OciRuntime runtime = new(config);
    readonly RestartRule restarts = new(config.RestartPolicy);
    readonly StdinForwarder stdin = new();
    JsonFileLog? log;
    AttachHub hub = null!;
    ControlServer control = null!;
    HeldPorts? ports;

    ContainerStdio? stdio;
    OutputStream? stdout, stderr;
    Fd pidfd = Fd.None;
    int containerPid;
    int? containerStatus;
    OomCounter? oom;
    DateTime startedAt;
    long startedTicks;
    bool stopRequested, finished, sweepOrphans;
    long restartAt = -1;
    readonly ulong shimStartTime = SelfStartTime.Read();
    int restartsDone; // restarts that happened (docker's RestartCount); the rule counts scheduled ones

    public int Run()
    {
        try
        {
            ports = HeldPorts.Bind(config.HeldPorts);
            if (config.LogDriver == "json-file") log = new JsonFileLog(config.LogPath, config.LogMaxSize, config.LogMaxFiles);
            hub = new AttachHub(config.AttachSocketPath, config.Terminal);
            control = new ControlServer(config.ControlSocketPath);
        }
        catch (Exception e)
        {
            Cleanup(); // before reporting: the starter may look for leftovers as soon as it reads the error
            Handshake.Fail(e.Message);
            return 1;
        }

        var error = StartRun();
        if (error is not null)
        {
            Cleanup();
            Handshake.Fail(error);
            return 1;
        }
        WriteState(ShimStatus.Running);
        Handshake.Ok(containerPid);
        ResidentSet.Shrink();

        Loop();

        WriteState(ShimStatus.Exited);
        Cleanup();
        ExitCommand.Spawn(config.ExitCommand);
        return 0;
    }

    /// <summary>create + start. Returns the error (and leaves no runtime state) or null.</summary>
    string? StartRun()
    {
        ConsoleSocket? console = null;
        try
        {
            stdio = config.Terminal ? null : ContainerStdio.Pipes(config.OpenStdin);
            if (config.Terminal) console = new ConsoleSocket(config.Id);
            var created = runtime.Create(stdio ?? new ContainerStdio(), console);
            if (!created.Ok) return Abandon(created.Error);
            if (console is not null)
            {
                if (!console.Received) return Abandon($"{Path.GetFileName(config.RuntimePath)} create did not send a terminal over --console-socket");
                stdio = ContainerStdio.Pty(ref console.Master);
                if (config.ConsoleRows > 0 && config.ConsoleCols > 0) Terminals.SetSize(stdio.Master.Value, (ushort)config.ConsoleRows, (ushort)config.ConsoleCols);
            }
            stdio!.CloseChildEnds();
            containerPid = runtime.ReadPid();
            containerStatus = null;
            pidfd = Processes.PidfdOpen(containerPid);
            oom = OomCounter.ForProcess(containerPid);
            sweepOrphans = SharesPidNamespace(containerPid);

            var started = runtime.Start();
            if (!started.Ok) return Abandon(started.Error);
            startedAt = DateTime.UtcNow;
            startedTicks = Environment.TickCount64;

            if (stdio.Terminal) stdout = new OutputStream(StdStream.Stdout, Dup(stdio.Master), log, hub);
            else
            {
                stdout = new OutputStream(StdStream.Stdout, new Fd(stdio.StdoutRead.Release()), log, hub);
                stderr = new OutputStream(StdStream.Stderr, new Fd(stdio.StderrRead.Release()), log, hub);
            }
            stdin.Target = config.OpenStdin ? stdio.InputFd : -1;
            return null;
        }
        catch (Exception e)
        {
            return Abandon(e.Message);
        }
        finally
        {
            console?.Dispose();
        }
    }

    static Fd Dup(Fd fd) => new(Files.Fcntl(fd.Value, Files.F_DUPFD_CLOEXEC, 0));

    string Abandon(string error)
    {
        runtime.Delete(force: true);
        pidfd.Dispose();
        ReapOrphans();
        stdio?.Dispose(); stdio = null;
        stdout?.Dispose(); stdout = null;
        stderr?.Dispose(); stderr = null;
        return error;
    }

    /// <summary>Processes the container orphans reach the shim (the subreaper) only when it shares the host's pid
    /// namespace; only then is a periodic sweep needed.</summary>
    static bool SharesPidNamespace(int pid)
    {
        try { return Files.ReadlinkAt(Files.AT_FDCWD, $"/proc/{pid}/ns/pid") == Files.ReadlinkAt(Files.AT_FDCWD, "/proc/self/ns/pid"); }
        catch (LinuxException) { return false; }
    }

    void Loop()
    {
        var set = (Poll.Entry*)NativeMemory.Alloc(MaxPollEntries, (nuint)sizeof(Poll.Entry));
        try
        {
            while (!finished)
            {
                int n = 0, iPid = -1, iOut = -1, iErr = -1, iIn = -1;
                if (pidfd.IsValid) { iPid = n; set[n++] = new Poll.Entry { Fd = pidfd.Value, Events = Poll.POLLIN }; }
                if (stdout is { Open: true }) { iOut = n; set[n++] = new Poll.Entry { Fd = stdout.Fd, Events = Poll.POLLIN }; }
                if (stderr is { Open: true }) { iErr = n; set[n++] = new Poll.Entry { Fd = stderr.Fd, Events = Poll.POLLIN }; }
                int iAttach = n; set[n++] = new Poll.Entry { Fd = hub.Listener, Events = Poll.POLLIN };
                int iControl = n; set[n++] = new Poll.Entry { Fd = control.Listener, Events = Poll.POLLIN };
                if (stdin.HasPending && stdin.Target >= 0) { iIn = n; set[n++] = new Poll.Entry { Fd = stdin.Target, Events = Poll.POLLOUT }; }
                int iClients = n;
                n = hub.AddPollEntries(set, n, acceptInput: !stdin.HasPending);

                int timeout = -1;
                if (restartAt >= 0) timeout = (int)Math.Max(0, restartAt - Environment.TickCount64);
                else if (sweepOrphans) timeout = 10_000;
                Poll.Wait(set, n, timeout);

                // Clients first, while the poll entries still match the client slots (output below may drop
                // clients); walk backwards, a removal moves the last client into the freed slot.
                for (int i = n - 1; i >= iClients; i--)
                    if (set[i].Revents != 0 && i - iClients < hub.Count && hub.OnClient(i - iClients, set[i].Revents, stdin) && config.StdinOnce)
                        CloseStdin();
                if (iIn >= 0 && set[iIn].Revents != 0) stdin.Flush();
                if (iOut >= 0 && set[iOut].Revents != 0) stdout!.OnReadable();
                if (iErr >= 0 && set[iErr].Revents != 0) stderr!.OnReadable();
                if (set[iAttach].Revents != 0) hub.Accept();
                if (set[iControl].Revents != 0) control.Serve(Command);

                ReapOrphans();
                if (iPid >= 0 && set[iPid].Revents != 0) OnExit();
                if (restartAt >= 0 && Environment.TickCount64 >= restartAt) Restart();
            }
        }
        finally { NativeMemory.Free(set); }
    }

    string? Command(string[] words)
    {
        if (words.Length == 0) return "empty command";
        switch (words[0])
        {
            case ControlCommands.Stop:
                stopRequested = true;
                if (restartAt >= 0) { restartAt = -1; finished = true; RecordExit(lastExitCode, false, lastOom, ""); }
                return null;
            case ControlCommands.Resize:
                if (words.Length != 3 || !ushort.TryParse(words[1], NumberStyles.Integer, NumberFormatInfo.InvariantInfo, out var rows) || !ushort.TryParse(words[2], NumberStyles.Integer, NumberFormatInfo.InvariantInfo, out var cols))
                    return "usage: resize <rows> <cols>";
                if (stdio is not { Terminal: true }) return "the container has no terminal";
                Terminals.SetSize(stdio.Master.Value, rows, cols);
                return null;
            case ControlCommands.CloseStdin:
                CloseStdin();
                return null;
            default:
                return $"unknown command \"{words[0]}\"";
        }
    }

    void CloseStdin()
    {
        stdin.Target = -1;
        stdio?.CloseStdin();
    }

    /// <summary>Reaps every exited child; the container's init among them keeps its status for <see cref="OnExit"/>.</summary>
    void ReapOrphans()
    {
        while (true)
        {
            int pid = Processes.TryWait(-1, out int status, Processes.WNOHANG | Processes.__WALL);
            if (pid <= 0) return; // nothing exited, or ECHILD
            if (pid == containerPid) containerStatus = status;
        }
    }

    int lastExitCode;
    bool lastOom;

    void OnExit()
    {
        stdout?.Drain(); stderr?.Drain();
        if (containerStatus is null)
        {
            if (Processes.TryWait(containerPid, out int s, Processes.__WALL) == containerPid) containerStatus = s;
        }
        lastExitCode = containerStatus is { } st ? Processes.ExitCode(st) : 255;
        lastOom = oom?.Fired() ?? false;
        pidfd.Dispose();
        hub.CloseClients();
        stdout?.Dispose(); stdout = null;
        stderr?.Dispose(); stderr = null;
        stdin.Target = -1;
        stdio?.Dispose(); stdio = null;

        var ran = TimeSpan.FromMilliseconds(Environment.TickCount64 - startedTicks);
        int? delay = restarts.Next(lastExitCode, stopRequested, ran);
        RecordExit(lastExitCode, delay is not null, lastOom, "");
        var deleted = runtime.Delete(force: false);
        if (!deleted.Ok) runtime.Delete(force: true);
        ReapOrphans();
        if (delay is { } d)
        {
            restartAt = Environment.TickCount64 + d;
            WriteState(ShimStatus.Restarting);
        }
        else finished = true;
    }

    void Restart()
    {
        restartAt = -1;
        restartsDone++;
        var error = StartRun();
        if (error is null) { WriteState(ShimStatus.Running); return; }
        RecordExit(lastExitCode, false, lastOom, "restarting: " + error);
        finished = true;
    }

    void RecordExit(int code, bool restarting, bool oomKilled, string error)
        => Records.Write(config.ExitPath, new ShimExit
        {
            ExitCode = code,
            StartedAt = startedAt,
            FinishedAt = DateTime.UtcNow,
            OomKilled = oomKilled,
            RestartCount = restartsDone,
            Error = error,
            Restarting = restarting,
        });

    void WriteState(string status)
        => Records.Write(config.StatePath, new ShimState
        {
            ShimPid = Processes.CurrentPid,
            ShimStartTime = shimStartTime,
            ContainerPid = containerPid,
            StartedAt = startedAt,
            RestartCount = restartsDone,
            Status = status,
            AttachSocketPath = config.AttachSocketPath,
            ControlSocketPath = config.ControlSocketPath,
        });

    void Cleanup()
    {
        hub?.Dispose();
        control?.Dispose();
        foreach (var p in new[] { config.AttachSocketPath, config.ControlSocketPath })
            try { File.Delete(p); } catch (IOException) { }
        log?.Dispose();
        ports?.Dispose();
        stdin.Dispose();
    }
}
