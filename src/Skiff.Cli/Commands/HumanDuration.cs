namespace Skiff.Cli.Commands;

/// <summary>docker's human durations ("Less than a second", "3 seconds", "About a minute", "2 hours", "3 weeks").</summary>
public static class HumanDuration
{
    public static string Of(TimeSpan d)
    {
        var s = (long)d.TotalSeconds;
        if (s < 1) return "Less than a second";
        if (s == 1) return "1 second";
        if (s < 60) return $"{s} seconds";
        var m = (long)d.TotalMinutes;
        if (m == 1) return "About a minute";
        if (m < 60) return $"{m} minutes";
        var h = (long)Math.Round(d.TotalHours);
        if (h == 1) return "About an hour";
        if (h < 48) return $"{h} hours";
        if (h < 24 * 7 * 2) return $"{h / 24} days";
        if (h < 24 * 30 * 2) return $"{h / 24 / 7} weeks";
        if (h < 24 * 365 * 2) return $"{h / 24 / 30} months";
        return $"{h / 24 / 365} years";
    }
}
