using System.Text.Json;
using Skiff.Runtime.Spec;

namespace Oar.Tests.Fixtures;

/// <summary>An OCI bundle in a temp directory: `oar spec` defaults (no terminal) over a test rootfs.</summary>
public sealed class Bundle : IDisposable
{
    public string Dir { get; }
    public RuntimeSpec Spec { get; }

    public Bundle(string rootfs, params string[] args)
    {
        Dir = Directory.CreateTempSubdirectory("oar-test-bundle-").FullName;
        Spec = DefaultSpec.Create(rootless: false);
        Spec.Process!.Terminal = false;
        Spec.Process.Args = [.. args];
        Spec.Root!.Path = rootfs;
    }

    public static Bundle Busybox(params string[] args) => new(Rootfs.Busybox, args);
    public static Bundle Shell(string script) => new(Rootfs.Busybox, "/bin/sh", "-c", script);

    /// <summary>Writes config.json (call after changing <see cref="Spec"/>).</summary>
    public Bundle Write()
    {
        File.WriteAllText(Path.Combine(Dir, "config.json"), JsonSerializer.Serialize(Spec, SpecJson.Default.RuntimeSpec));
        return this;
    }

    public void WriteRaw(string json) => File.WriteAllText(Path.Combine(Dir, "config.json"), json);

    public string File_(string name) => Path.Combine(Dir, name);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
