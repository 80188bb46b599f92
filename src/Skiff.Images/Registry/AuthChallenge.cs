namespace Skiff.Images.Registry;

/// <summary>A parsed WWW-Authenticate header: scheme (Basic or Bearer) and its parameters (realm, service, scope).</summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses `Scheme k="v", k2=v2` (quoted values may contain commas and escaped quotes).</summary>
    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        header = header.Trim();
        int sp = header.IndexOf(' ');
        var scheme = sp < 0 ? header : header[..sp];
        var ps = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = sp < 0 ? header.Length : sp + 1;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ' ' || header[i] == ',')) i++;
            int eq = header.IndexOf('=', i);
            if (eq < 0) break;
            var key = header[i..eq].Trim();
            i = eq + 1;
            var val = new System.Text.StringBuilder();
            if (i < header.Length && header[i] == '"')
            {
                i++;
                while (i < header.Length && header[i] != '"')
                {
                    if (header[i] == '\\' && i + 1 < header.Length) i++;
                    val.Append(header[i++]);
                }
                i++;
            }
            else
                while (i < header.Length && header[i] != ',') val.Append(header[i++]);
            ps[key] = val.ToString().Trim();
        }
        return new AuthChallenge(scheme, ps);
    }
}
