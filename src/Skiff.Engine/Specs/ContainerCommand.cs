using Skiff.Engine.Containers;

namespace Skiff.Engine.Specs;

/// <summary>The argv a container runs: Entrypoint followed by Cmd (docker's rule; the record already holds the result
/// of the command line overriding the image).</summary>
public static class ContainerCommand
{
    public static List<string> Of(ContainerConfig cfg) => [.. cfg.Entrypoint ?? [], .. cfg.Cmd ?? []];

    /// <summary>docker's merge: `--entrypoint X` replaces the image's entrypoint and drops its Cmd; a command given on the
    /// command line replaces the image's Cmd; `--entrypoint ""` clears the entrypoint.</summary>
    public static (List<string>? Entrypoint, List<string>? Cmd) Merge(string[]? imageEntrypoint, string[]? imageCmd, string? entrypoint, IReadOnlyList<string> cmd)
    {
        List<string>? ep = imageEntrypoint?.ToList();
        List<string>? c = imageCmd?.ToList();
        if (entrypoint is not null)
        {
            ep = entrypoint.Length == 0 ? null : [entrypoint];
            c = null;
        }
        if (cmd.Count > 0) c = [.. cmd];
        return (ep, c);
    }
}
