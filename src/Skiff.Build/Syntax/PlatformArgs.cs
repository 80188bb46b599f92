namespace Skiff.Build.Syntax;

/// <summary>The predefined platform ARGs (BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT, TARGETPLATFORM, TARGETOS,
/// TARGETARCH, TARGETVARIANT, TARGETSTAGE). They live in the global scope: usable in FROM lines, and inside a stage
/// only after <c>ARG NAME</c> re-declares them.</summary>
public sealed record PlatformArgs(string BuildOs, string BuildArch, string BuildVariant, string TargetOs, string TargetArch, string TargetVariant)
{
    /// <summary>This machine for both build and target.</summary>
    public static PlatformArgs Host
    {
        get
        {
            var (arch, variant) = HostArch();
            return new PlatformArgs("linux", arch, variant, "linux", arch, variant);
        }
    }

    /// <summary>Host as build platform, <paramref name="target"/> (<c>os/arch[/variant]</c>, e.g. from
    /// <c>--platform</c>) as target; null keeps the host.</summary>
    public static PlatformArgs ForTarget(string? target)
    {
        var host = Host;
        if (string.IsNullOrEmpty(target)) return host;
        var p = Parse(target) ?? throw new FormatException($"invalid platform \"{target}\" (expected os/arch[/variant], e.g. linux/amd64)");
        return host with { TargetOs = p.Os, TargetArch = p.Arch, TargetVariant = p.Variant };
    }

    /// <summary>Parses <c>os/arch[/variant]</c>, <c>os</c> or <c>arch</c> as containerd's platforms.Parse does for the common cases.</summary>
    public static (string Os, string Arch, string Variant)? Parse(string s)
    {
        var parts = s.Trim().ToLowerInvariant().Split('/');
        if (parts.Any(p => p.Length == 0) || parts.Length > 3) return null;
        var host = Host;
        if (parts.Length == 1)
        {
            if (parts[0] is "linux" or "windows" or "darwin" or "freebsd") return (parts[0], host.TargetArch, host.TargetVariant);
            var (a, v) = NormalizeArch(parts[0], "");
            return ("linux", a, v);
        }
        var (arch, variant) = NormalizeArch(parts[1], parts.Length == 3 ? parts[2] : "");
        return (parts[0], arch, variant);
    }

    private static (string, string) NormalizeArch(string arch, string variant) => arch switch
    {
        "x86_64" or "x86-64" => ("amd64", variant),
        "aarch64" => ("arm64", variant is "8" or "v8" ? "" : variant),
        "arm64" => ("arm64", variant is "8" or "v8" ? "" : variant),
        "armhf" => ("arm", "v7"),
        "armel" => ("arm", "v6"),
        "arm" => ("arm", variant.Length == 0 ? "v7" : variant.StartsWith('v') ? variant : "v" + variant),
        "i386" => ("386", variant),
        _ => (arch, variant),
    };

    private static (string, string) HostArch() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => ("amd64", ""),
        System.Runtime.InteropServices.Architecture.Arm64 => ("arm64", ""),
        System.Runtime.InteropServices.Architecture.Arm => ("arm", "v7"),
        System.Runtime.InteropServices.Architecture.X86 => ("386", ""),
        System.Runtime.InteropServices.Architecture.S390x => ("s390x", ""),
        System.Runtime.InteropServices.Architecture.Ppc64le => ("ppc64le", ""),
        System.Runtime.InteropServices.Architecture.RiscV64 => ("riscv64", ""),
        System.Runtime.InteropServices.Architecture.LoongArch64 => ("loong64", ""),
        var a => (a.ToString().ToLowerInvariant(), ""),
    };

    public string BuildPlatform => Format(BuildOs, BuildArch, BuildVariant);
    public string TargetPlatform => Format(TargetOs, TargetArch, TargetVariant);

    private static string Format(string os, string arch, string variant) =>
        variant.Length > 0 ? $"{os}/{arch}/{variant}" : $"{os}/{arch}";

    /// <summary>The predefined values, as docker sets them before the Dockerfile's global ARGs.</summary>
    public Dictionary<string, string> ToArgs(string targetStage) => new(StringComparer.Ordinal)
    {
        ["BUILDPLATFORM"] = BuildPlatform,
        ["BUILDOS"] = BuildOs,
        ["BUILDOSVERSION"] = "",
        ["BUILDARCH"] = BuildArch,
        ["BUILDVARIANT"] = BuildVariant,
        ["TARGETPLATFORM"] = TargetPlatform,
        ["TARGETOS"] = TargetOs,
        ["TARGETOSVERSION"] = "",
        ["TARGETARCH"] = TargetArch,
        ["TARGETVARIANT"] = TargetVariant,
        ["TARGETSTAGE"] = targetStage.Length == 0 ? "default" : targetStage,
    };

    /// <summary>Build args docker accepts without an ARG declaring them (passed to RUN, left out of history).</summary>
    public static readonly IReadOnlySet<string> ProxyArgs = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };
}
