namespace Skiff.Cli.Commands;

/// <summary>docker's <c>--detach-keys</c>: a comma-separated key sequence, each key a single character or
/// <c>ctrl-X</c> (X one of a–z, @, [, \, ], ^, _). Default <c>ctrl-p,ctrl-q</c>. Typed in an attached session, the
/// sequence detaches the client and leaves the container running.</summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    public static byte[] Parse(string? spec)
    {
        spec = string.IsNullOrEmpty(spec) ? Default : spec;
        var keys = new List<byte>();
        foreach (var raw in spec.Split(','))
        {
            var k = raw.Trim();
            if (k.Length == 1 && k[0] < 0x80) { keys.Add((byte)k[0]); continue; }
            if (k.Length == 6 && k.StartsWith("ctrl-", StringComparison.OrdinalIgnoreCase))
            {
                char c = char.ToLowerInvariant(k[5]);
                if (c is >= 'a' and <= 'z') { keys.Add((byte)(c - 'a' + 1)); continue; }
                int i = "@[\\]^_".IndexOf(c);
                if (i >= 0) { keys.Add((byte)(i == 0 ? 0 : 27 + i - 1)); continue; }
            }
            throw new Engine.EngineException(Engine.EngineErrorKind.InvalidArgument, $"Invalid detach keys ({spec}) provided: unrecognized input: {k}");
        }
        return [.. keys];
    }
}
