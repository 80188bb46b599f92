using Skiff.Engine.Archive;

namespace Skiff.Engine.Tests.Archive;

/// <summary>A stopped container's rootfs full of hostile symlinks, next to a host directory holding a "secret" that no
/// copy may ever read or write.</summary>
public sealed class ArchiveFixture : IDisposable
{
    readonly TempRoot _root = new("cp");
    public string Rootfs { get; }
    public string HostSecretDir { get; }
    public string HostSecretFile { get; }
    public string Out { get; }

    public ArchiveFixture()
    {
        Rootfs = _root.Sub("rootfs");
        HostSecretDir = _root.Sub("host-secret");
        HostSecretFile = Path.Combine(HostSecretDir, "secret");
        File.WriteAllText(HostSecretFile, "HOST SECRET");
        Out = _root.Sub("out");
        Directory.CreateDirectory(Path.Combine(Rootfs, "etc"));
        File.WriteAllText(Path.Combine(Rootfs, "etc/passwd"), "container passwd\n");
        Directory.CreateDirectory(Path.Combine(Rootfs, "data/sub"));
        File.WriteAllText(Path.Combine(Rootfs, "data/a.txt"), "A");
        File.WriteAllText(Path.Combine(Rootfs, "data/sub/b.txt"), "B");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "data/rel-link"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "evil"), "/");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "hostetc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "dotdot"), "../../../../../../../..");
        File.CreateSymbolicLink(Path.Combine(Rootfs, "escape"), HostSecretDir);
        File.CreateSymbolicLink(Path.Combine(Rootfs, "secret-link"), HostSecretFile);
    }

    public ContainerFs Container(params ArchiveMount[] mounts) => ContainerFs.ForRootfs(Rootfs, mounts, "parts-ctr");

    public string Sub(string name) => _root.Sub(name);
    public string PathIn(string name) => Path.Combine(_root.Path, name);

    public void AssertHostSecretUntouched()
    {
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(HostSecretDir).Select(Path.GetFileName));
        Assert.Equal("HOST SECRET", File.ReadAllText(HostSecretFile));
    }

    public void Dispose() => _root.Dispose();
}
