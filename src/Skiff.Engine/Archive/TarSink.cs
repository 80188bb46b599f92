using Skiff.Images.Layers;
using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary>Writes entries as a tar stream (what <c>cp CONTAINER:SRC -</c> prints).</summary>
internal sealed class TarSink(Stream output) : IArchiveSink
{
    readonly TarWriter _tar = new(output);
    readonly byte[] _buf = new byte[64 * 1024];

    public void Add(ArchiveEntry e)
    {
        var t = new TarEntry
        {
            Name = e.IsDirectory ? e.Name + "/" : e.Name,
            Mode = e.Mode & 0xfff, Uid = e.Uid, Gid = e.Gid, MtimeSec = e.MtimeSec,
            Size = e.HardlinkTo is null && e.Type == Files.S_IFREG ? e.Size : 0,
        };
        if (e.HardlinkTo is not null) { t.Type = TarEntry.HardLink; t.LinkName = e.HardlinkTo; }
        else t.Type = e.Type switch
        {
            Files.S_IFDIR => TarEntry.Directory,
            Files.S_IFLNK => TarEntry.Symlink,
            Files.S_IFCHR => TarEntry.CharDevice,
            Files.S_IFBLK => TarEntry.BlockDevice,
            Files.S_IFIFO => TarEntry.Fifo,
            _ => TarEntry.Regular,
        };
        if (t.Type == TarEntry.Symlink) t.LinkName = e.LinkTarget;
        if (t.Type is TarEntry.CharDevice or TarEntry.BlockDevice)
        {
            t.DevMajor = (uint)(((e.Rdev >> 8) & 0xfff) | ((e.Rdev >> 32) & ~0xfffUL));
            t.DevMinor = (uint)((e.Rdev & 0xff) | ((e.Rdev >> 12) & ~0xffUL));
        }
        _tar.WriteHeader(t);
        if (t.Size == 0) return;
        long left = t.Size;
        // The file may have changed size since fstat: send exactly the header's size, zero-padded if it shrank.
        while (left > 0)
        {
            int n = e.Data!.Read(_buf, 0, (int)Math.Min(_buf.Length, left));
            if (n <= 0) break;
            _tar.WriteData(_buf.AsSpan(0, n));
            left -= n;
        }
        while (left > 0)
        {
            int n = (int)Math.Min(_buf.Length, left);
            Array.Clear(_buf, 0, n);
            _tar.WriteData(_buf.AsSpan(0, n));
            left -= n;
        }
    }

    public void Finish()
    {
        _tar.Finish();
        output.Flush();
    }
}
