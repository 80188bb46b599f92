namespace Skiff.Engine.Containers;

/// <summary>What `create`/`run` (or the Docker API's POST /containers/create) asks for. <see cref="Config"/> carries
/// the user's values only (Env, Labels, User, WorkingDir, Tty, …); the engine merges the image's in.</summary>
public sealed class CreateRequest
{
    public required string Image { get; init; }
    public string? Name { get; init; }
    /// <summary>The command after the image name (replaces the image's Cmd when not empty).</summary>
    public List<string> Command { get; init; } = [];
    /// <summary>--entrypoint: null keeps the image's; "" clears it.</summary>
    public string? Entrypoint { get; init; }
    public ContainerConfig Config { get; init; } = new();
    public HostConfig HostConfig { get; init; } = new();
    /// <summary>docker's NetworkingConfig.EndpointsConfig: per network, the aliases and address asked for (`--network-alias`,
    /// `--ip` apply to the --network one); networks other than --network's are joined as well.</summary>
    public Dictionary<string, EndpointSettings>? EndpointsConfig { get; init; }
}
