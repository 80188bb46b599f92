using Skiff.Linux;
using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>Makes the container root "/": pivot_root(".", ".") and a lazy unmount of the old root, or with
/// --no-pivot a move mount plus chroot (for ramdisk roots where pivot_root is impossible).</summary>
public static class PivotRoot
{
    public static void Enter(string rootfs, bool noPivot)
    {
        if (noPivot)
        {
            Host.Chdir(rootfs);
            Mount(rootfs, "/", null, MS_MOVE, null, "/ (move of the container root)");
            Host.Chroot(".");
            Host.Chdir("/");
            return;
        }
        using var oldRoot = Files.Open("/", Files.O_DIRECTORY | Files.O_RDONLY);
        using var newRoot = Files.Open(rootfs, Files.O_DIRECTORY | Files.O_RDONLY);
        Host.Fchdir(newRoot.Value, rootfs);
        Mounts.PivotRoot(".", ".");
        // The old root now sits on top of the new one: detach it without sending events to the host.
        Host.Fchdir(oldRoot.Value, "old root");
        Mount(null, ".", null, MS_SLAVE | MS_REC, null, "old root");
        Unmount(".", MNT_DETACH);
        Host.Chdir("/");
    }
}
