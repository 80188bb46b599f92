using System.Diagnostics;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Build.Execution;

/// <summary>ADD's local archives: a tar, plain or compressed with gzip, bzip2, xz or zstd (recognised by content, as
/// docker does, not by name), is unpacked into the destination. gzip and zstd are decompressed in process (the images
/// library's decompressors); bzip2 and xz through the system's bzip2/xz.</summary>
public static class LocalArchive
{
    enum Kind { None, Tar, Gzip, Zstd, Bzip2, Xz }

    static Kind Detect(string path)
    {
        var head = new byte[512];
        int n;
        using (var f = File.OpenRead(path)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var h = head.AsSpan(0, n);
        if (Decompression.Detect(h) == Compression.Gzip) return Kind.Gzip;
        if (Decompression.Detect(h) == Compression.Zstd) return Kind.Zstd;
        if (h.Length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') return Kind.Bzip2;
        if (h.Length >= 6 && h[..6].SequenceEqual(new byte[] { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00 })) return Kind.Xz;
        return LooksLikeTar(h) ? Kind.Tar : Kind.None;
    }

    static bool LooksLikeTar(ReadOnlySpan<byte> h)
    {
        if (h.Length < 512) return false;
        if (h.Slice(257, 5).SequenceEqual("ustar"u8)) return true;
        // old v7 tar: the header checksum must add up
        var field = System.Text.Encoding.ASCII.GetString(h.Slice(148, 8)).Trim('\0', ' ');
        if (field.Length == 0) return false;
        try
        {
            long want = Convert.ToInt64(field, 8), sum = 0;
            for (int i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? 32 : h[i];
            return sum == want;
        }
        catch (FormatException) { return false; }
    }

    /// <summary>Whether the file is an archive ADD unpacks (a compressed file that is not a tar is copied as is).</summary>
    public static bool IsArchive(string path)
    {
        var k = Detect(path);
        if (k is Kind.None) return false;
        if (k is Kind.Tar) return true;
        try
        {
            using var s = Open(path, k);
            var head = new byte[512];
            int n = s.ReadAtLeast(head, 512, throwOnEndOfStream: false);
            return LooksLikeTar(head.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or InvalidDataException) { return false; }
    }

    static Stream Open(string path, Kind k)
    {
        var f = File.OpenRead(path);
        switch (k)
        {
            case Kind.Gzip: return Decompression.Open(f, Compression.Gzip);
            case Kind.Zstd: return Decompression.Open(f, Compression.Zstd);
            case Kind.Bzip2: f.Dispose(); return Tool("bzip2", path);
            case Kind.Xz: f.Dispose(); return Tool("xz", path);
            default: return f;
        }
    }

    static Stream Tool(string tool, string path)
    {
        var psi = new ProcessStartInfo(tool, ["-dc", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception) { throw new BuildException($"ADD {path}: unpacking needs {tool}, which is not installed"); }
        return new ToolStream(p);
    }

    /// <summary>Unpacks the archive into <paramref name="dir"/> (a /proc/self/fd path of the destination inside the
    /// root): entries are confined to it, ownership and modes come from the archive.</summary>
    public static void Extract(string path, string dir)
    {
        using var s = Open(path, Detect(path));
        using var applier = new LayerApplier(dir, WhiteoutStyle.Delete);
        applier.Apply(s);
    }

    sealed class ToolStream(Process p) : Stream
    {
        readonly Stream _out = p.StandardOutput.BaseStream;
        public override int Read(byte[] buffer, int offset, int count) => _out.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _out.Read(buffer);
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try { if (!p.HasExited) p.Kill(); } catch (InvalidOperationException) { }
                p.WaitForExit();
                p.Dispose();
            }
            base.Dispose(disposing);
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
