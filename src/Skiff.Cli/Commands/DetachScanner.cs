namespace Skiff.Cli.Commands;

/// <summary>Watches what the user types for the detach sequence (<see cref="DetachKeys"/>). Bytes that start the
/// sequence are held back until it either completes (then they are dropped: the session detaches) or breaks off (then
/// they go to the container after all, as docker's escape proxy does).</summary>
public sealed class DetachScanner(byte[] keys)
{
    int _matched;

    /// <summary>Scans <paramref name="input"/>; the bytes to forward are written to <paramref name="forward"/>. True when
    /// the sequence completed (whatever followed it in this chunk is dropped).</summary>
    public bool Scan(ReadOnlySpan<byte> input, List<byte> forward)
    {
        forward.Clear();
        if (keys.Length == 0) { forward.AddRange(input); return false; }
        foreach (var b in input)
        {
            if (b == keys[_matched])
            {
                if (++_matched == keys.Length) { _matched = 0; return true; }
                continue;
            }
            for (int i = 0; i < _matched; i++) forward.Add(keys[i]);
            _matched = b == keys[0] ? 1 : 0;
            if (_matched == 0) forward.Add(b);
        }
        return false;
    }
}
