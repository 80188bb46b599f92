using Skiff.Images.Layers;
using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary>Reads a tar stream (<c>cp - CONTAINER:DEST</c>) into entries. Names are hostile input: absolute names are
/// made relative, and any ".." component refuses the whole archive before anything of that entry is written.</summary>
internal static class TarSource
{
    public static void Feed(Stream input, IArchiveSink sink, string? renameTop = null)
    {
        using var tar = new TarReader(input);
        while (tar.Next() is { } t)
        {
            var name = Clean(t.Name);
            if (renameTop is not null) name = Rebase(name, renameTop);
            if (t.Sparse is not null) throw new CopyException($"tar entry \"{t.Name}\": sparse files are not supported by cp");
            uint type = t.Type switch
            {
                TarEntry.Directory => Files.S_IFDIR,
                TarEntry.Symlink => Files.S_IFLNK,
                TarEntry.CharDevice => Files.S_IFCHR,
                TarEntry.BlockDevice => Files.S_IFBLK,
                TarEntry.Fifo => Files.S_IFIFO,
                TarEntry.HardLink => Files.S_IFREG,
                _ when t.IsRegular => Files.S_IFREG,
                _ => 0,
            };
            if (type == 0) continue; // PAX leftovers, GNU volume headers and the like
            string? hard = null;
            if (t.Type == TarEntry.HardLink)
            {
                hard = Clean(t.LinkName);
                if (renameTop is not null) hard = Rebase(hard, renameTop);
            }
            sink.Add(new ArchiveEntry
            {
                Name = name, Mode = type | (t.Mode & 0xfff), Uid = (uint)t.Uid, Gid = (uint)t.Gid,
                Size = t.IsRegular ? t.Size : 0, MtimeSec = t.MtimeSec, MtimeNsec = t.MtimeNsec,
                LinkTarget = t.LinkName, HardlinkTo = hard,
                Data = t.IsRegular ? new TarData(tar) : null,
            });
        }
        sink.Finish();
    }

    internal static string Clean(string raw)
    {
        var parts = new List<string>();
        foreach (var p in raw.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") throw new CopyException($"tar entry \"{raw}\" has a \"..\" component: refusing the archive");
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    static string Rebase(string name, string top)
    {
        int slash = name.IndexOf('/');
        return slash < 0 ? top : top + name[slash..];
    }

    sealed class TarData(TarReader tar) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => tar.Read(buffer.AsSpan(offset, count));
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
