using System.Text;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>Listening unix sockets at any path length: sun_path holds 107 bytes, so a longer path is bound
/// through <c>/proc/self/fd/&lt;dir fd&gt;/&lt;name&gt;</c> (clients connect the same way).</summary>
static class SocketPath
{
    public static Fd Listen(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
        if (Encoding.UTF8.GetByteCount(path) < 108) return Sockets.ListenUnix(path);
        using var dir = Files.Open(Path.GetDirectoryName(path)!, Files.O_PATH | Files.O_DIRECTORY);
        return Sockets.ListenUnix($"/proc/self/fd/{dir.Value}/{Path.GetFileName(path)}");
    }
}
