namespace Skiff.Build.Syntax;

/// <summary><c>FROM [--platform=P] base [AS name]</c>. All three are raw (BaseName/Platform expand against global ARGs).</summary>
public sealed record FromInstruction(string BaseName, string? StageName, string? Platform) : Instruction
{
    public override string Keyword => "FROM";
}

/// <summary><c>RUN [--mount=...]... [--network=default|none|host] [--security=sandbox|insecure] command</c>.
/// Heredocs (<c>RUN &lt;&lt;EOF</c>) are in <see cref="Heredocs"/>; the shell-form command then holds the first line
/// (e.g. <c>&lt;&lt;EOF</c> or <c>python3 &lt;&lt;EOF</c>) as docker keeps it.</summary>
public sealed record RunInstruction(
    CommandForm Command,
    IReadOnlyList<RunMount> Mounts,
    string? Network,
    string? Security,
    IReadOnlyList<Heredoc> Heredocs) : Instruction
{
    public override string Keyword => "RUN";
}

/// <summary>Common shape of COPY and ADD. <see cref="Sources"/> are raw path words (globs allowed), without the
/// heredoc sources, which are in <see cref="Heredocs"/> (each becomes a file named after its delimiter).
/// <see cref="Destination"/> is raw. <see cref="From"/> (COPY only) is a stage name, index or image.</summary>
public abstract record FileCopyInstruction(
    IReadOnlyList<string> Sources,
    string Destination,
    string? Chown,
    string? Chmod,
    bool Link,
    bool Parents,
    IReadOnlyList<string> Excludes,
    IReadOnlyList<Heredoc> Heredocs) : Instruction;

/// <summary><c>COPY [--from=x] [--chown=u:g] [--chmod=m] [--link] [--parents] [--exclude=p]... src... dest</c>.</summary>
public sealed record CopyInstruction(
    IReadOnlyList<string> Sources, string Destination, string? From, string? Chown, string? Chmod,
    bool Link, bool Parents, IReadOnlyList<string> Excludes, IReadOnlyList<Heredoc> Heredocs)
    : FileCopyInstruction(Sources, Destination, Chown, Chmod, Link, Parents, Excludes, Heredocs)
{
    public override string Keyword => "COPY";
}

/// <summary><c>ADD [--chown] [--chmod] [--link] [--keep-git-dir] [--checksum=d] [--unpack] [--exclude]... src... dest</c>.</summary>
public sealed record AddInstruction(
    IReadOnlyList<string> Sources, string Destination, string? Chown, string? Chmod,
    bool Link, bool Parents, IReadOnlyList<string> Excludes, IReadOnlyList<Heredoc> Heredocs,
    bool KeepGitDir, string? Checksum, bool? Unpack)
    : FileCopyInstruction(Sources, Destination, Chown, Chmod, Link, Parents, Excludes, Heredocs)
{
    public override string Keyword => "ADD";
}

public sealed record CmdInstruction(CommandForm Command) : Instruction
{
    public override string Keyword => "CMD";
}

public sealed record EntrypointInstruction(CommandForm Command) : Instruction
{
    public override string Keyword => "ENTRYPOINT";
}

/// <summary><c>ENV k=v ...</c> or legacy <c>ENV k v w</c> (one pair, value = rest of line). Raw words.</summary>
public sealed record EnvInstruction(IReadOnlyList<KeyValue> Pairs) : Instruction
{
    public override string Keyword => "ENV";
}

/// <summary><c>ARG name[=default] ...</c>.</summary>
public sealed record ArgInstruction(IReadOnlyList<ArgDeclaration> Args) : Instruction
{
    public override string Keyword => "ARG";
}

/// <summary><c>LABEL k=v ...</c> (or legacy <c>LABEL k v</c>). Raw words.</summary>
public sealed record LabelInstruction(IReadOnlyList<KeyValue> Pairs) : Instruction
{
    public override string Keyword => "LABEL";
}

/// <summary><c>EXPOSE port[/proto] ...</c>, raw words.</summary>
public sealed record ExposeInstruction(IReadOnlyList<string> Ports) : Instruction
{
    public override string Keyword => "EXPOSE";
}

/// <summary><c>WORKDIR path</c>, raw word.</summary>
public sealed record WorkdirInstruction(string Path) : Instruction
{
    public override string Keyword => "WORKDIR";
}

/// <summary><c>USER user[:group]</c>, raw word.</summary>
public sealed record UserInstruction(string User) : Instruction
{
    public override string Keyword => "USER";
}

/// <summary><c>VOLUME ["/a", "/b"]</c> or <c>VOLUME /a /b</c>, raw words.</summary>
public sealed record VolumeInstruction(IReadOnlyList<string> Paths) : Instruction
{
    public override string Keyword => "VOLUME";
}

/// <summary><c>STOPSIGNAL sig</c>, raw word.</summary>
public sealed record StopSignalInstruction(string Signal) : Instruction
{
    public override string Keyword => "STOPSIGNAL";
}

/// <summary><c>HEALTHCHECK NONE</c> (<see cref="None"/>, no command) or <c>HEALTHCHECK [--interval=d] [--timeout=d]
/// [--start-period=d] [--start-interval=d] [--retries=n] CMD command</c>. Durations null when not given (docker
/// then inherits/defaults); a given zero means "use the default".</summary>
public sealed record HealthcheckInstruction(
    bool None,
    CommandForm? Command,
    TimeSpan? Interval,
    TimeSpan? Timeout,
    TimeSpan? StartPeriod,
    TimeSpan? StartInterval,
    int? Retries) : Instruction
{
    public override string Keyword => "HEALTHCHECK";

    /// <summary>The image config's Healthcheck.Test: <c>["NONE"]</c>, <c>["CMD", argv...]</c> for exec form,
    /// or <c>["CMD-SHELL", text]</c> for shell form.</summary>
    public IReadOnlyList<string> Test => None ? ["NONE"]
        : Command switch
        {
            ExecForm e => ["CMD", .. e.Arguments],
            ShellForm s => ["CMD-SHELL", s.Command],
            _ => ["NONE"],
        };
}

/// <summary><c>SHELL ["exe", "arg"...]</c> (exec form only).</summary>
public sealed record ShellInstruction(IReadOnlyList<string> Shell) : Instruction
{
    public override string Keyword => "SHELL";
}

/// <summary><c>ONBUILD inner</c>: <see cref="Expression"/> is the inner instruction's text as stored in the image
/// config's OnBuild list; <see cref="Inner"/> is it parsed (checked now, run when a build uses this image as base).</summary>
public sealed record OnbuildInstruction(string Expression, Instruction Inner) : Instruction
{
    public override string Keyword => "ONBUILD";
}

/// <summary><c>MAINTAINER name</c> (deprecated; sets the config's Author).</summary>
public sealed record MaintainerInstruction(string Name) : Instruction
{
    public override string Keyword => "MAINTAINER";
}
