namespace Skiff.Runtime.Init.Process;

/// <summary>HOME for the container user from the container's /etc/passwd (runc sets it when env lacks it).</summary>
public static class HomeDirectory
{
    public static string Of(uint uid)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && uint.TryParse(f[2], out var u) && u == uid) return f[5];
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "/";
    }
}
