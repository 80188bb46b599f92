using Skiff.Images.Content;

namespace Skiff.Images.References;

/// <summary>The docker reference grammar (distribution/reference): [domain/]path[:tag][@digest], lowercase path
/// components separated by '.', '_', '__' or runs of '-', tags up to 128 word characters, names up to 255.</summary>
public static class ReferenceParser
{
    public static Reference ParseNormalized(string text)
        => TryParseNormalized(text, out var r, out var error) ? r! : throw new InvalidReferenceException(text, error);

    public static bool TryParseNormalized(string text, out Reference? reference, out string error)
    {
        reference = null;
        if (string.IsNullOrEmpty(text)) { error = "empty reference"; return false; }
        string rest = text;
        string? digest = null, tag = null;

        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!Digest.TryParse(digest, out _, out var derr)) { error = $"invalid digest: {derr}"; return false; }
        }
        int lastSlash = rest.LastIndexOf('/');
        int colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!ValidTag(tag)) { error = $"invalid tag \"{tag}\""; return false; }
        }
        if (rest.Length == 0) { error = "missing repository name"; return false; }

        string domain, path;
        int slash = rest.IndexOf('/');
        var first = slash < 0 ? "" : rest[..slash];
        if (slash < 0 || (first.IndexOfAny(['.', ':']) < 0 && first != "localhost" && first.ToLowerInvariant() == first))
        {
            domain = Reference.DefaultDomain;
            path = rest;
        }
        else
        {
            domain = first;
            path = rest[(slash + 1)..];
        }
        if (domain == Reference.LegacyDefaultDomain) domain = Reference.DefaultDomain;
        if (!ValidDomain(domain)) { error = $"invalid registry \"{domain}\""; return false; }
        if (domain == Reference.DefaultDomain && !path.Contains('/')) path = Reference.OfficialRepoPrefix + path;
        if (path.Any(char.IsUpper)) { error = "repository name must be lowercase"; return false; }
        foreach (var component in path.Split('/'))
            if (!ValidComponent(component)) { error = $"invalid repository name component \"{component}\""; return false; }
        if (domain.Length + 1 + path.Length > 255) { error = "repository name must not be more than 255 characters"; return false; }
        if (tag is null && digest is null) tag = "latest";
        reference = new Reference(domain, path, tag, digest);
        error = "";
        return true;
    }

    static bool ValidTag(string tag)
    {
        if (tag.Length is 0 or > 128) return false;
        if (!IsWord(tag[0])) return false;
        foreach (var c in tag) if (!IsWord(c) && c != '.' && c != '-') return false;
        return true;
    }

    static bool IsWord(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
    static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    /// <summary>[a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*</summary>
    static bool ValidComponent(string s)
    {
        if (s.Length == 0 || !IsAlnum(s[0]) || !IsAlnum(s[^1])) return false;
        for (int i = 0; i < s.Length;)
        {
            if (IsAlnum(s[i])) { i++; continue; }
            int start = i;
            while (i < s.Length && !IsAlnum(s[i])) i++;
            var sep = s[start..i];
            bool ok = sep is "." or "_" or "__" || sep.All(c => c == '-');
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>host[:port] where host is dotted labels of [a-zA-Z0-9-] or a bracketed IPv6 address.</summary>
    static bool ValidDomain(string d)
    {
        string host = d, port = "";
        if (d.StartsWith('['))
        {
            int close = d.IndexOf(']');
            if (close < 0) return false;
            host = d[1..close];
            var after = d[(close + 1)..];
            if (after.Length > 0) { if (after[0] != ':') return false; port = after[1..]; if (port.Length == 0) return false; }
            return System.Net.IPAddress.TryParse(host, out _) && port.All(char.IsAsciiDigit);
        }
        int c = d.IndexOf(':');
        if (c >= 0) { host = d[..c]; port = d[(c + 1)..]; if (port.Length == 0 || !port.All(char.IsAsciiDigit)) return false; }
        foreach (var label in host.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var ch in label) if (!char.IsAsciiLetterOrDigit(ch) && ch != '-') return false;
        }
        return true;
    }
}

public sealed class InvalidReferenceException(string text, string reason)
    : FormatException($"invalid reference format \"{text}\": {reason}");
