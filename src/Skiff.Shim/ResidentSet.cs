using System.Runtime.InteropServices;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Shrinks what an idle shim keeps resident once the container runs: the start-up garbage (collected and
/// decommitted), free malloc memory, and the page-table entries of every file page the shim mapped but never
/// wrote — its own binary's start-up code and data, and the shared libraries' (libc, libm, ld.so). Those pages stay
/// in the page cache (shared with every other process) and fault back in if ever touched again; a page this process
/// wrote (copy-on-write, anonymous) is never dropped, so no state is lost. Allocates nothing on the GC heap.
/// </summary>
static unsafe class ResidentSet
{
    const int MapsBufferSize = 32 * 1024;
    const int PagemapBatch = 512;
    const ulong PagePresent = 1UL << 63, PageFileOrShared = 1UL << 61;

    public static void Shrink()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers(); // the finalizer thread runs its code now, before the drop, not after it
        Memory.TrimHeap();
        DropCleanFilePages();
    }

    static void DropCleanFilePages()
    {
        byte* maps = (byte*)NativeMemory.Alloc(MapsBufferSize);
        try
        {
            int length = ReadAll("/proc/self/maps", maps, MapsBufferSize);
            if (length <= 0) return;
            int pagemap = OpenReadOnly("/proc/self/pagemap");
            if (pagemap < 0) return;
            try
            {
                var text = new ReadOnlySpan<byte>(maps, length);
                text = text[..(text.LastIndexOf((byte)'\n') + 1)]; // whole lines only (a full buffer may end mid-line)
                while (text.Length > 0)
                {
                    int eol = text.IndexOf((byte)'\n');
                    var line = eol < 0 ? text : text[..eol];
                    text = eol < 0 ? default : text[(eol + 1)..];
                    if (TryParsePrivateFileMapping(line, out ulong start, out ulong end)) DropCleanPages(pagemap, start, end);
                }
            }
            catch (LinuxException) { } // pagemap unreadable: keep what is resident
            finally { Files.Close(pagemap); }
        }
        finally { NativeMemory.Free(maps); }
    }

    /// <summary>"start-end perms offset dev inode path": a private mapping of a file (inode ≠ 0).</summary>
    static bool TryParsePrivateFileMapping(ReadOnlySpan<byte> line, out ulong start, out ulong end)
    {
        start = end = 0;
        int dash = line.IndexOf((byte)'-');
        if (dash <= 0 || !Hex(line[..dash], out start)) return false;
        line = line[(dash + 1)..];
        if (!NextField(ref line, out var endField) || !Hex(endField, out end)) return false;
        if (!NextField(ref line, out var perms) || perms.Length != 4 || perms[3] != (byte)'p') return false;
        if (!NextField(ref line, out _) || !NextField(ref line, out _)) return false; // offset, device
        if (!NextField(ref line, out var inode)) return false;
        return !(inode.Length == 1 && inode[0] == (byte)'0') && end > start;
    }

    static bool NextField(ref ReadOnlySpan<byte> line, out ReadOnlySpan<byte> field)
    {
        line = line.TrimStart((byte)' ');
        int sp = line.IndexOf((byte)' ');
        field = sp < 0 ? line : line[..sp];
        line = sp < 0 ? default : line[sp..];
        return field.Length > 0;
    }

    static bool Hex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : -1;
            if (d < 0) return false;
            value = value << 4 | (uint)d;
        }
        return digits.Length > 0;
    }

    /// <summary>Drops each run of present pages that are still the file's own (not copied on write).</summary>
    static void DropCleanPages(int pagemap, ulong start, ulong end)
    {
        ulong* entries = stackalloc ulong[PagemapBatch];
        ulong runStart = 0;
        for (ulong page = start; page < end;)
        {
            int count = (int)Math.Min((ulong)PagemapBatch, (end - page) / Memory.PageSize);
            long offset = (long)(page / Memory.PageSize * sizeof(ulong));
            if (Files.Seek(pagemap, offset, 0) != offset) return;
            int got = Files.Read(pagemap, new Span<byte>(entries, count * sizeof(ulong))) / sizeof(ulong);
            if (got <= 0) return;
            for (int i = 0; i < got; i++, page += Memory.PageSize)
            {
                bool clean = (entries[i] & (PagePresent | PageFileOrShared)) == (PagePresent | PageFileOrShared);
                if (clean && runStart == 0) runStart = page;
                else if (!clean && runStart != 0) { Drop(runStart, page); runStart = 0; }
            }
        }
        if (runStart != 0) Drop(runStart, end);
    }

    static void Drop(ulong start, ulong end) => Memory.Advise((nint)start, (nuint)(end - start), Memory.MADV_DONTNEED);

    static int OpenReadOnly(string path)
    {
        try { return Files.Open(path, Files.O_RDONLY).Release(); }
        catch (LinuxException) { return -1; }
    }

    static int ReadAll(string path, byte* buffer, int capacity)
    {
        int fd = OpenReadOnly(path);
        if (fd < 0) return -1;
        try
        {
            int total = 0;
            while (total < capacity)
            {
                int n = Files.Read(fd, new Span<byte>(buffer + total, capacity - total));
                if (n <= 0) break;
                total += n;
            }
            return total;
        }
        catch (LinuxException) { return -1; }
        finally { Files.Close(fd); }
    }
}
