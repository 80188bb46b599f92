using Skiff.Engine.Archive;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Archive;

/// <summary>docker cp's SRC/DEST rules, both directions, against a rootfs on disk.</summary>
public sealed class CopySemanticsTests : IDisposable
{
    readonly ArchiveFixture _f = new();
    public void Dispose() => _f.Dispose();

    [Fact]
    public void File_to_a_missing_path_creates_that_file()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/data/a.txt", Path.Combine(_f.Out, "copy.txt"), false, false);
        Assert.Equal("A", File.ReadAllText(Path.Combine(_f.Out, "copy.txt")));
    }

    [Fact]
    public void File_to_an_existing_directory_keeps_its_name_and_overwrites_a_file()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/data/a.txt", _f.Out, false, false);
        Assert.Equal("A", File.ReadAllText(Path.Combine(_f.Out, "a.txt")));
        File.WriteAllText(Path.Combine(_f.Out, "x"), "old content that is longer");
        ContainerArchive.CopyOut(c, "/data/a.txt", Path.Combine(_f.Out, "x"), false, false);
        Assert.Equal("A", File.ReadAllText(Path.Combine(_f.Out, "x")));
    }

    [Fact]
    public void Directory_rules_copy_into_rename_and_contents()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/data", _f.Out, false, false);                          // existing dir: dest/data
        Assert.Equal("B", File.ReadAllText(Path.Combine(_f.Out, "data/sub/b.txt")));
        ContainerArchive.CopyOut(c, "/data", Path.Combine(_f.Out, "renamed"), false, false); // missing: created as renamed
        Assert.Equal("A", File.ReadAllText(Path.Combine(_f.Out, "renamed/a.txt")));
        var contents = _f.Sub("contents");
        ContainerArchive.CopyOut(c, "/data/.", contents, false, false);                      // "/.": the contents
        Assert.Equal(["a.txt", "rel-link", "sub"], Directory.GetFileSystemEntries(contents).Select(Path.GetFileName).Order());
        Assert.Equal("a.txt", new FileInfo(Path.Combine(contents, "rel-link")).LinkTarget);
    }

    [Fact]
    public void Directory_onto_a_file_and_file_into_a_missing_directory_are_refused()
    {
        using var c = _f.Container();
        File.WriteAllText(Path.Combine(_f.Out, "file"), "f");
        Assert.Contains("cannot copy a directory to a file", Assert.Throws<CopyException>(() =>
            ContainerArchive.CopyOut(c, "/data", Path.Combine(_f.Out, "file"), false, false)).Message);
        Assert.Contains("must exist", Assert.Throws<CopyException>(() =>
            ContainerArchive.CopyOut(c, "/data/a.txt", Path.Combine(_f.Out, "nodir") + "/", false, false)).Message);
        Assert.Contains("does not exist", Assert.Throws<CopyException>(() =>
            ContainerArchive.CopyOut(c, "/data/a.txt", Path.Combine(_f.Out, "no/such/dir/x"), false, false)).Message);
        Assert.Equal("Could not find the file /nope in container parts-ctr", Assert.Throws<CopyException>(() =>
            ContainerArchive.CopyOut(c, "/nope", _f.Out, false, false)).Message);
        Assert.False(Directory.Exists(Path.Combine(_f.Out, "nodir")));
    }

    [Fact]
    public void Symlink_is_copied_as_a_link_unless_follow()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/data/rel-link", Path.Combine(_f.Out, "l1"), false, false);
        Assert.Equal("a.txt", new FileInfo(Path.Combine(_f.Out, "l1")).LinkTarget);
        ContainerArchive.CopyOut(c, "/data/rel-link", Path.Combine(_f.Out, "l2"), true, false);
        Assert.Null(new FileInfo(Path.Combine(_f.Out, "l2")).LinkTarget);
        Assert.Equal("A", File.ReadAllText(Path.Combine(_f.Out, "l2")));
    }

    [Fact]
    public void Copy_in_makes_files_roots_unless_archive_mode()
    {
        var src = _f.Sub("hostsrc");
        File.WriteAllText(Path.Combine(src, "owned"), "o");
        Files.FchownAt(Files.AT_FDCWD, Path.Combine(src, "owned"), 1234, 4321, 0);
        File.SetUnixFileMode(Path.Combine(src, "owned"), (UnixFileMode)0x1e4); // 0744
        using var c = _f.Container();
        ContainerArchive.CopyIn(c, Path.Combine(src, "owned"), "/data/plain", false, archive: false);
        ContainerArchive.CopyIn(c, Path.Combine(src, "owned"), "/data/kept", false, archive: true);
        var plain = Files.StatAt(Files.AT_FDCWD, Path.Combine(_f.Rootfs, "data/plain"), 0);
        var kept = Files.StatAt(Files.AT_FDCWD, Path.Combine(_f.Rootfs, "data/kept"), 0);
        Assert.Equal((0u, 0u), (plain.Uid, plain.Gid));
        Assert.Equal((1234u, 4321u), (kept.Uid, kept.Gid));
        Assert.Equal(0x1e4u, plain.Mode & 0xfff);
        ContainerArchive.CopyIn(c, src, "/data", false, archive: true);   // a directory into an existing directory
        Assert.Equal("o", File.ReadAllText(Path.Combine(_f.Rootfs, "data/hostsrc/owned")));
    }

    [Fact]
    public void Tar_out_and_back_in_round_trips()
    {
        using var c = _f.Container();
        var ms = new MemoryStream();
        ContainerArchive.WriteTar(c, "/data", false, ms);
        ms.Position = 0;
        Directory.CreateDirectory(Path.Combine(_f.Rootfs, "restore"));
        ContainerArchive.ReadTar(c, ms, "/restore", archive: true);
        Assert.Equal("B", File.ReadAllText(Path.Combine(_f.Rootfs, "restore/data/sub/b.txt")));
        Assert.Equal("a.txt", new FileInfo(Path.Combine(_f.Rootfs, "restore/data/rel-link")).LinkTarget);
        Assert.Contains("must be a directory", Assert.Throws<CopyException>(() =>
            ContainerArchive.ReadTar(c, new MemoryStream(), "/data/a.txt", false)).Message);
    }

    [Fact]
    public void Hard_links_stay_hard_links()
    {
        File.WriteAllText(Path.Combine(_f.Rootfs, "data/h1"), "shared");
        Links.Link(Path.Combine(_f.Rootfs, "data/h1"), Path.Combine(_f.Rootfs, "data/h2"));
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/data", _f.Out, false, false);
        var a = Files.StatAt(Files.AT_FDCWD, Path.Combine(_f.Out, "data/h1"), 0);
        var b = Files.StatAt(Files.AT_FDCWD, Path.Combine(_f.Out, "data/h2"), 0);
        Assert.Equal(a.Ino, b.Ino);
    }

    [Fact]
    public void Stopped_container_mounts_are_seen_at_their_destination()
    {
        var vol = _f.Sub("volume");
        File.WriteAllText(Path.Combine(vol, "in-volume"), "V");
        Directory.CreateDirectory(Path.Combine(_f.Rootfs, "mnt/vol"));
        using var c = _f.Container(new ArchiveMount("/mnt/vol", vol), new ArchiveMount("/mnt/ro", _f.Sub("ro"), ReadOnly: true));
        ContainerArchive.CopyOut(c, "/mnt/vol/in-volume", _f.Out, false, false);
        Assert.Equal("V", File.ReadAllText(Path.Combine(_f.Out, "in-volume")));
        ContainerArchive.CopyOut(c, "/mnt", Path.Combine(_f.Out, "whole"), false, false);
        Assert.Equal("V", File.ReadAllText(Path.Combine(_f.Out, "whole/vol/in-volume")));
        var src = Path.Combine(_f.Sub("in"), "new");
        File.WriteAllText(src, "N");
        ContainerArchive.CopyIn(c, src, "/mnt/vol/", false, false);
        Assert.Equal("N", File.ReadAllText(Path.Combine(vol, "new")));
        Assert.Contains("read-only", Assert.Throws<CopyException>(() => ContainerArchive.CopyIn(c, src, "/mnt/ro/", false, false)).Message);
    }
}
