namespace Skiff.Build.Syntax;

/// <summary>The inputs of a build that decide what the Dockerfile means: <c>--build-arg</c> values, <c>--target</c>
/// (null = last stage) and the platforms.</summary>
public sealed record BuildOptions
{
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public PlatformArgs Platforms { get; init; } = PlatformArgs.Host;
}
