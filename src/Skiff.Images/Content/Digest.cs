using System.Security.Cryptography;

namespace Skiff.Images.Content;

/// <summary>A content digest "algorithm:hex". Only sha256 and sha512 are accepted, with the hex length each requires.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>The first 12 hex characters, as docker shows image IDs and layers.</summary>
    public string Short => Hex[..12];

    public static Digest Parse(string text)
        => TryParse(text, out var d, out var error) ? d : throw new FormatException($"invalid digest \"{text}\": {error}");

    public static bool TryParse(string? text, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(text)) { error = "empty"; return false; }
        int colon = text.IndexOf(':');
        if (colon <= 0) { error = "missing algorithm"; return false; }
        var alg = text[..colon];
        var hex = text[(colon + 1)..];
        int want = alg switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (want < 0) { error = $"unsupported digest algorithm \"{alg}\""; return false; }
        if (hex.Length != want) { error = $"{alg} needs {want} hex characters"; return false; }
        foreach (var c in hex)
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) { error = "digest hex must be lowercase [0-9a-f]"; return false; }
        digest = new Digest(alg, hex);
        error = "";
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public IncrementalHash NewHasher() => IncrementalHash.CreateHash(Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    public static Digest FromHasher(string algorithm, IncrementalHash h) => new(algorithm, Convert.ToHexStringLower(h.GetHashAndReset()));
}
