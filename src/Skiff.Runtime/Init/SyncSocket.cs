using System.Buffers.Binary;
using System.Text;
using Skiff.Linux;

namespace Skiff.Runtime.Init;

/// <summary>
/// The parent↔init sync socket (SOCK_SEQPACKET: one send is one message). The first messages come from the
/// C constructor (fixed 488-byte records, see src/Oar/native/nsenter.c); after that the managed sides talk in
/// messages of one kind byte followed by a payload.
/// </summary>
public sealed class SyncSocket(Fd fd) : IDisposable
{
    Fd fd = fd;
    public int Value => fd.Value;

    public const uint Magic = 0x4f415231;
    // Constructor (C) records.
    public const uint UsermapRequest = 1, UsermapAck = 2, ChildPid = 3, NativeError = 4;
    const int NativeRecordSize = 488;

    // Managed message kinds.
    public const byte Options = (byte)'O', Config = (byte)'C', RunHooks = (byte)'H', Ack = (byte)'A',
        Created = (byte)'R', Error = (byte)'E', Seccomp = (byte)'S', Listener = (byte)'L',
        ProcessJson = (byte)'P', PassedFd = (byte)'F';
    /// <summary>Roles of fds passed with <see cref="PassedFd"/> (the second payload byte).</summary>
    public const byte FifoRole = (byte)'f', ConsoleRole = (byte)'c';

    public (uint Type, int Value, string Text) ReceiveNative()
    {
        Span<byte> buf = stackalloc byte[NativeRecordSize];
        int n = Files.Read(fd.Value, buf);
        if (n == 0) return (0, 0, "");
        if (n != NativeRecordSize) throw new InvalidOperationException($"init: short message from nsenter ({n} bytes)");
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(buf);
        int value = BinaryPrimitives.ReadInt32LittleEndian(buf[4..]);
        var text = buf[8..];
        int z = text.IndexOf((byte)0);
        return (type, value, Encoding.UTF8.GetString(z < 0 ? text : text[..z]));
    }

    public void SendNative(uint type, int value)
    {
        Span<byte> buf = stackalloc byte[NativeRecordSize];
        buf.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(buf, type);
        BinaryPrimitives.WriteInt32LittleEndian(buf[4..], value);
        Files.WriteAll(fd.Value, buf);
    }

    public void Send(byte kind, ReadOnlySpan<byte> payload)
    {
        var buf = new byte[payload.Length + 1];
        buf[0] = kind;
        payload.CopyTo(buf.AsSpan(1));
        Files.WriteAll(fd.Value, buf);
    }

    public void SendRaw(ReadOnlySpan<byte> bytes) => Files.WriteAll(fd.Value, bytes);

    public void Send(byte kind, string text = "") => Send(kind, Encoding.UTF8.GetBytes(text));

    /// <summary>Receives one message. Kind 0 means the other side closed the socket.</summary>
    public (byte Kind, byte[] Payload) Receive()
    {
        var (kind, payload, passed) = ReceiveWithFd();
        passed.Dispose();
        return (kind, payload);
    }

    /// <summary>Receives one message and the fd passed with it, if any (SCM_RIGHTS).</summary>
    public (byte Kind, byte[] Payload, Fd Passed) ReceiveWithFd()
    {
        // Sized to the message: a large buffer per call is fresh pages, and fresh pages are dear in these VMs.
        var buf = new byte[Math.Max(1, Sockets.PeekLength(fd.Value))];
        int n = Sockets.ReceiveFd(fd.Value, buf, out var passed);
        if (n == 0) return (0, [], passed);
        return (buf[0], buf.AsSpan(1, n - 1).ToArray(), passed);
    }

    public void SendWithFd(byte kind, int passed) => Sockets.SendFd(fd.Value, passed, [kind]);

    public void Dispose() => fd.Dispose();
}
