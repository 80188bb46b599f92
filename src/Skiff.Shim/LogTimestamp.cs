namespace Skiff.Shim;

/// <summary>
/// Go's time.RFC3339Nano for a UTC instant, as docker's json-file writes it: "2006-01-02T15:04:05.999999999Z" with
/// trailing zeros of the fraction dropped (and the dot too when the fraction is zero). No allocation.
/// </summary>
static class LogTimestamp
{
    public const int MaxLength = 30;

    public static int Format(long unixSeconds, long nanoseconds, Span<byte> into)
    {
        long days = Math.DivRem(unixSeconds, 86400, out long secOfDay);
        if (secOfDay < 0) { secOfDay += 86400; days--; }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        long z = days + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) y++;

        int i = 0;
        Digits(into, ref i, y, 4); into[i++] = (byte)'-';
        Digits(into, ref i, m, 2); into[i++] = (byte)'-';
        Digits(into, ref i, d, 2); into[i++] = (byte)'T';
        Digits(into, ref i, secOfDay / 3600, 2); into[i++] = (byte)':';
        Digits(into, ref i, secOfDay / 60 % 60, 2); into[i++] = (byte)':';
        Digits(into, ref i, secOfDay % 60, 2);
        if (nanoseconds > 0)
        {
            into[i++] = (byte)'.';
            int start = i;
            Digits(into, ref i, nanoseconds, 9);
            while (i > start && into[i - 1] == (byte)'0') i--;
        }
        into[i++] = (byte)'Z';
        return i;
    }

    static void Digits(Span<byte> into, ref int i, long value, int width)
    {
        for (int k = width - 1; k >= 0; k--) { into[i + k] = (byte)('0' + value % 10); value /= 10; }
        i += width;
    }
}
