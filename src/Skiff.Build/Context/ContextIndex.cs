using System.Security.Cryptography;
using System.Text;
using Skiff.Images.Metadata;
using Skiff.Linux;

namespace Skiff.Build.Context;

/// <summary>Remembers the content digest of each context file by (dev, inode, size, mtime), so a rebuild of an unchanged
/// context only stats files. One text file per context directory under <c>build-cache/context/</c>, replaced atomically
/// under an flock; a line is "dev ino size mtime_ns sha256hex path".</summary>
public sealed class ContextIndex
{
    readonly string _file;
    readonly Dictionary<string, (ulong Dev, ulong Ino, long Size, long Mtime, string Digest)> _known = new(StringComparer.Ordinal);
    readonly Dictionary<string, (ulong Dev, ulong Ino, long Size, long Mtime, string Digest)> _seen = new(StringComparer.Ordinal);
    bool _dirty;

    public ContextIndex(string cacheRoot, string contextDir)
    {
        var dir = System.IO.Path.Combine(cacheRoot, "context");
        Directory.CreateDirectory(dir);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(System.IO.Path.GetFullPath(contextDir))))[..24];
        _file = System.IO.Path.Combine(dir, id + ".idx");
        Load();
    }

    /// <summary>An index that remembers nothing (no store, e.g. a Dockerfile-only build).</summary>
    public ContextIndex() => _file = "";

    public int Hits { get; private set; }
    public int Misses { get; private set; }

    void Load()
    {
        if (!File.Exists(_file)) return;
        foreach (var line in File.ReadLines(_file))
        {
            var f = line.Split(' ', 6);
            if (f.Length != 6) continue;
            if (ulong.TryParse(f[0], out var dev) && ulong.TryParse(f[1], out var ino) && long.TryParse(f[2], out var size) && long.TryParse(f[3], out var mt))
                _known[f[5]] = (dev, ino, size, mt, f[4]);
        }
    }

    static long Mtime(in Files.Stat st) => st.Mtime * 1_000_000_000 + st.MtimeNsec;

    public string? Lookup(string path, in Files.Stat st)
    {
        lock (_known)
        {
            if (_known.TryGetValue(path, out var k) && k.Dev == st.Dev && k.Ino == st.Ino && k.Size == st.Size && k.Mtime == Mtime(st))
            {
                Hits++;
                _seen[path] = k;
                return k.Digest;
            }
            Misses++;
            return null;
        }
    }

    public void Remember(string path, in Files.Stat st, string digest)
    {
        lock (_known)
        {
            var v = (st.Dev, st.Ino, st.Size, Mtime(st), digest);
            _known[path] = v;
            _seen[path] = v;
            _dirty = true;
        }
    }

    /// <summary>Writes the index when something new was hashed (entries of files that are gone are dropped).</summary>
    public void Save()
    {
        if (_file.Length == 0 || !_dirty) return;
        using var l = Locks.Take(_file + ".lock", exclusive: true);
        var sb = new StringBuilder();
        lock (_known)
        {
            // keep what other files of the same context were hashed for, unless a newer value was seen now
            foreach (var (p, k) in _known) sb.Append(k.Dev).Append(' ').Append(k.Ino).Append(' ').Append(k.Size).Append(' ')
                .Append(k.Mtime).Append(' ').Append(k.Digest).Append(' ').Append(p).Append('\n');
            _dirty = false;
        }
        AtomicFile.Write(_file, Encoding.UTF8.GetBytes(sb.ToString()));
    }
}
