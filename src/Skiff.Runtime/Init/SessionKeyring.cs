using System.Runtime.InteropServices;

namespace Skiff.Runtime.Init;

/// <summary>Gives the container a session keyring of its own (runc's default; --no-new-keyring skips it).</summary>
public static partial class SessionKeyring
{
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long keyctl_join(long nr, long op, string name);

    public static void Join(string id)
    {
        // KEYCTL_JOIN_SESSION_KEYRING = 1. Kernels without keyrings (ENOSYS) or denying it are fine: not a failure.
        keyctl_join(250, 1, "_ses." + id);
    }
}
