using System.Text.Json;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>Reads and checks shim.json: every field the shim cannot work without is named when missing.</summary>
static class ConfigFile
{
    public static ShimConfig Read(string path)
    {
        ShimConfig? c;
        try { c = JsonSerializer.Deserialize(File.ReadAllBytes(path), ShimJson.Default.ShimConfig); }
        catch (IOException e) { throw new InvalidOperationException($"reading shim config {path}: {e.Message}"); }
        catch (JsonException e) { throw new InvalidOperationException($"shim config {path}: {e.Message}"); }
        if (c is null) throw new InvalidOperationException($"shim config {path}: empty");
        Require(path, "id", c.Id);
        Require(path, "bundlePath", c.BundlePath);
        Require(path, "runtimePath", c.RuntimePath);
        Require(path, "runtimeRoot", c.RuntimeRoot);
        Require(path, "exitPath", c.ExitPath);
        Require(path, "statePath", c.StatePath);
        Require(path, "attachSocketPath", c.AttachSocketPath);
        Require(path, "controlSocketPath", c.ControlSocketPath);
        if (c.LogDriver is not ("json-file" or "none"))
            throw new InvalidOperationException($"shim config {path}: logDriver \"{c.LogDriver}\" is not json-file or none");
        if (c.LogDriver == "json-file") Require(path, "logPath", c.LogPath);
        if (c.RestartPolicy.Name is not ("no" or "" or "on-failure" or "always" or "unless-stopped"))
            throw new InvalidOperationException($"shim config {path}: restartPolicy.name \"{c.RestartPolicy.Name}\" is not no, on-failure, always or unless-stopped");
        return c;
    }

    static void Require(string path, string field, string value)
    {
        if (string.IsNullOrEmpty(value)) throw new InvalidOperationException($"shim config {path}: {field} is missing");
    }
}
