using Skiff.Images.Layers;
using Skiff.Linux;

namespace Skiff.Images.Tests;

public class LayerApplyTests
{
    static Files.Stat L(string p) => Files.StatAt(Files.AT_FDCWD, p, Files.AT_SYMLINK_NOFOLLOW);

    // VFS_CAP_REVISION_2 | effective, permitted = CAP_NET_BIND_SERVICE
    static readonly byte[] NetBindCap = [0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void Applies_every_entry_type_with_owner_mode_time_and_xattrs()
    {
        using var t = new TempDir();
        new LayerBuilder()
            .Dir("etc", mode: 0x1c0, uid: 1000, gid: 1001, mtime: 1_500_000_000)
            .File("etc/conf", "hello", mode: 0xfed & 0x9ed, uid: 1000, gid: 1001, mtime: 1_400_000_000,
                xattrs: new(StringComparer.Ordinal) { ["user.note"] = "n"u8.ToArray(), ["security.capability"] = NetBindCap })
            .File("bin/suid", "x", mode: 0x9ed) // 04755: setuid survives chown
            .Symlink("etc/link", "conf")
            .Hardlink("etc/hard", "etc/conf")
            .Char("dev/null", 1, 3)
            .Fifo("run/pipe")
            .ApplyTo(t.Path);

        var conf = L(Path.Combine(t.Path, "etc/conf"));
        Assert.Equal((1000u, 1001u), (conf.Uid, conf.Gid));
        Assert.Equal(1_400_000_000, conf.Mtime);
        Assert.Equal("hello", File.ReadAllText(Path.Combine(t.Path, "etc/conf")));
        Assert.Equal("n"u8.ToArray(), Xattrs.Get(Path.Combine(t.Path, "etc/conf"), "user.note"));
        Assert.Equal(NetBindCap, Xattrs.Get(Path.Combine(t.Path, "etc/conf"), "security.capability"));
        Assert.Equal(0x9edu, L(Path.Combine(t.Path, "bin/suid")).Mode & 0xfff);
        var etc = L(Path.Combine(t.Path, "etc"));
        Assert.Equal(0x1c0u, etc.Mode & 0xfff);
        Assert.Equal(1_500_000_000, etc.Mtime); // set after its children were written
        Assert.Equal("conf", Links.ReadLinkAt(Files.AT_FDCWD, Path.Combine(t.Path, "etc/link")));
        Assert.Equal(conf.Ino, L(Path.Combine(t.Path, "etc/hard")).Ino);
        var dev = L(Path.Combine(t.Path, "dev/null"));
        Assert.Equal(Files.S_IFCHR, dev.Mode & Files.S_IFMT);
        Assert.Equal((ulong)((1 << 8) | 3), dev.Rdev);
        Assert.Equal(Files.S_IFIFO, L(Path.Combine(t.Path, "run/pipe")).Mode & Files.S_IFMT);
    }

    [Fact]
    public void Modes_and_owners_are_exact_despite_umask_and_setgid_parents()
    {
        using var t = new TempDir();
        new LayerBuilder()
            .Dir("g", mode: 0xdfd, gid: 1234) // 06775: setgid directory
            .File("g/f", "x", mode: 0x1b6)       // 0666 root:root inside it
            .File("open", "x", mode: 0x1ff)      // 0777 (a 022 umask would strip it)
            .ApplyTo(t.Path);
        var f = L(Path.Combine(t.Path, "g/f"));
        Assert.Equal((0u, 0u), (f.Uid, f.Gid));
        Assert.Equal(0x1b6u, f.Mode & 0xfff);
        Assert.Equal(0x1ffu, L(Path.Combine(t.Path, "open")).Mode & 0xfff);
        Assert.Equal(1234u, L(Path.Combine(t.Path, "g")).Gid);
    }

    [Fact]
    public void Long_runs_of_zeros_become_holes()
    {
        using var t = new TempDir();
        var data = new byte[8 << 20];
        data[0] = 1;
        data[^1] = 2;
        new LayerBuilder().Bytes("sparse", data).ApplyTo(t.Path);
        var st = L(Path.Combine(t.Path, "sparse"));
        Assert.Equal(data.Length, st.Size);
        Assert.True(st.Blocks * 512 < data.Length / 2, $"allocated {st.Blocks * 512} bytes for an 8 MiB mostly-hole file");
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(t.Path, "sparse")));
    }

    [Fact]
    public void Whiteouts_and_opaque_directories_delete_lower_content()
    {
        using var t = new TempDir();
        new LayerBuilder().File("a/x", "x").File("a/y", "y").File("b/z", "z").File("c/old", "o").ApplyTo(t.Path);
        new LayerBuilder().Whiteout("a/x").Whiteout("b").Opaque("c").File("c/new", "n").Whiteout("missing/thing").ApplyTo(t.Path);
        Assert.False(File.Exists(Path.Combine(t.Path, "a/x")));
        Assert.True(File.Exists(Path.Combine(t.Path, "a/y")));
        Assert.False(Directory.Exists(Path.Combine(t.Path, "b")));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(t.Path, "c")).Select(Path.GetFileName));
    }

    [Fact]
    public void Overlay_style_writes_overlay_whiteouts()
    {
        using var t = new TempDir();
        new LayerBuilder().Whiteout("gone").Opaque("dir").File("dir/kept", "k").ApplyTo(t.Path, WhiteoutStyle.Overlay);
        var w = L(Path.Combine(t.Path, "gone"));
        Assert.Equal(Files.S_IFCHR, w.Mode & Files.S_IFMT);
        Assert.Equal(0ul, w.Rdev);
        Assert.Equal("y"u8.ToArray(), Xattrs.Get(Path.Combine(t.Path, "dir"), Whiteouts.OverlayOpaqueXattr));
    }

    [Fact]
    public void Entries_replace_what_is_there_and_directories_merge()
    {
        using var t = new TempDir();
        new LayerBuilder().File("f", "file").Dir("d").File("d/keep", "k").Symlink("s", "f").ApplyTo(t.Path);
        new LayerBuilder().Dir("f").File("f/inside", "i").Dir("d", mode: 0x1c0).File("s", "now a file").ApplyTo(t.Path);
        Assert.True(Directory.Exists(Path.Combine(t.Path, "f")));
        Assert.True(File.Exists(Path.Combine(t.Path, "d/keep")));
        Assert.Equal(0x1c0u, L(Path.Combine(t.Path, "d")).Mode & 0xfff);
        Assert.Equal(Files.S_IFREG, L(Path.Combine(t.Path, "s")).Mode & Files.S_IFMT);
    }

    [Fact]
    public void Hardlinks_to_files_of_lower_layers_are_copied_up_in_overlay_style()
    {
        using var t = new TempDir();
        var lower = t.Sub("lower");
        var upper = t.Sub("upper");
        new LayerBuilder().File("bin/tool", "TOOL", mode: 0x1ed).ApplyTo(lower);
        new LayerBuilder().Hardlink("bin/alias", "bin/tool").ApplyTo(upper, WhiteoutStyle.Overlay, () => [lower]);
        Assert.Equal("TOOL", File.ReadAllText(Path.Combine(upper, "bin/alias")));
        Assert.Equal(L(Path.Combine(upper, "bin/tool")).Ino, L(Path.Combine(upper, "bin/alias")).Ino);
        Assert.Equal(1ul, L(Path.Combine(lower, "bin/tool")).Nlink); // the lower layer is never modified
    }

    // ---- hostile layers: each attempt must leave everything outside the root untouched ----

    sealed class Arena : IDisposable
    {
        public readonly TempDir T = new("hostile");
        public string Root => Path.Combine(T.Path, "root");
        public string Outside => Path.Combine(T.Path, "outside");
        public string Secret => Path.Combine(Outside, "secret");
        public Arena()
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(Outside);
            File.WriteAllText(Secret, "secret");
        }
        public void AssertOutsideUntouched()
        {
            Assert.Equal(["secret"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
            Assert.Equal("secret", File.ReadAllText(Secret));
            Assert.Equal(1ul, L(Secret).Nlink);
            Assert.Equal(["outside", "root"], Directory.GetFileSystemEntries(T.Path).Select(Path.GetFileName).Order());
        }
        public void Dispose() => T.Dispose();
    }

    static void Attempt(Arena a, LayerBuilder b)
    {
        try { b.ApplyTo(a.Root); } catch (Exception e) when (e is LayerSecurityException or LinuxException) { }
        a.AssertOutsideUntouched();
    }

    [Fact]
    public void Refuses_dotdot_names()
    {
        using var a = new Arena();
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().File("../outside/pwned", "x").ApplyTo(a.Root));
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().File("a/../../outside/pwned", "x").ApplyTo(a.Root));
        a.AssertOutsideUntouched();
    }

    [Fact]
    public void Refuses_absolute_names()
    {
        using var a = new Arena();
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().File(a.Outside + "/pwned", "x").ApplyTo(a.Root));
        a.AssertOutsideUntouched();
    }

    [Fact]
    public void Writes_through_an_absolute_symlink_stay_inside()
    {
        using var a = new Arena();
        Attempt(a, new LayerBuilder().Symlink("evil", a.Outside).File("evil/pwned", "x"));
    }

    [Fact]
    public void Writes_through_a_relative_symlink_stay_inside()
    {
        using var a = new Arena();
        Attempt(a, new LayerBuilder().Dir("d").Symlink("d/up", "../../outside").File("d/up/pwned", "x"));
        // if it was written, it landed inside the root (where ".." stops)
    }

    [Fact]
    public void Writes_through_a_symlinked_directory_to_an_existing_inside_path_stay_inside()
    {
        using var a = new Arena();
        Directory.CreateDirectory(Path.Combine(a.Root, a.Outside.TrimStart('/')));
        new LayerBuilder().Symlink("evil", a.Outside).File("evil/pwned", "x").ApplyTo(a.Root);
        Assert.True(File.Exists(Path.Combine(a.Root, a.Outside.TrimStart('/'), "pwned")));
        a.AssertOutsideUntouched();
    }

    [Fact]
    public void Replacing_a_symlink_to_outside_never_writes_its_target()
    {
        using var a = new Arena();
        Attempt(a, new LayerBuilder().Symlink("f", a.Secret).File("f", "overwritten"));
        Assert.Equal("overwritten", File.ReadAllText(Path.Combine(a.Root, "f")));
    }

    [Fact]
    public void Hardlinks_cannot_reach_outside()
    {
        using var a = new Arena();
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().Hardlink("h", "../outside/secret").ApplyTo(a.Root));
        Attempt(a, new LayerBuilder().Hardlink("h2", a.Secret));
        Attempt(a, new LayerBuilder().Symlink("s", a.Secret).Hardlink("h3", "s"));
        Attempt(a, new LayerBuilder().Symlink("dir", a.Outside).Hardlink("h4", "dir/secret"));
    }

    [Fact]
    public void Whiteouts_cannot_delete_outside()
    {
        using var a = new Arena();
        Attempt(a, new LayerBuilder().Symlink("w", a.Outside).Whiteout("w/secret"));
        Attempt(a, new LayerBuilder().Symlink("o", a.Outside).Opaque("o"));
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().Add(new TarEntry { Name = ".wh..." }, []).ApplyTo(a.Root));
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder().Whiteout("../outside/secret").ApplyTo(a.Root));
        a.AssertOutsideUntouched();
    }

    [Fact]
    public void Overlay_xattrs_in_a_layer_are_refused()
    {
        using var a = new Arena();
        Assert.Throws<LayerSecurityException>(() => new LayerBuilder()
            .File("x", "x", xattrs: new(StringComparer.Ordinal) { ["trusted.overlay.redirect"] = "/etc"u8.ToArray() }).ApplyTo(a.Root));
    }
}
