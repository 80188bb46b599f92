using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Skiff.Linux.Netlink;

/// <summary>
/// Named network namespaces: a namespace kept alive by bind-mounting its nsfs file onto a regular file (what
/// `ip netns add` does). A .NET process has many threads and setns/unshare(CLONE_NEWNET) change only the calling
/// thread, so all of that happens on a short-lived dedicated thread that switches back before it ends; no pool
/// thread ever runs in a foreign namespace.
/// </summary>
public static partial class NetworkNamespace
{
    [LibraryImport("libc", SetLastError = true)] private static partial int unshare(int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int setns(int fd, int nstype);

    /// <summary>
    /// Makes <paramref name="directory"/> a shared mount point (bind-mounting it onto itself if needed) so that a
    /// namespace mount that leaks into another mount namespace is still removed when it is unmounted here.
    /// </summary>
    public static void PrepareDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        int e = Mounts.TryMount("none", directory, null, Mounts.MS_SHARED | Mounts.MS_REC, null);
        if (e == Errno.EINVAL)
        {
            Mounts.Mount(directory, directory, null, Mounts.MS_BIND | Mounts.MS_REC, null);
            Mounts.Mount("none", directory, null, Mounts.MS_SHARED | Mounts.MS_REC, null);
        }
        else if (e != 0) throw new LinuxException("mount", directory, e, "make shared");
    }

    /// <summary>Creates a new network namespace, pinned at <paramref name="path"/>, with `lo` up.</summary>
    public static void Create(string path)
    {
        using (var f = Files.TryOpen(path, Files.O_RDONLY | Files.O_CREAT | Files.O_EXCL, out int err, 0x1a4))
            if (!f.IsValid) throw new LinuxException("create netns file", path, err);
        try
        {
            OnDedicatedThread(() =>
            {
                if (unshare(Namespaces.CLONE_NEWNET) != 0) throw LinuxException.FromLastError("unshare", path, "CLONE_NEWNET");
                Mounts.Mount("/proc/thread-self/ns/net", path, null, Mounts.MS_BIND, null);
                using var nl = NetlinkSocket.Open();
                nl.SetUp("lo");
            }, path);
        }
        catch
        {
            Remove(path);
            throw;
        }
    }

    /// <summary>Unmounts and deletes a namespace file; missing is fine (idempotent).</summary>
    public static void Remove(string path)
    {
        int e = Mounts.TryUnmount(path, Mounts.MNT_DETACH);
        if (e != 0 && e != Errno.EINVAL && e != Errno.ENOENT) throw new LinuxException("umount2", path, e);
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>True when <paramref name="path"/> is a mounted namespace file (nsfs), not just a leftover file.</summary>
    public static bool IsMounted(string path)
    {
        try { return Files.FsType(path) == NsfsMagic; }
        catch (LinuxException) { return false; }
    }

    const long NsfsMagic = 0x6e736673;

    /// <summary>Opens the namespace file (for IFLA_NET_NS_FD or setns).</summary>
    public static Fd Open(string path) => Files.Open(path, Files.O_RDONLY);

    /// <summary>A route socket that talks to the namespace at <paramref name="path"/> (from any thread).</summary>
    public static NetlinkSocket OpenSocket(string path)
    {
        NetlinkSocket? socket = null;
        Run(path, () => socket = NetlinkSocket.Open());
        return socket!;
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread inside the namespace at <paramref name="path"/>.</summary>
    public static void Run(string path, Action action)
    {
        using var target = Open(path);
        int fd = target.Value;
        OnDedicatedThread(() =>
        {
            if (setns(fd, Namespaces.CLONE_NEWNET) != 0) throw LinuxException.FromLastError("setns", path, "CLONE_NEWNET");
            action();
        }, path);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a new thread that remembers its network namespace first and goes back to it
    /// afterwards (so the OS thread never ends up anywhere surprising even if the runtime were to keep it).
    /// </summary>
    static void OnDedicatedThread(Action body, string path)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            Fd home = Fd.None;
            try
            {
                home = Files.Open("/proc/thread-self/ns/net", Files.O_RDONLY);
                body();
            }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally
            {
                if (home.IsValid)
                {
                    if (setns(home.Value, Namespaces.CLONE_NEWNET) != 0 && failure is null)
                        failure = ExceptionDispatchInfo.Capture(LinuxException.FromLastError("setns", path, "back to the host namespace"));
                    home.Dispose();
                }
            }
        }, 256 * 1024) { IsBackground = true, Name = "netns" };
        thread.Start();
        thread.Join();
        failure?.Throw();
    }
}
