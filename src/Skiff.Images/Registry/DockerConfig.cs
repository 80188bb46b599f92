using System.Text;
using System.Text.Json;
using Skiff.Images.Formats;
using Skiff.Images.Metadata;

namespace Skiff.Images.Registry;

/// <summary>Credentials in docker's config.json ($DOCKER_CONFIG/config.json or ~/.docker/config.json): "auths" entries
/// with base64("user:password"). `skiff login`/`logout` write the same file, so docker and skopeo share them.</summary>
public sealed class DockerConfig(string path) : ICredentialSource
{
    public string Path { get; } = path;

    public static DockerConfig Default()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
            dir = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return new DockerConfig(System.IO.Path.Combine(dir, "config.json"));
    }

    /// <summary>docker.io credentials live under docker's legacy key.</summary>
    public static string Key(string registry) => registry == "docker.io" ? "https://index.docker.io/v1/" : registry;

    public Credentials? Get(string registry)
    {
        var file = Load();
        if (file.Auths is null) return null;
        foreach (var (k, v) in file.Auths)
        {
            if (Normalize(k) != Normalize(Key(registry)) && Normalize(k) != registry) continue;
            if (!string.IsNullOrEmpty(v.IdentityToken)) return new Credentials("", "", v.IdentityToken);
            if (string.IsNullOrEmpty(v.Auth)) continue;
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(v.Auth));
            int colon = text.IndexOf(':');
            if (colon < 0) throw new FormatException($"{Path}: auth for {k} is not base64(user:password)");
            return new Credentials(text[..colon], text[(colon + 1)..]);
        }
        return null;
    }

    public void Set(string registry, Credentials c)
    {
        var file = Load();
        var auths = file.Auths ?? [];
        auths[Key(registry)] = new DockerAuthEntry { Auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}")) };
        Save(file with { Auths = auths });
    }

    public bool Remove(string registry)
    {
        var file = Load();
        if (file.Auths is null) return false;
        bool removed = file.Auths.Remove(Key(registry)) | file.Auths.Remove(registry);
        if (removed) Save(file);
        return removed;
    }

    static string Normalize(string key)
    {
        var k = key;
        if (k.StartsWith("https://", StringComparison.Ordinal)) k = k[8..];
        else if (k.StartsWith("http://", StringComparison.Ordinal)) k = k[7..];
        int slash = k.IndexOf('/');
        if (slash >= 0) k = k[..slash];
        return k is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : k;
    }

    DockerConfigFile Load()
    {
        if (!File.Exists(Path)) return new DockerConfigFile();
        var bytes = File.ReadAllBytes(Path);
        if (bytes.Length == 0) return new DockerConfigFile();
        return JsonSerializer.Deserialize(bytes, WireJson.Default.DockerConfigFile) ?? new DockerConfigFile();
    }

    void Save(DockerConfigFile f)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(f, WireJson.Default.DockerConfigFile));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
