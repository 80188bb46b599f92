using Skiff.Images;
using Skiff.Images.Registry;

namespace Skiff.Cli;

/// <summary>What every verb gets: global options and lazily opened services.</summary>
public sealed class Context
{
    public string Root { get; init; } = ImageService.DefaultRoot;
    public string? RunRoot { get; init; }
    public string? Snapshotter { get; init; }
    public bool Debug { get; init; }
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Err { get; init; } = Console.Error;

    Engine.Engine? _engine;
    /// <summary>The engine over --root/--run-root; its image service knows which images containers use.</summary>
    public Engine.Engine Engine => _engine ??= OpenEngine();

    Engine.Engine OpenEngine()
    {
        var e = Skiff.Engine.Engine.Open(Skiff.Engine.EngineRoots.From(Root, RunRoot), Snapshotter);
        try { e.ExitCommand = SelfCommand.Cleanup(e.Roots, Snapshotter); } catch (InvalidOperationException) { }
        return e;
    }
    public ImageService Images => Engine.Images;

    public RegistryClient Registry(bool insecure) => new(new RegistryOptions
    {
        Credentials = DockerConfig.Default(),
        Insecure = insecure || Environment.GetEnvironmentVariable("SKIFF_INSECURE") == "1",
    });

    public bool Terminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
}
