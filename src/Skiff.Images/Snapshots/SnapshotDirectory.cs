using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Skiff.Images.Formats;
using Skiff.Images.Metadata;
using Skiff.Linux;

namespace Skiff.Images.Snapshots;

/// <summary>The on-disk bookkeeping both snapshotters share: <c>root/ID/{info.json,fs/,work/}</c> where ID is a short
/// hash of the key. A snapshot exists once its info.json names its key; anything else in root is debris of a crash
/// that <see cref="Debris"/> reports for GC. Commit renames the directory (atomic) and then rewrites info.json.</summary>
public sealed class SnapshotDirectory
{
    public SnapshotDirectory(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
    }

    public string Root { get; }
    readonly object _gate = new();

    public static string Id(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    public string PathOf(string key) => Path.Combine(Root, Id(key));
    public string Fs(string key) => Path.Combine(PathOf(key), "fs");
    public string Work(string key) => Path.Combine(PathOf(key), "work");

    public SnapshotInfo? Stat(string key)
    {
        var info = Read(PathOf(key));
        return info is not null && info.Key == key ? info : null;
    }

    public SnapshotInfo Require(string key) => Stat(key) ?? throw new SnapshotNotFoundException(key);

    public IReadOnlyList<SnapshotInfo> List()
    {
        var list = new List<SnapshotInfo>();
        foreach (var d in Directory.EnumerateDirectories(Root))
            if (Read(d) is { } info && Id(info.Key) == Path.GetFileName(d)) list.Add(info);
        return list;
    }

    /// <summary>Directories that are no snapshot (an interrupted create or commit).</summary>
    public IEnumerable<string> Debris()
    {
        foreach (var d in Directory.EnumerateDirectories(Root))
            if (Read(d) is not { } info || Id(info.Key) != Path.GetFileName(d)) yield return d;
    }

    /// <summary>Parents first: the chain of committed snapshots under <paramref name="parent"/>, top first.</summary>
    public List<SnapshotInfo> Chain(string? parent)
    {
        var chain = new List<SnapshotInfo>();
        while (parent is not null)
        {
            var p = Require(parent);
            if (p.Kind != SnapshotKind.Committed) throw new InvalidOperationException($"parent \"{parent}\" is not committed");
            chain.Add(p);
            parent = p.Parent;
        }
        return chain;
    }

    public SnapshotInfo Create(string key, SnapshotKind kind, string? parent, Dictionary<string, string>? labels, bool withWork)
    {
        lock (_gate)
        {
            if (Stat(key) is not null) throw new SnapshotExistsException(key);
            if (parent is not null) Chain(parent);
            var dir = PathOf(key);
            if (Directory.Exists(dir)) DeleteTree(dir); // debris
            var tmp = dir + ".new-" + Guid.NewGuid().ToString("n")[..8];
            Directory.CreateDirectory(Path.Combine(tmp, "fs"));
            if (withWork) Directory.CreateDirectory(Path.Combine(tmp, "work"));
            var info = new SnapshotInfo { Key = key, Kind = kind, Parent = parent, Created = DateTimeOffset.UtcNow, Labels = labels };
            Write(tmp, info);
            Directory.Move(tmp, dir);
            return info;
        }
    }

    public void Commit(string name, string key, string? rebaseOnto)
    {
        lock (_gate)
        {
            var info = Require(key);
            if (info.Kind != SnapshotKind.Active) throw new InvalidOperationException($"snapshot \"{key}\" is not active");
            if (Stat(name) is not null) throw new SnapshotExistsException(name);
            var parent = rebaseOnto ?? info.Parent;
            if (parent is not null) Chain(parent);
            var dst = PathOf(name);
            if (Directory.Exists(dst)) DeleteTree(dst);
            var work = Work(key);
            if (Directory.Exists(work)) DeleteTree(work);
            Directory.Move(PathOf(key), dst);
            Write(dst, info with { Key = name, Kind = SnapshotKind.Committed, Parent = parent, Created = DateTimeOffset.UtcNow });
            Sync.Directory(Root);
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            Require(key);
            foreach (var s in List())
                if (s.Parent == key) throw new InvalidOperationException($"snapshot \"{key}\" is the parent of \"{s.Key}\"");
            var dir = PathOf(key);
            var doomed = dir + ".rm-" + Guid.NewGuid().ToString("n")[..8];
            Directory.Move(dir, doomed); // gone at once; the slow delete can be interrupted safely
            DeleteTree(doomed);
        }
    }

    public static long DiskUsage(string dir)
    {
        long total = 0;
        var seen = new HashSet<(ulong, ulong)>();
        var stack = new Stack<string>();
        stack.Push(dir);
        while (stack.Count > 0)
        {
            var d = stack.Pop();
            IEnumerable<string> entries;
            try { entries = Directory.EnumerateFileSystemEntries(d); } catch (IOException) { continue; }
            foreach (var p in entries)
            {
                if (!Files.TryStatAt(Files.AT_FDCWD, p, Files.AT_SYMLINK_NOFOLLOW, out var st, out _)) continue;
                if ((st.Mode & Files.S_IFMT) == Files.S_IFDIR) { stack.Push(p); continue; }
                if (st.Nlink > 1 && !seen.Add((st.Dev, st.Ino))) continue;
                total += st.Blocks * 512;
            }
        }
        return total;
    }

    /// <summary>Deletes a tree without following symlinks (immutable attributes are not expected in snapshots).</summary>
    public static void DeleteTree(string dir)
    {
        if (!Directory.Exists(dir)) return;
        Directory.Delete(dir, recursive: true);
    }

    static SnapshotInfo? Read(string dir)
    {
        var f = Path.Combine(dir, "info.json");
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(f), WireJson.Default.SnapshotInfo); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    static void Write(string dir, SnapshotInfo info)
        => AtomicFile.Write(Path.Combine(dir, "info.json"), JsonSerializer.SerializeToUtf8Bytes(info, WireJson.Default.SnapshotInfo));
}
