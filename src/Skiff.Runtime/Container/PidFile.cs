namespace Skiff.Runtime.Container;

/// <summary>--pid-file: written atomically (temp file + rename), as engines poll for it.</summary>
public static class PidFile
{
    public static void Write(string path, int pid)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(tmp, pid.ToString());
        File.Move(tmp, full, overwrite: true);
    }
}
