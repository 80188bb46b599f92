namespace Skiff.Images.References;

/// <summary>A parsed, normalised image reference: registry domain, repository path, optional tag and digest.
/// Normalisation follows docker: "busybox" is docker.io/library/busybox:latest.</summary>
public sealed record Reference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io", LegacyDefaultDomain = "index.docker.io", OfficialRepoPrefix = "library/";

    /// <summary>domain/path without tag or digest.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>The tag or digest used to ask a registry for the manifest (digest wins).</summary>
    public string Object => Digest ?? Tag ?? "latest";

    public override string ToString()
        => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The short form docker prints ("busybox:latest", "localhost:5000/x:1").</summary>
    public string Familiar
    {
        get
        {
            var repo = Domain == DefaultDomain
                ? (Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0
                    ? Path[OfficialRepoPrefix.Length..] : Path)
                : Repository;
            return repo + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
        }
    }

    public Reference WithTag(string tag) => this with { Tag = tag, Digest = null };
    public Reference WithDigest(string digest) => this with { Tag = null, Digest = digest };

    public static Reference Parse(string text) => ReferenceParser.ParseNormalized(text);
    public static bool TryParse(string text, out Reference? reference, out string error) => ReferenceParser.TryParseNormalized(text, out reference, out error);
}
