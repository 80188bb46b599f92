namespace Skiff.Build.Syntax;

/// <summary>What a FROM, <c>COPY --from</c> or <c>RUN --mount=from=</c> names, once resolved.</summary>
public abstract record SourceRef;

/// <summary><c>scratch</c>: an empty filesystem and config.</summary>
public sealed record ScratchRef : SourceRef
{
    public static readonly ScratchRef Instance = new();
}

/// <summary>An earlier stage of the same Dockerfile.</summary>
public sealed record StageRef(int Index) : SourceRef;

/// <summary>An image reference (as written, after expansion; normalise it with Skiff.Images' Reference).</summary>
public sealed record ImageRef(string Reference) : SourceRef;
