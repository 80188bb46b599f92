using System.Runtime.InteropServices;
using Skiff.Engine.Containers;
using Skiff.Engine.Logs;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Cli.Commands;

/// <summary>A container in the foreground (run without -d, start -a, attach): its output on our stdout/stderr, our
/// stdin to it with -i, our terminal in raw mode with -t, SIGINT/SIGTERM forwarded, and the container's exit code as
/// ours. Output without a terminal is read from the json-file log from its start, so nothing a short-lived container
/// printed before we connected is lost; with a terminal it comes raw over the shim's attach socket.</summary>
public static class ForegroundSession
{
    /// <param name="removalClaim">The --rm removal claim taken before the start (released after our own removal).</param>
    public static int Run(Context ctx, string id, bool stdin, bool tty, bool removeAfter, bool fromLogStart = true, IDisposable? removalClaim = null)
    {
        var engine = ctx.Engine;
        var rec = engine.Containers.Store.Load(id);
        var cfg = engine.Containers.ShimConfigFor(id);
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
                    try
                    {
                        using var inp = Console.OpenStandardInput();
                        int n;
                        while ((n = inp.Read(buf)) > 0) attach.Stream.Write(buf, 0, n);
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
                new LogReader(rec.LogPath).Read(new LogOptions { Follow = true, PollInterval = TimeSpan.FromMilliseconds(20) }, e =>
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(e.Text);
                    var s = e.IsStderr ? stderr : stdout;
                    s.Write(bytes);
                    s.Flush();
                }, () => engine.Containers.IsActive(id));
            }
            int code = engine.Containers.Wait(id);
            return code;
        }
        finally
        {
            if (saved is not null) Terminals.Restore(0, saved);
            attach?.Dispose();
            if (removeAfter) try { engine.Containers.Remove(id, force: true, removeVolumes: true); } catch (Skiff.Engine.EngineException) { }
            removalClaim?.Dispose();
        }
    }

    static void Forward(Context ctx, string id, string signal)
    {
        try { ctx.Engine.Containers.Signal(id, signal); } catch (Exception) { }
    }
}
