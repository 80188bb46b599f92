using System.Buffers.Binary;
using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Seccomp;

namespace Skiff.Runtime.Init;

/// <summary>How a compiled seccomp filter travels: the parent compiles it (bad profiles fail before anything is
/// made) and sends it to the init; a NOTIFY listener comes back to the parent, which hands it to the agent at
/// listenerPath (a host path the container cannot reach).</summary>
public static class SeccompHandoff
{
    public static SeccompProgram? Compile(Spec.Seccomp? spec) => SeccompCompiler.IsDisabled(spec) ? null : SeccompCompiler.Compile(spec!);

    public static void Send(SyncSocket sync, SeccompProgram program)
    {
        var payload = new byte[4 + program.Bytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, program.Flags);
        program.Bytes.CopyTo(payload.AsSpan(4));
        sync.Send(SyncSocket.Seccomp, payload);
    }

    public static SeccompProgram Receive(SyncSocket sync)
    {
        var (kind, payload) = sync.Receive();
        if (kind != SyncSocket.Seccomp) throw new RuntimeException("init", "expected the seccomp filter from the parent");
        return SeccompProgram.FromBytes(payload.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(payload));
    }

    /// <summary>Init side: installs a filter that has NOTIFY actions now and passes the listener to the parent.</summary>
    public static void InstallWithListener(SyncSocket sync, SeccompProgram program)
    {
        using var listener = program.Install();
        sync.SendWithFd(SyncSocket.Listener, listener.Value);
        var (kind, payload) = sync.Receive();
        if (kind != SyncSocket.Ack)
            throw new InitFailedException(kind == SyncSocket.Error ? Encoding.UTF8.GetString(payload) : "the parent went away");
    }

    /// <summary>Parent side: forwards a listener from the init to linux.seccomp.listenerPath, then acknowledges.</summary>
    public static void ForwardListener(SyncSocket sync, Fd listener, Spec.Seccomp? spec, string stateJson)
    {
        using (listener)
        {
            try
            {
                if (!listener.IsValid) throw new RuntimeException("seccomp", "the init sent no listener fd");
                SeccompNotify.SendListener(spec?.ListenerPath ?? "", listener.Value, Encoding.UTF8.GetBytes(stateJson));
            }
            catch (Exception e) { sync.Send(SyncSocket.Error, e.Message); throw; }
        }
        sync.Send(SyncSocket.Ack);
    }
}
