using Skiff.Images.Content;
using Skiff.Images.Layers;
using Skiff.Linux;

namespace Skiff.Images.Tests;

public class LayerWriterTests
{
    static Digest TarDigest(Action<Stream> write)
    {
        var ms = new MemoryStream();
        write(ms);
        return Digest.Sha256(ms.ToArray());
    }

    static List<string> Names(Action<Stream> write)
    {
        var ms = new MemoryStream();
        write(ms);
        ms.Position = 0;
        using var r = new TarReader(ms);
        var names = new List<string>();
        while (r.Next() is { } e) names.Add(e.Name);
        return names;
    }

    [Fact]
    public void Same_tree_gives_the_same_digest_and_a_change_changes_it()
    {
        using var t = new TempDir();
        Busybox.Rootfs(t.Sub("a"));
        Busybox.Rootfs(t.Sub("b"));
        File.CreateSymbolicLink(Path.Combine(t.Path, "a", "zlink"), "bin/busybox");
        File.CreateSymbolicLink(Path.Combine(t.Path, "b", "zlink"), "bin/busybox");
        foreach (var d in new[] { "a", "b" })
        {
            long ts = 1_700_000_000;
            Times.SetAt(Files.AT_FDCWD, Path.Combine(t.Path, d, "zlink"), ts, 0, ts, 0, Files.AT_SYMLINK_NOFOLLOW);
            Times.SetAt(Files.AT_FDCWD, Path.Combine(t.Path, d), ts, 0, ts, 0, 0);
        }
        var da = TarDigest(s => LayerWriter.WriteTree(Path.Combine(t.Path, "a"), s));
        var db = TarDigest(s => LayerWriter.WriteTree(Path.Combine(t.Path, "b"), s));
        Assert.Equal(da, db);
        File.WriteAllText(Path.Combine(t.Path, "b", "etc", "marker"), "changed");
        Assert.NotEqual(da, TarDigest(s => LayerWriter.WriteTree(Path.Combine(t.Path, "b"), s)));
    }

    [Fact]
    public void Diff_of_two_trees_has_changes_and_whiteouts_and_applies_back()
    {
        using var t = new TempDir();
        var lower = t.Sub("lower");
        new LayerBuilder().File("keep", "k").File("change", "1").File("del", "d").File("dir/x", "x").ApplyTo(lower);
        var upper = t.Sub("upper");
        new LayerBuilder().File("keep", "k").File("change", "2", mtime: 1_600_000_001).File("new", "n").Dir("dir").File("dir/x", "x").ApplyTo(upper);
        var names = Names(s => LayerWriter.WriteDiff(lower, upper, s));
        Assert.Contains("change", names);
        Assert.Contains("new", names);
        Assert.Contains(".wh.del", names);
        Assert.DoesNotContain("keep", names);
        Assert.DoesNotContain("dir/x", names);

        // lower + diff == upper
        var ms = new MemoryStream();
        LayerWriter.WriteDiff(lower, upper, ms);
        ms.Position = 0;
        using (var a = new LayerApplier(lower, WhiteoutStyle.Delete)) a.Apply(ms);
        Assert.Equal(Names(s => LayerWriter.WriteTree(upper, s)), Names(s => LayerWriter.WriteTree(lower, s)));
        Assert.Equal("2", File.ReadAllText(Path.Combine(lower, "change")));
    }

    [Fact]
    public void Overlay_upper_directories_turn_into_oci_whiteouts()
    {
        using var t = new TempDir();
        var upper = t.Sub("upper");
        new LayerBuilder().Whiteout("gone").Opaque("od").File("od/n", "n").ApplyTo(upper, WhiteoutStyle.Overlay);
        var names = Names(s => LayerWriter.WriteOverlayUpper(upper, s));
        Assert.Contains(".wh.gone", names);
        Assert.Contains("od/.wh..wh..opq", names);
        Assert.Contains("od/n", names);
    }

    [Fact]
    public void Hardlinks_are_written_once_and_linked()
    {
        using var t = new TempDir();
        var d = t.Sub("d");
        File.WriteAllText(Path.Combine(d, "a"), "data");
        Links.Link(Path.Combine(d, "a"), Path.Combine(d, "b"));
        var ms = new MemoryStream();
        LayerWriter.WriteTree(d, ms);
        ms.Position = 0;
        using var r = new TarReader(ms);
        var a = r.Next()!;
        var b = r.Next()!;
        Assert.Equal((TarEntry.Regular, TarEntry.HardLink, "a"), (a.Type, b.Type, b.LinkName));
    }
}
