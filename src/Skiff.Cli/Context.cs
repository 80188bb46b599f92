using Skiff.Images;
using Skiff.Images.Registry;

namespace Skiff.Cli;

/// <summary>What every verb gets: global options and lazily opened services.</summary>
public sealed class Context
{
    public string Root { get; init; } = ImageService.DefaultRoot;
    public string? Snapshotter { get; init; }
    public bool Debug { get; init; }
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Err { get; init; } = Console.Error;

    ImageService? _images;
    public ImageService Images => _images ??= ImageService.Open(Root, Snapshotter);

    public RegistryClient Registry(bool insecure) => new(new RegistryOptions
    {
        Credentials = DockerConfig.Default(),
        Insecure = insecure || Environment.GetEnvironmentVariable("SKIFF_INSECURE") == "1",
    });

    public bool Terminal => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
}
