namespace Skiff.Build.Syntax;

public enum RunMountType { Bind, Cache, Tmpfs, Secret, Ssh }

/// <summary>One <c>RUN --mount=type=...,key=value,...</c>. Parsed at parse time without expansion (to check it);
/// the executor calls <see cref="RunMountParser.Parse"/> again with an expander at the step (docker expands every
/// value against the stage's ARG/ENV). Defaults as docker's: bind and secret/ssh read-only, cache/tmpfs read-write,
/// cache sharing "shared", secret target <c>/run/secrets/&lt;id&gt;</c>, secret id = base name of the target.</summary>
public sealed record RunMount(
    RunMountType Type,
    string? Target,
    string? Source,
    string? From,
    bool ReadOnly,
    string? Id,
    string Sharing,
    uint? Mode,
    uint? Uid,
    uint? Gid,
    bool Required,
    long? SizeLimit,
    string? Env,
    string Raw);
