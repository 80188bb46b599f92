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
    const int MaxRuns = 256;
    const ulong PagePresent = 1UL << 63, PageFileOrShared = 1UL << 61;

    public static void Shrink()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers(); // the finalizer thread runs its code now, before the drop, not after it
        DropCleanFilePages();
    }

    /// <summary>
    /// Finds the clean runs first and drops them after, highest address first: the shim's own code (non-PIE, at the
    /// bottom) goes last, so all that runs after it is the madvise call and the way back into the poll loop. Every
    /// page touched after the drop faults back in with its 64 KB neighbourhood (the kernel's fault-around), so what
    /// runs then is kept to a few functions.
    /// </summary>
    static void DropCleanFilePages()
    {
        // One malloc'd block for the maps text, a pagemap batch and the runs: no stack growth, no GC heap.
        byte* block = (byte*)NativeMemory.Alloc(MapsBufferSize + PagemapBatch * sizeof(ulong) + MaxRuns * 2 * sizeof(ulong));
        byte* maps = block;
        ulong* batch = (ulong*)(block + MapsBufferSize);
        var runs = new Runs(new Span<ulong>(batch + PagemapBatch, MaxRuns * 2));
        try
        {
            int length = ReadAll("/proc/self/maps", maps, MapsBufferSize);
            int pagemap = length > 0 ? OpenReadOnly("/proc/self/pagemap") : -1;
            if (pagemap >= 0)
            {
                try
                {
                    var text = new ReadOnlySpan<byte>(maps, length);
                    text = text[..(text.LastIndexOf((byte)'\n') + 1)]; // whole lines only (a full buffer may end mid-line)
                    while (text.Length > 0)
                    {
                        int eol = text.IndexOf((byte)'\n');
                        var line = text[..eol];
                        text = text[(eol + 1)..];
                        if (TryParsePrivateFileMapping(line, out ulong start, out ulong end)) FindCleanPages(pagemap, batch, start, end, ref runs);
                    }
                }
                catch (LinuxException) { } // pagemap unreadable: drop what was found so far
                finally { Files.Close(pagemap); }
            }
            runs.DropAll();
        }
        finally
        {
            // After the drop: these two are placed next to the poll loop (idle-path.order), so they cost no extra fault.
            NativeMemory.Free(block);
            Memory.TrimHeap();
        }
    }

    /// <summary>Page runs to drop, in native memory (the GC heap is left alone here).</summary>
    ref struct Runs(Span<ulong> pairs)
    {
        readonly Span<ulong> pairs = pairs;
        int count;

        public void Add(ulong start, ulong end)
        {
            if (count * 2 == pairs.Length) DropAll(); // more runs than room: drop those found so far now
            pairs[count * 2] = start;
            pairs[count * 2 + 1] = end;
            count++;
        }

        public void DropAll()
        {
            for (int i = count - 1; i >= 0; i--) Memory.Advise((nint)pairs[i * 2], (nuint)(pairs[i * 2 + 1] - pairs[i * 2]), Memory.MADV_DONTNEED);
            count = 0;
        }
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

    /// <summary>Adds each run of present pages that are still the file's own (not copied on write).</summary>
    static void FindCleanPages(int pagemap, ulong* entries, ulong start, ulong end, ref Runs runs)
    {
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
                else if (!clean && runStart != 0) { runs.Add(runStart, page); runStart = 0; }
            }
        }
        if (runStart != 0) runs.Add(runStart, end);
    }

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
