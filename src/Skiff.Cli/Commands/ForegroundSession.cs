using System.Net.Sockets;
using System.Runtime.InteropServices;
using Skiff.Engine.Containers;
using Skiff.Engine.Logs;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Cli.Commands;

/// <summary>How a foreground session runs (see <see cref="ForegroundSession"/>).</summary>
public sealed record ForegroundOptions
{
    /// <summary>Our stdin goes to the container (-i).</summary>
    public bool Stdin { get; init; }
    /// <summary>The container has a terminal (-t): raw output over attach, our terminal in raw mode.</summary>
    public bool Tty { get; init; }
    /// <summary>Remove the container after it exited (--rm).</summary>
    public bool RemoveAfter { get; init; }
    /// <summary>The --rm removal claim taken before the start; released after our own removal (or on detach).</summary>
    public IDisposable? RemovalClaim { get; init; }
    /// <summary>--detach-keys (null: the default ctrl-p,ctrl-q).</summary>
    public string? DetachKeys { get; init; }
    /// <summary>Show the output from the container's start (run, start -a) or only what comes from now on (attach).</summary>
    public bool FromLogStart { get; init; } = true;
    /// <summary>On detach print docker's "read escape sequence" and exit 1 (attach); otherwise exit 0 quietly (run, start).</summary>
    public bool DetachIsError { get; init; }
}

/// <summary>A container in the foreground (run without -d, start -a, attach): its output on our stdout/stderr, our
/// stdin to it with -i, our terminal in raw mode with -t, SIGINT/SIGTERM forwarded, and the container's exit code as
/// ours. Output without a terminal is read from the json-file log from its start, so nothing a short-lived container
/// printed before we connected is lost; with a terminal it comes raw over the shim's attach socket. When our stdin is
/// a terminal, the detach keys (ctrl-p ctrl-q) end the session and leave the container running.</summary>
public static class ForegroundSession
{
    public static int Run(Context ctx, string id, ForegroundOptions o)
    {
        var engine = ctx.Engine;
        bool stdin = o.Stdin, tty = o.Tty, detached = false;
        var rec = engine.Containers.Store.Load(id);
        var cfg = engine.Containers.ShimConfigFor(id);
        // Detach keys only where a person types: piped input is passed on byte for byte.
        var scanner = stdin && Terminals.IsTerminal(0) ? new DetachScanner(DetachKeys.Parse(o.DetachKeys)) : null;
        ShimAttach? attach = null;
        if (cfg is not null && (stdin || tty))
        {
            try { attach = new ShimClient(cfg).Attach(new AttachRequest { Stdin = stdin, Stdout = tty, Stderr = tty }); }
            catch (Exception) { attach = null; }
        }
        byte[]? saved = null;
        if (tty && Terminals.IsTerminal(0)) saved = Terminals.MakeRaw(0);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => { s.Cancel = true; Forward(ctx, id, "SIGINT"); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s => { s.Cancel = true; Forward(ctx, id, "SIGTERM"); });
        try
        {
            if (tty && cfg is not null && Terminals.GetSize(1) is { } ws) try { new ShimClient(cfg).Resize(ws.Rows, ws.Cols); } catch { }
            Thread? input = null;
            if (attach is not null && stdin)
            {
                input = new Thread(() =>
                {
                    var buf = new byte[8192];
                    var forward = new List<byte>(8192);
                    try
                    {
                        // read(2) on fd 0 itself: .NET's console stream edits lines when stdin is a terminal, which
                        // would hold every key back until Enter (and echo it locally).
                        int n;
                        while ((n = Files.Read(0, buf)) > 0)
                        {
                            if (scanner is null) { attach.Stream.Write(buf, 0, n); continue; }
                            bool detach = scanner.Scan(buf.AsSpan(0, n), forward);
                            if (forward.Count > 0) attach.Stream.Write(CollectionsMarshal.AsSpan(forward));
                            if (detach)
                            {
                                detached = true;
                                try { attach.Socket.Shutdown(SocketShutdown.Both); } catch (Exception) { }
                                return;
                            }
                        }
                        attach.CloseInput();
                    }
                    catch (Exception) { }
                }) { IsBackground = true };
                input.Start();
            }
            if (tty && attach is not null)
            {
                using var stdout = Console.OpenStandardOutput();
                var buf = new byte[16384];
                int n;
                try { while ((n = attach.Stream.Read(buf)) > 0) { stdout.Write(buf, 0, n); stdout.Flush(); } } catch (IOException) { }
            }
            else if (!string.IsNullOrEmpty(rec.LogPath))
            {
                using var stdout = Console.OpenStandardOutput();
                using var stderr = Console.OpenStandardError();
                new LogReader(rec.LogPath).Read(new LogOptions { Follow = true, Tail = o.FromLogStart ? null : 0, PollInterval = TimeSpan.FromMilliseconds(20) }, e =>
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(e.Text);
                    var s = e.IsStderr ? stderr : stdout;
                    s.Write(bytes);
                    s.Flush();
                }, () => !Volatile.Read(ref detached) && engine.Containers.IsActive(id));
            }
            if (Volatile.Read(ref detached)) return Detached(ctx, o);
            return engine.Containers.Wait(id);
        }
        finally
        {
            if (saved is not null) Terminals.Restore(0, saved);
            attach?.Dispose();
            // Detached: the container runs on; its shim's exit command removes an --rm container when it exits.
            if (o.RemoveAfter && !Volatile.Read(ref detached))
                try { engine.Containers.Remove(id, force: true, removeVolumes: true); } catch (Skiff.Engine.EngineException) { }
            o.RemovalClaim?.Dispose();
        }
    }

    static int Detached(Context ctx, ForegroundOptions o)
    {
        if (!o.DetachIsError) return 0;
        ctx.Err.WriteLine("read escape sequence");
        return 1;
    }

    static void Forward(Context ctx, string id, string signal)
    {
        try { ctx.Engine.Containers.Signal(id, signal); } catch (Exception) { }
    }
}
