using Skiff.Linux;
using Skiff.Engine.Archive;
using Skiff.Images.Layers;

namespace Skiff.Engine.Tests.Archive;

/// <summary>Symlinks planted in the container must never make cp read or write a host file (CVE-2018-15664 and kin).</summary>
public sealed class SymlinkAttackTests : IDisposable
{
    readonly ArchiveFixture _f = new();
    public void Dispose() => _f.Dispose();

    [Fact]
    public void Reading_through_absolute_and_dotdot_symlinks_stays_in_the_rootfs()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/hostetc/passwd", Path.Combine(_f.Out, "p1"), false, false);
        Assert.Equal("container passwd\n", File.ReadAllText(Path.Combine(_f.Out, "p1")));
        ContainerArchive.CopyOut(c, "/evil/etc/passwd", Path.Combine(_f.Out, "p2"), false, false);
        Assert.Equal("container passwd\n", File.ReadAllText(Path.Combine(_f.Out, "p2")));
        ContainerArchive.CopyOut(c, "/dotdot/etc/passwd", Path.Combine(_f.Out, "p3"), false, false);
        Assert.Equal("container passwd\n", File.ReadAllText(Path.Combine(_f.Out, "p3")));
        ContainerArchive.CopyOut(c, "/../../../../etc/passwd", Path.Combine(_f.Out, "p4"), false, false);
        Assert.Equal("container passwd\n", File.ReadAllText(Path.Combine(_f.Out, "p4")));
        // A link to a host path is resolved inside the container, where that path does not exist.
        Assert.Throws<CopyException>(() => ContainerArchive.CopyOut(c, "/escape/secret", Path.Combine(_f.Out, "s1"), false, false));
        Assert.Throws<CopyException>(() => ContainerArchive.CopyOut(c, "/secret-link", Path.Combine(_f.Out, "s2"), true, false));
        Assert.False(File.Exists(Path.Combine(_f.Out, "s2")));
    }

    [Fact]
    public void Symlink_sources_are_copied_as_links_not_as_host_content()
    {
        using var c = _f.Container();
        ContainerArchive.CopyOut(c, "/", Path.Combine(_f.Out, "all"), false, false);
        Assert.Equal("/", new FileInfo(Path.Combine(_f.Out, "all/evil")).LinkTarget);
        Assert.Equal(_f.HostSecretFile, new FileInfo(Path.Combine(_f.Out, "all/secret-link")).LinkTarget);
        Assert.False(Directory.Exists(Path.Combine(_f.Out, "all/escape/secret")) || File.Exists(Path.Combine(_f.Out, "all/escape/secret")) && new FileInfo(Path.Combine(_f.Out, "all/escape")).LinkTarget is null);
        Assert.Null(new FileInfo(Path.Combine(_f.Out, "all/etc/passwd")).LinkTarget);
    }

    [Fact]
    public void Writing_through_symlinks_lands_in_the_rootfs()
    {
        var src = Path.Combine(_f.Sub("in"), "skiff-parts-probe");
        File.WriteAllText(src, "probe");
        using var c = _f.Container();
        ContainerArchive.CopyIn(c, src, "/hostetc/", false, false);
        Assert.Equal("probe", File.ReadAllText(Path.Combine(_f.Rootfs, "etc/skiff-parts-probe")));
        Assert.False(File.Exists("/etc/skiff-parts-probe"));
        ContainerArchive.CopyIn(c, src, "/evil/etc/p2", false, false);
        Assert.True(File.Exists(Path.Combine(_f.Rootfs, "etc/p2")));
        Assert.False(File.Exists("/etc/p2"));
        // The destination's parent only exists on the host: refused, nothing written anywhere.
        Assert.Throws<CopyException>(() => ContainerArchive.CopyIn(c, src, "/escape/newfile", false, false));
        // Overwriting a symlink that points at a host file replaces... nothing on the host.
        try { ContainerArchive.CopyIn(c, src, "/secret-link", false, false); } catch (CopyException) { }
        _f.AssertHostSecretUntouched();
    }

    [Fact]
    public void Hostile_tar_entries_cannot_leave_the_destination()
    {
        using var c = _f.Container();
        Directory.CreateDirectory(Path.Combine(_f.Rootfs, "dst"));
        // "../" names: the whole archive is refused.
        var bad = Tar(("../../outside", "x", null));
        Assert.Contains("\"..\"", Assert.Throws<CopyException>(() => ContainerArchive.ReadTar(c, bad, "/dst", false)).Message);
        Assert.False(File.Exists(Path.Combine(_f.Rootfs, "outside")));
        // A symlink to the host secret dir, then a file "through" it: the write lands inside /dst.
        var sneaky = Tar(("link", null, _f.HostSecretDir), ("link/pwned", "owned!", null), ("up", null, "../../.."), ("up/pwned2", "x", null));
        try { ContainerArchive.ReadTar(c, sneaky, "/dst", false); } catch (Exception e) when (e is CopyException or Skiff.Linux.LinuxException) { }
        _f.AssertHostSecretUntouched();
        Assert.False(File.Exists(Path.Combine(_f.Rootfs, "pwned2")));
    }

    [Fact]
    public void A_symlink_swapped_in_during_copies_never_exposes_or_touches_the_host()
    {
        var dataSub = Path.Combine(_f.Rootfs, "data/sub");
        var parked = Path.Combine(_f.Rootfs, "data/parked");
        var src = _f.Sub("payload");
        File.WriteAllText(Path.Combine(src, "dropped"), "D");
        using var stop = new CancellationTokenSource();
        var swapErrors = new List<string>();
        // The "container": flips data/sub between a real directory and a symlink to the host secret directory, with
        // plain renames (each step atomic), as fast as it can.
        var evil = Path.Combine(_f.Rootfs, "data/evil");
        File.CreateSymbolicLink(evil, _f.HostSecretDir);
        int swaps = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Links.RenameAt(Files.AT_FDCWD, dataSub, Files.AT_FDCWD, parked);
                    Links.RenameAt(Files.AT_FDCWD, evil, Files.AT_FDCWD, dataSub);
                    Thread.Yield();
                    Links.RenameAt(Files.AT_FDCWD, dataSub, Files.AT_FDCWD, evil);
                    Links.RenameAt(Files.AT_FDCWD, parked, Files.AT_FDCWD, dataSub);
                    swaps++;
                }
                catch (LinuxException e)
                {
                    // The copier may legitimately create data/sub while it is renamed away (copy-in makes its
                    // destination): put the real directory back and keep swapping. Only the host checks matter.
                    lock (swapErrors) swapErrors.Add(e.Message);
                    try
                    {
                        if (new FileInfo(dataSub).LinkTarget is not null && !Path.Exists(evil)) Links.RenameAt(Files.AT_FDCWD, dataSub, Files.AT_FDCWD, evil);
                        if (Directory.Exists(parked))
                        {
                            if (Directory.Exists(dataSub) && new FileInfo(dataSub).LinkTarget is null) Directory.Delete(dataSub, recursive: true);
                            Links.RenameAt(Files.AT_FDCWD, parked, Files.AT_FDCWD, dataSub);
                        }
                    }
                    catch (Exception) { }
                    if (swapErrors.Count > 1000) break;
                }
            }
        });
        swapper.Start();
        int copies = 0;
        try
        {
            using var c = _f.Container();
            for (int i = 0; i < 300; i++)
            {
                var dest = Path.Combine(_f.Out, $"r{i}");
                try { ContainerArchive.CopyOut(c, "/data", dest, false, false); copies++; }
                catch (Exception e) when (e is CopyException or Skiff.Linux.LinuxException or IOException) { }
                try { ContainerArchive.CopyOut(c, "/data/sub/.", dest + "-sub", false, false); }
                catch (Exception e) when (e is CopyException or Skiff.Linux.LinuxException or IOException) { }
                try { ContainerArchive.CopyIn(c, src, "/data/sub/", false, false); }
                catch (Exception e) when (e is CopyException or Skiff.Linux.LinuxException or IOException) { }
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }
        Assert.True(copies > 0);
        Assert.True(swapErrors.Count < 1000, "the swapper could not recover: " + string.Join("; ", swapErrors.Take(3)));
        Assert.True(swaps > 100, $"only {swaps} swaps");
        Console.WriteLine($"copies {copies}, swaps {swaps}, swap errors {swapErrors.Count}: {string.Join("; ", swapErrors.Distinct().Take(3))}");
        // Copies may hold the symlink itself (docker copies links as links); what must never appear is the secret's
        // content in a regular file, or anything below a symlink.
        foreach (var f in RegularFiles(_f.Out))
            Assert.NotEqual("HOST SECRET", File.ReadAllText(f));
        _f.AssertHostSecretUntouched();
    }

    static IEnumerable<string> RegularFiles(string dir)
    {
        foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (e.LinkTarget is not null) continue;
            if (e is DirectoryInfo d) { foreach (var f in RegularFiles(d.FullName)) yield return f; }
            else yield return e.FullName;
        }
    }

    static MemoryStream Tar(params (string Name, string? Content, string? Link)[] entries)
    {
        var ms = new MemoryStream();
        var w = new TarWriter(ms);
        foreach (var (name, content, link) in entries)
        {
            var data = content is null ? [] : System.Text.Encoding.UTF8.GetBytes(content);
            w.WriteHeader(new TarEntry
            {
                Name = name, Mode = 0x1a4, Size = data.Length, LinkName = link ?? "",
                Type = link is not null ? TarEntry.Symlink : TarEntry.Regular,
            });
            if (data.Length > 0) w.WriteData(data);
        }
        w.Finish();
        ms.Position = 0;
        return ms;
    }
}
