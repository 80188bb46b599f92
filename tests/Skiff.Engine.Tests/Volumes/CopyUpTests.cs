using Skiff.Engine.Volumes;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Volumes;

public sealed class CopyUpTests : IDisposable
{
    readonly TempRoot _root = new("copyup");
    readonly VolumeStore _store;
    readonly string _rootfs;

    public CopyUpTests()
    {
        _store = new VolumeStore(_root.Path);
        _rootfs = _root.Sub("rootfs");
        Directory.CreateDirectory(Path.Combine(_rootfs, "data/sub"));
        File.WriteAllText(Path.Combine(_rootfs, "data/sub/file"), "image content");
        File.CreateSymbolicLink(Path.Combine(_rootfs, "data/abs-link"), "/etc/shadow");
        File.CreateSymbolicLink(Path.Combine(_rootfs, "data/up"), "../../../../..");
        Files.FchownAt(Files.AT_FDCWD, Path.Combine(_rootfs, "data/sub/file"), 1234, 5678, 0);
        Files.FchownAt(Files.AT_FDCWD, Path.Combine(_rootfs, "data"), 999, 999, 0);
        File.SetUnixFileMode(Path.Combine(_rootfs, "data"), (UnixFileMode)0x1ed & ~UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc/marker"), "container etc");
        File.CreateSymbolicLink(Path.Combine(_rootfs, "etclink"), "/etc");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Copies_content_owner_mode_and_symlinks_without_following_them()
    {
        var v = _store.Create("parts-cu");
        Assert.True(_store.PopulateFrom("parts-cu", _rootfs, "/data"));
        Assert.Equal("image content", File.ReadAllText(Path.Combine(v.Mountpoint, "sub/file")));
        var st = Files.StatAt(Files.AT_FDCWD, Path.Combine(v.Mountpoint, "sub/file"), 0);
        Assert.Equal((1234u, 5678u), (st.Uid, st.Gid));
        var rootSt = Files.StatAt(Files.AT_FDCWD, v.Mountpoint, 0);
        Assert.Equal(999u, rootSt.Uid);
        Assert.Equal(0x1ecu, rootSt.Mode & 0xfff);
        Assert.Equal("/etc/shadow", new FileInfo(Path.Combine(v.Mountpoint, "abs-link")).LinkTarget);
        Assert.Equal("../../../../..", new FileInfo(Path.Combine(v.Mountpoint, "up")).LinkTarget);
    }

    [Fact]
    public void Second_populate_of_a_non_empty_volume_copies_nothing()
    {
        var v = _store.Create("parts-cu2");
        Assert.True(_store.PopulateFrom("parts-cu2", _rootfs, "/data"));
        File.Delete(Path.Combine(v.Mountpoint, "sub/file"));
        Assert.False(_store.PopulateFrom("parts-cu2", _rootfs, "/data"));
        Assert.False(File.Exists(Path.Combine(v.Mountpoint, "sub/file")));
    }

    [Fact]
    public void A_symlinked_mount_path_resolves_inside_the_rootfs_not_on_the_host()
    {
        var v = _store.Create("parts-cu3");
        Assert.True(_store.PopulateFrom("parts-cu3", _rootfs, "/etclink"));
        Assert.Equal(["marker"], Directory.GetFileSystemEntries(v.Mountpoint).Select(Path.GetFileName));
        var v2 = _store.Create("parts-cu4");
        Assert.True(_store.PopulateFrom("parts-cu4", _rootfs, "/data/up/etc"));
        Assert.Equal(["marker"], Directory.GetFileSystemEntries(v2.Mountpoint).Select(Path.GetFileName));
    }

    [Fact]
    public void Missing_image_directory_copies_nothing()
    {
        _store.Create("parts-cu5");
        Assert.False(_store.PopulateFrom("parts-cu5", _rootfs, "/nope/none"));
        Assert.False(_store.PopulateFrom("parts-cu5", _rootfs, "/data/sub/file"));
    }
}
