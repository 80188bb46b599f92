using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>mount(2), umount2(2), pivot_root(2) and the MS_* flags.</summary>
public static partial class Mounts
{
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
        MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
        MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
        MS_POSIXACL = 1 << 16, MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19,
        MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_KERNMOUNT = 1 << 22, MS_I_VERSION = 1 << 23,
        MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
    public const int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);
    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_pivot_root(long nr, string newRoot, string putOld);

    /// <summary>mount(2). <paramref name="displayTarget"/> is what errors name (the container path, not /proc/self/fd/N).</summary>
    public static void Mount(string? source, string target, string? fstype, ulong flags, string? data, string? displayTarget = null)
    {
        if (mount(source, target, fstype, flags, data) != 0)
        {
            var what = fstype ?? source ?? "";
            throw LinuxException.FromLastError("mount", displayTarget ?? target, $"\"{what}\"");
        }
    }

    public static int TryMount(string? source, string target, string? fstype, ulong flags, string? data)
        => mount(source, target, fstype, flags, data) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void Unmount(string target, int flags)
    {
        if (umount2(target, flags) != 0) throw LinuxException.FromLastError("umount2", target);
    }

    public static int TryUnmount(string target, int flags)
        => umount2(target, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void PivotRoot(string newRoot, string putOld)
    {
        if (syscall_pivot_root(155, newRoot, putOld) != 0) throw LinuxException.FromLastError("pivot_root", newRoot);
    }
}
