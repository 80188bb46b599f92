using System.Runtime.InteropServices;
using Arch = System.Runtime.InteropServices.Architecture;
using System.Text.Json.Serialization;

namespace Skiff.Images.Formats;

/// <summary>os/architecture[/variant] of an image, as in an index entry or an image config.</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    [JsonPropertyName("os")] public string Os { get; init; } = "";
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; init; }
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string[]? OsFeatures { get; init; }
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; init; }

    public override string ToString() => Os + "/" + Architecture + (string.IsNullOrEmpty(Variant) ? "" : "/" + Variant);

    /// <summary>The machine this runs on, in GOARCH terms.</summary>
    public static Platform Host => new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Arch.X64 => "amd64", Arch.Arm64 => "arm64", Arch.Arm => "arm",
            Arch.X86 => "386", Arch.S390x => "s390x", Arch.Ppc64le => "ppc64le",
            Arch.RiscV64 => "riscv64", Arch.LoongArch64 => "loong64", _ => "unknown",
        },
        Variant = RuntimeInformation.OSArchitecture switch { Arch.Arm64 => "v8", Arch.Arm => "v7", _ => null },
    };

    /// <summary>Parses "os/arch[/variant]" (as --platform takes it); architecture aliases are normalised.</summary>
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrEmpty))
            throw new FormatException($"invalid platform \"{text}\": want os/arch[/variant]");
        var (arch, variant) = NormalizeArch(parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
        return new Platform { Os = parts[0].ToLowerInvariant(), Architecture = arch, Variant = variant };
    }

    static (string, string?) NormalizeArch(string arch, string? variant) => arch switch
    {
        "x86_64" or "x86-64" => ("amd64", variant),
        "aarch64" => ("arm64", variant ?? "v8"),
        "arm64" => ("arm64", variant ?? "v8"),
        "armhf" => ("arm", "v7"),
        "armel" => ("arm", "v6"),
        "i386" => ("386", variant),
        _ => (arch, variant),
    };
}
