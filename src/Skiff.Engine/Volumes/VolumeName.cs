using System.Security.Cryptography;

namespace Skiff.Engine.Volumes;

/// <summary>Docker's rules for local volume names: <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c> (so at least two characters), and
/// 64 random hex characters for anonymous volumes.</summary>
public static class VolumeName
{
    public static void Validate(string name)
    {
        if (name.Length < 2 || !IsLead(name[0]) || name.AsSpan(1).ContainsAnyExcept(Allowed))
            throw new VolumeException(
                $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    static bool IsLead(char c) => char.IsAsciiLetterOrDigit(c);

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
