namespace Skiff.Engine;

/// <summary>Where an engine keeps its state: <see cref="DataRoot"/> survives reboots (images, containers, volumes,
/// networks), <see cref="RunRoot"/> is tmpfs state (the runtime's --root, network namespaces, long socket paths).</summary>
public sealed record EngineRoots(string DataRoot, string RunRoot)
{
    public const string DefaultDataRoot = "/var/lib/skiff";
    public const string DefaultRunRoot = "/run/skiff";

    /// <summary>--root / SKIFF_ROOT and --run-root / SKIFF_RUN_ROOT, else the defaults. A non-default data root with no
    /// run root gets its own run root, so test roots never share runtime state with the system's.</summary>
    public static EngineRoots From(string? dataRoot, string? runRoot)
    {
        dataRoot ??= Environment.GetEnvironmentVariable("SKIFF_ROOT") ?? DefaultDataRoot;
        runRoot ??= Environment.GetEnvironmentVariable("SKIFF_RUN_ROOT");
        if (string.IsNullOrEmpty(runRoot))
            runRoot = Path.GetFullPath(dataRoot) == DefaultDataRoot ? DefaultRunRoot
                : Path.Combine(DefaultRunRoot, "roots", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                    System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataRoot))))[..12]);
        return new EngineRoots(Path.GetFullPath(dataRoot), Path.GetFullPath(runRoot));
    }

    public string Containers => Path.Combine(DataRoot, "containers");
    public string Volumes => Path.Combine(DataRoot, "volumes");
    public string Networks => Path.Combine(DataRoot, "networks");
    public string EventsFile => Path.Combine(DataRoot, "events.jsonl");
    public string RuntimeRoot => Path.Combine(RunRoot, "oar");
    public string NetnsDir => Path.Combine(RunRoot, "netns");
    public string ContainerDir(string id) => Path.Combine(Containers, id);
}
