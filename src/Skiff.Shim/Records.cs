using System.Text.Json;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>shim-state.json and exit.json, each replaced atomically (write a temp file, rename over).</summary>
static class Records
{
    public static void Write(string path, ShimState state) => Replace(path, JsonSerializer.SerializeToUtf8Bytes(state, ShimJson.Default.ShimState));

    public static void Write(string path, ShimExit exit) => Replace(path, JsonSerializer.SerializeToUtf8Bytes(exit, ShimJson.Default.ShimExit));

    static void Replace(string path, byte[] data)
    {
        var tmp = path + ".tmp";
        try
        {
            File.WriteAllBytes(tmp, data);
            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException) { } // a vanished container directory (removed under us) is not the shim's to fix
        catch (UnauthorizedAccessException) { }
    }
}
