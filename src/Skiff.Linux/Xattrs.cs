using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Extended attributes on a path without following its last component (lsetxattr family).</summary>
public static unsafe partial class Xattrs
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lsetxattr(string path, string name, byte* value, nuint size, int flags);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint lgetxattr(string path, string name, byte* value, nuint size);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint llistxattr(string path, byte* list, nuint size);

    public static void Set(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            if (lsetxattr(path, name, p, (nuint)value.Length, 0) != 0)
                throw LinuxException.FromLastError("lsetxattr", path, name);
    }

    /// <summary>The value, or null when the attribute is absent or xattrs are unsupported.</summary>
    public static byte[]? Get(string path, string name)
    {
        while (true)
        {
            nint n = lgetxattr(path, name, null, 0);
            if (n < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.ENODATA || e == Errno.EOPNOTSUPP) return null;
                throw new LinuxException("lgetxattr", path, e, name);
            }
            var buf = new byte[n];
            fixed (byte* p = buf)
            {
                nint m = lgetxattr(path, name, p, (nuint)buf.Length);
                if (m < 0 && Marshal.GetLastPInvokeError() == Errno.ERANGE) continue;
                if (m < 0) throw LinuxException.FromLastError("lgetxattr", path, name);
                return m == buf.Length ? buf : buf[..(int)m];
            }
        }
    }

    public static string[] List(string path)
    {
        while (true)
        {
            nint n = llistxattr(path, null, 0);
            if (n < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EOPNOTSUPP) return [];
                throw new LinuxException("llistxattr", path, e);
            }
            if (n == 0) return [];
            var buf = new byte[n];
            fixed (byte* p = buf)
            {
                nint m = llistxattr(path, p, (nuint)buf.Length);
                if (m < 0 && Marshal.GetLastPInvokeError() == Errno.ERANGE) continue;
                if (m < 0) throw LinuxException.FromLastError("llistxattr", path);
                return System.Text.Encoding.UTF8.GetString(buf, 0, (int)m).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}
