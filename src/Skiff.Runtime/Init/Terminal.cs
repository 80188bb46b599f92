using System.Text;
using Skiff.Linux;

namespace Skiff.Runtime.Init;

/// <summary>process.terminal: a pty from the container's own devpts; the master goes to the console socket
/// (SCM_RIGHTS, the pty's path as the payload, as runc sends it) and the slave becomes the controlling
/// terminal and stdio of the process.</summary>
public static class Terminal
{
    public static void Setup(int consoleSocketFd, Spec.ConsoleSize? size)
    {
        var (master, slavePath) = Terminals.OpenPty("/dev/ptmx");
        using (master)
        {
            using var slave = Files.Open(slavePath, Files.O_RDWR | Files.O_NOCTTY);
            if (size is { Height: > 0, Width: > 0 }) Terminals.SetSize(master.Value, (ushort)size.Height, (ushort)size.Width);
            Sockets.SendFd(consoleSocketFd, master.Value, Encoding.UTF8.GetBytes(slavePath));
            Files.Close(consoleSocketFd);
            Host.Setsid();
            Terminals.SetControlling(slave.Value);
            for (int i = 0; i < 3; i++) Files.Dup3(slave.Value, i);
        }
    }
}
