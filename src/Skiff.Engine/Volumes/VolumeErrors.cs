namespace Skiff.Engine.Volumes;

/// <summary>A volume operation that failed for a reason the user can act on; the message is docker's wording.</summary>
public class VolumeException(string message) : Exception(message);

/// <summary>"no such volume" (docker's 404).</summary>
public sealed class VolumeNotFoundException(string name) : VolumeException($"get {name}: no such volume")
{
    public string Name { get; } = name;
}

/// <summary>The volume is referenced by containers (docker's 409 "volume is in use").</summary>
public sealed class VolumeInUseException(string name, IReadOnlyList<string> containers)
    : VolumeException($"remove {name}: volume is in use - [{string.Join(", ", containers)}]")
{
    public IReadOnlyList<string> Containers { get; } = containers;
}
