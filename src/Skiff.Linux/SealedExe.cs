using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>
/// A handle to run a binary from that no process can turn into a way to rewrite it (the CVE-2019-5736 defence).
/// First choice: a detached, read-only bind mount of the file (open_tree + mount_setattr): exec through it shares the
/// binary's page cache and costs three syscalls; opening it for writing — also later through
/// /proc/&lt;pid&gt;/exe — fails with EROFS, and the mount is in no namespace, so nobody can remount it. runc ≥ 1.2 and
/// crun use read-only mounts of themselves for the same reason. Without CAP_SYS_ADMIN (rootless) or on kernels without
/// the new mount API it falls back to a sealed memfd copy.
/// </summary>
public static unsafe partial class SealedExe
{
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long nr, long a1, long a2, long a3);
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall5(long nr, long a1, long a2, long a3, long a4, long a5);

    const long SYS_open_tree = 428, SYS_mount_setattr = 442;
    const long OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = 0x80000, AT_EMPTY_PATH = 0x1000, AT_RECURSIVE = 0x8000;
    const ulong MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4;

    [StructLayout(LayoutKind.Sequential)]
    struct MountAttr { public ulong Set, Clear, Propagation, UsernsFd; }

    /// <summary>Opens <paramref name="path"/> for exec through /proc/self/fd/N (close-on-exec).</summary>
    public static Fd Open(string path, string memfdName)
    {
        var fd = TryReadOnlyMount(path);
        return fd ?? Memfd.SealedCopy(path, memfdName);
    }

    static Fd? TryReadOnlyMount(string path)
    {
        long tree;
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            tree = syscall3(SYS_open_tree, Files.AT_FDCWD, (long)p, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0) return null; // EPERM without CAP_SYS_ADMIN, ENOSYS on old kernels: use the copy
        var fd = new Fd((int)tree);
        var attr = new MountAttr { Set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
        byte empty = 0;
        if (syscall5(SYS_mount_setattr, tree, (long)&empty, AT_EMPTY_PATH | AT_RECURSIVE, (long)&attr, sizeof(MountAttr)) < 0)
        {
            fd.Dispose();
            return null;
        }
        return fd;
    }
}
