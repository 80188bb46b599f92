using Skiff.Images.Layers;

namespace Skiff.Images.Tests;

/// <summary>Builds layer tars entry by entry, including hostile ones no normal tool would write.</summary>
public sealed class LayerBuilder
{
    readonly MemoryStream _ms = new();
    readonly TarWriter _w;
    public LayerBuilder() => _w = new TarWriter(_ms);

    public LayerBuilder Add(TarEntry e, byte[]? data = null)
    {
        if (data is not null) e.Size = data.Length;
        _w.WriteHeader(e);
        if (data is { Length: > 0 }) _w.WriteData(data);
        return this;
    }

    public LayerBuilder Dir(string name, uint mode = 0x1ed, long uid = 0, long gid = 0, long mtime = 1_600_000_000)
        => Add(new TarEntry { Name = name.TrimEnd('/') + "/", Type = TarEntry.Directory, Mode = mode, Uid = uid, Gid = gid, MtimeSec = mtime });
    public LayerBuilder File(string name, string content, uint mode = 0x1a4, long uid = 0, long gid = 0, long mtime = 1_600_000_000, SortedDictionary<string, byte[]>? xattrs = null)
        => Add(new TarEntry { Name = name, Type = TarEntry.Regular, Mode = mode, Uid = uid, Gid = gid, MtimeSec = mtime, Xattrs = xattrs }, System.Text.Encoding.UTF8.GetBytes(content));
    public LayerBuilder Bytes(string name, byte[] content, uint mode = 0x1a4)
        => Add(new TarEntry { Name = name, Type = TarEntry.Regular, Mode = mode, MtimeSec = 1_600_000_000 }, content);
    public LayerBuilder Symlink(string name, string target)
        => Add(new TarEntry { Name = name, Type = TarEntry.Symlink, LinkName = target, Mode = 0x1ff, MtimeSec = 1_600_000_000 });
    public LayerBuilder Hardlink(string name, string target)
        => Add(new TarEntry { Name = name, Type = TarEntry.HardLink, LinkName = target });
    public LayerBuilder Whiteout(string path)
    {
        int i = path.LastIndexOf('/');
        var n = i < 0 ? Whiteouts.Prefix + path : path[..(i + 1)] + Whiteouts.Prefix + path[(i + 1)..];
        return Add(new TarEntry { Name = n, Type = TarEntry.Regular }, []);
    }
    public LayerBuilder Opaque(string dir) => Add(new TarEntry { Name = dir.TrimEnd('/') + "/" + Whiteouts.Opaque, Type = TarEntry.Regular }, []);
    public LayerBuilder Char(string name, uint major, uint minor) => Add(new TarEntry { Name = name, Type = TarEntry.CharDevice, Mode = 0x1b6, DevMajor = major, DevMinor = minor });
    public LayerBuilder Fifo(string name) => Add(new TarEntry { Name = name, Type = TarEntry.Fifo, Mode = 0x1a4 });

    public byte[] Build() { _w.Finish(); return _ms.ToArray(); }

    public void ApplyTo(string root, WhiteoutStyle style = WhiteoutStyle.Delete, Func<IReadOnlyList<string>>? lowers = null)
    {
        using var a = new LayerApplier(root, style, lowers);
        a.Apply(new MemoryStream(Build()));
    }
}
