using System.Buffers.Binary;
using System.Text;
using Skiff.Linux;

namespace Skiff.Runtime.Init;

/// <summary>The binary message that tells the C constructor which namespaces to create and join.</summary>
public sealed class Bootstrap
{
    public int CloneFlags { get; set; }
    public List<(int Flag, string Path)> Joins { get; } = [];
    public string TimeOffsets { get; set; } = "";

    public byte[] Encode()
    {
        var ms = new MemoryStream();
        var u = new byte[4];
        void U32(uint v) { BinaryPrimitives.WriteUInt32LittleEndian(u, v); ms.Write(u); }
        U32(SyncSocket.Magic);
        U32((uint)CloneFlags);
        U32((uint)Joins.Count);
        foreach (var (flag, path) in Joins)
        {
            var p = Encoding.UTF8.GetBytes(path);
            U32((uint)flag); U32((uint)p.Length); ms.Write(p);
        }
        var t = Encoding.UTF8.GetBytes(TimeOffsets);
        U32((uint)t.Length); ms.Write(t);
        return ms.ToArray();
    }

    /// <summary>Builds the bootstrap from linux.namespaces (already validated).</summary>
    public static Bootstrap FromSpec(Spec.Linux? linux)
    {
        var b = new Bootstrap();
        foreach (var ns in linux?.Namespaces ?? [])
        {
            int flag = Namespaces.Flag(ns.Type!);
            if (string.IsNullOrEmpty(ns.Path)) b.CloneFlags |= flag;
            else b.Joins.Add((flag, ns.Path));
        }
        if (linux?.TimeOffsets is { Count: > 0 } offsets)
        {
            var sb = new StringBuilder();
            foreach (var (clock, off) in offsets) sb.Append($"{clock} {off.Secs} {off.Nanosecs}\n");
            b.TimeOffsets = sb.ToString();
        }
        return b;
    }
}
