namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Syscall names → numbers for the x86 ABIs, generated from the kernel headers Debian ships
/// (linux-libc-dev) by <c>gen/syscall-tables.py</c> into <c>SyscallTable.Data.cs</c>. The data is constant
/// (spans over the assembly image): a lookup is one hash and one or two probes, without allocation or
/// start-up cost. A name the table does not know (a newer syscall, or another architecture's) gives -1 and
/// its rules are ignored, as libseccomp and runc do.
/// </summary>
internal static partial class SyscallTable
{
    /// <summary>The row of <paramref name="name"/> (valid for all three ABIs), or -1.</summary>
    public static int Row(string name)
    {
        uint hash = 2166136261; // FNV-1a, as the generator
        foreach (char c in name)
        {
            if (c > 0x7f) return -1;
            hash = (hash ^ c) * 16777619;
        }
        var buckets = Buckets;
        for (int i = (int)(hash & BucketMask); ; i = (i + 1) & BucketMask)
        {
            int row = buckets[i] - 1;
            if (row < 0) return -1;
            if (NameIs(row, name)) return row;
        }
    }

    static bool NameIs(int row, string name)
    {
        int start = NameOffsets[row], length = NameOffsets[row + 1] - start;
        if (length != name.Length) return false;
        var bytes = NameBytes.Slice(start, length);
        for (int i = 0; i < length; i++) if (bytes[i] != name[i]) return false;
        return true;
    }

    /// <summary>The number of the syscall in <paramref name="row"/> on <paramref name="abi"/> (x32 with its bit), or -1.</summary>
    public static int Number(int row, SyscallAbi abi)
    {
        int n = Numbers[row * 3 + (int)abi];
        return n < 0 ? -1 : abi == SyscallAbi.X32 ? n | (int)Architectures.X32SyscallBit : n;
    }

    public static int Number(SyscallAbi abi, string name) => Row(name) is var row and >= 0 ? Number(row, abi) : -1;

    public static int X86_64(string name) => Number(SyscallAbi.X86_64, name);
    public static int X86(string name) => Number(SyscallAbi.X86, name);
    public static int X32(string name) => Number(SyscallAbi.X32, name);

    /// <summary>Every syscall of <paramref name="abi"/> (for tests and tools).</summary>
    public static (string Name, int Number)[] Entries(SyscallAbi abi)
    {
        var entries = new List<(string, int)>(RowCount);
        for (int row = 0; row < RowCount; row++)
        {
            int n = Number(row, abi);
            if (n >= 0) entries.Add((System.Text.Encoding.ASCII.GetString(NameBytes[NameOffsets[row]..NameOffsets[row + 1]]), n));
        }
        return [.. entries];
    }
}
