using System.Runtime.InteropServices;
using Skiff.Linux;

namespace Oar.Cli;

/// <summary>Forwards the signals a foreground `run`/`exec` receives to the container process.</summary>
public sealed class SignalForwarding : IDisposable
{
    readonly List<PosixSignalRegistration> registrations = [];

    public static SignalForwarding To(int pid)
    {
        var f = new SignalForwarding();
        foreach (var (sig, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1),
                     (PosixSignal.SIGQUIT, 3), (PosixSignal.SIGCONT, 18), ((PosixSignal)10, 10), ((PosixSignal)12, 12) })
        {
            f.registrations.Add(PosixSignalRegistration.Create(sig, c =>
            {
                c.Cancel = true;
                Processes.Signal(pid, number);
            }));
        }
        return f;
    }

    public void Dispose() { foreach (var r in registrations) r.Dispose(); }
}
