namespace Skiff.Shim;

/// <summary>
/// The shim's own start time in clock ticks after boot (/proc/self/stat field 22), the value
/// <c>Processes.StartTime</c> reads for any pid — parsed here from bytes because that one parses through the
/// current culture, whose data an idle shim would then keep for good.
/// </summary>
static class SelfStartTime
{
    public static ulong Read()
    {
        ReadOnlySpan<byte> stat;
        try { stat = File.ReadAllBytes("/proc/self/stat"); }
        catch (IOException) { return 0; }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        int close = stat.LastIndexOf((byte)')');
        if (close < 0 || close + 2 > stat.Length) return 0;
        var rest = stat[(close + 2)..];
        for (int field = 3; field < 22; field++)
        {
            int space = rest.IndexOf((byte)' ');
            if (space < 0) return 0;
            rest = rest[(space + 1)..];
        }
        ulong value = 0;
        foreach (byte b in rest)
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            value = value * 10 + (ulong)(b - '0');
        }
        return value;
    }
}
