namespace Skiff.Cli;

/// <summary>Sizes and ages as docker prints them.</summary>
public static class Size
{
    public static string Human(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.Length - 1) { v /= 1000; u++; }
        return u == 0 ? $"{bytes}B" : $"{v:0.##}{units[u]}";
    }

    public static string Ago(DateTimeOffset? t)
    {
        if (t is null) return "N/A";
        var d = DateTimeOffset.UtcNow - t.Value;
        if (d.TotalSeconds < 60) return "Less than a minute ago";
        if (d.TotalMinutes < 60) return $"{(int)d.TotalMinutes} minutes ago";
        if (d.TotalHours < 48) return $"{(int)d.TotalHours} hours ago";
        if (d.TotalDays < 14) return $"{(int)d.TotalDays} days ago";
        if (d.TotalDays < 60) return $"{(int)(d.TotalDays / 7)} weeks ago";
        if (d.TotalDays < 730) return $"{(int)(d.TotalDays / 30)} months ago";
        return $"{(int)(d.TotalDays / 365)} years ago";
    }
}
