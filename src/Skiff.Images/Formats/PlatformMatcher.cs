namespace Skiff.Images.Formats;

/// <summary>Chooses the manifest for a platform from an index: os and architecture must match; a wanted variant must
/// match exactly, or (for arm) a lower variant is acceptable, preferring the closest.</summary>
public static class PlatformMatcher
{
    public static Descriptor? Select(IEnumerable<Descriptor> manifests, Platform want)
    {
        Descriptor? best = null;
        int bestScore = int.MinValue;
        foreach (var d in manifests)
        {
            var p = d.Platform;
            if (p is null) continue;
            int score = Score(p, want);
            if (score > bestScore) { best = d; bestScore = score; }
        }
        return bestScore >= 0 ? best : null;
    }

    /// <summary>Negative when unusable; higher is a better match.</summary>
    public static int Score(Platform have, Platform want)
    {
        if (!string.Equals(have.Os, want.Os, StringComparison.OrdinalIgnoreCase)) return -1;
        if (!string.Equals(have.Architecture, want.Architecture, StringComparison.OrdinalIgnoreCase)) return -1;
        var hv = Normalize(have.Architecture, have.Variant);
        var wv = Normalize(want.Architecture, want.Variant);
        if (hv == wv) return 100;
        if (wv is null) return 50;
        if (hv is null) return 40;
        if (want.Architecture == "arm" && hv.Length == 2 && wv.Length == 2 && hv[0] == 'v' && wv[0] == 'v' && hv[1] < wv[1])
            return 30 + (hv[1] - '0');
        return -1;
    }

    static string? Normalize(string arch, string? variant)
        => arch == "arm64" && (variant is null or "" or "v8") ? null : (string.IsNullOrEmpty(variant) ? null : variant);
}
