using Skiff.Images.Layers;
using Skiff.Images.Snapshots;
using Skiff.Images.Snapshots.Copy;
using Skiff.Images.Snapshots.Overlay;

namespace Skiff.Images.Tests;

/// <summary>The behaviour every snapshotter must have (containerd's testsuite idea): each implementation runs all of it.</summary>
public abstract class SnapshotterSuite : IDisposable
{
    protected readonly TempDir T = new("snap");
    protected abstract ISnapshotter Create(string root);
    readonly ISnapshotter S;
    protected SnapshotterSuite() => S = Create(T.Sub("root"));
    public void Dispose() => T.Dispose();

    void Apply(string key, LayerBuilder b, string? parent)
    {
        var lowers = parent is null ? null : (Func<IReadOnlyList<string>>)(() => S.ChainDirs(parent));
        b.ApplyTo(S.ApplyDir(key), S.Whiteouts, S.CanRebase ? lowers : null);
    }

    string MountView(string key)
    {
        var target = T.Sub("mnt-" + Guid.NewGuid().ToString("n")[..6]);
        foreach (var m in S.Mounts(key)) m.MountOn(target);
        return target;
    }

    string Commit(string name, LayerBuilder b, string? parent)
    {
        S.Prepare("active-" + name, parent);
        Apply("active-" + name, b, parent);
        S.Commit(name, "active-" + name);
        return name;
    }

    [Fact]
    public void Prepare_commit_and_stat()
    {
        S.Prepare("a", null);
        Assert.Equal(SnapshotKind.Active, S.Stat("a")!.Kind);
        Apply("a", new LayerBuilder().File("f", "1"), null);
        S.Commit("c1", "a");
        Assert.Null(S.Stat("a"));
        var c = S.Stat("c1")!;
        Assert.Equal(SnapshotKind.Committed, c.Kind);
        Assert.Null(c.Parent);
        Assert.Throws<SnapshotExistsException>(() => S.Prepare("c1", null));
        Assert.Throws<SnapshotNotFoundException>(() => S.Prepare("x", "nope"));
        Assert.Single(S.List());
    }

    [Fact]
    public void A_chain_of_layers_mounts_as_their_union_with_whiteouts_applied()
    {
        var l1 = Commit("l1", new LayerBuilder().File("a", "1").File("b", "1").File("d/x", "x").File("o/old", "o"), null);
        var l2 = Commit("l2", new LayerBuilder().File("a", "2").Whiteout("b").Whiteout("d/x").Opaque("o").File("o/new", "n"), l1);
        S.View("v", l2);
        var mnt = MountView("v");
        Assert.Equal("2", File.ReadAllText(Path.Combine(mnt, "a")));
        Assert.False(File.Exists(Path.Combine(mnt, "b")));
        Assert.False(File.Exists(Path.Combine(mnt, "d/x")));
        Assert.True(Directory.Exists(Path.Combine(mnt, "d")));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(mnt, "o")).Select(Path.GetFileName));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(mnt, "a"), "w")); // views are read-only
    }

    [Fact]
    public void Active_snapshots_are_writable_and_diff_to_what_changed()
    {
        var l1 = Commit("base", new LayerBuilder().File("keep", "k").File("del", "d"), null);
        S.Prepare("rw", l1);
        var mnt = MountView("rw");
        File.WriteAllText(Path.Combine(mnt, "new"), "n");
        File.Delete(Path.Combine(mnt, "del"));
        Assert.Equal("k", File.ReadAllText(Path.Combine(mnt, "keep")));
        Linux.Mounts.Unmount(mnt, 0);
        var ms = new MemoryStream();
        S.Diff("rw", ms);
        ms.Position = 0;
        var names = new List<string>();
        using (var r = new TarReader(ms)) while (r.Next() is { } e) names.Add(e.Name);
        Assert.Contains("new", names);
        Assert.Contains(".wh.del", names);
        Assert.DoesNotContain("keep", names);
    }

    [Fact]
    public void Parents_cannot_be_removed_while_children_exist()
    {
        var l1 = Commit("p", new LayerBuilder().File("f", "1"), null);
        Commit("c", new LayerBuilder().File("g", "1"), l1);
        Assert.Throws<InvalidOperationException>(() => S.Remove("p"));
        S.Remove("c");
        S.Remove("p");
        Assert.Empty(S.List());
        Assert.Throws<SnapshotNotFoundException>(() => S.Remove("p"));
    }

    [Fact]
    public void Usage_counts_the_snapshots_own_bytes()
    {
        var l1 = Commit("u", new LayerBuilder().Bytes("big", Enumerable.Repeat((byte)7, 1 << 20).ToArray()), null);
        Assert.True(S.Usage(l1) >= 1 << 20);
    }
}

public sealed class OverlaySnapshotterTests : SnapshotterSuite
{
    protected override ISnapshotter Create(string root) => new OverlaySnapshotter(root);

    [Fact]
    public void Layers_commit_onto_a_parent_applied_later() // what parallel unpack relies on
    {
        var s = new OverlaySnapshotter(T.Sub("r2"));
        s.Prepare("k1", null);
        s.Prepare("k2", null);
        new LayerBuilder().File("top", "2").Whiteout("gone").ApplyTo(s.ApplyDir("k2"), WhiteoutStyle.Overlay);
        new LayerBuilder().File("bottom", "1").File("gone", "x").ApplyTo(s.ApplyDir("k1"), WhiteoutStyle.Overlay);
        s.Commit("c1", "k1");
        s.Commit("c2", "k2", rebaseOnto: "c1");
        Assert.Equal("c1", s.Stat("c2")!.Parent);
        Assert.Equal(2, s.ChainDirs("c2").Count);
    }
}

public sealed class CopySnapshotterTests : SnapshotterSuite
{
    protected override ISnapshotter Create(string root) => new CopySnapshotter(root);
}
