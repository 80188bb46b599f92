namespace Skiff.Engine.Containers;

/// <summary>Container names: docker's rule ([a-zA-Z0-9][a-zA-Z0-9_.-]+) and generated adjective_noun names.</summary>
public static class ContainerNames
{
    static readonly string[] Adjectives = ["brave", "calm", "eager", "gentle", "happy", "jolly", "keen", "lucid", "merry",
        "nimble", "proud", "quiet", "swift", "tidy", "vivid", "wise", "bold", "bright", "clever", "steady"];
    static readonly string[] Nouns = ["anchor", "beacon", "current", "dinghy", "estuary", "ferry", "galley", "harbor",
        "island", "jetty", "keel", "lagoon", "mast", "oar", "pier", "quay", "rudder", "sail", "tide", "wake"];

    public static bool IsValid(string name)
    {
        if (name.Length < 2 || !char.IsAsciiLetterOrDigit(name[0])) return false;
        foreach (var c in name) if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) return false;
        return true;
    }

    public static void Validate(string name)
    {
        if (!IsValid(name.TrimStart('/')))
            throw EngineException.Invalid($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    public static string Generate(Func<string, bool> taken)
    {
        var rng = Random.Shared;
        for (int attempt = 0; ; attempt++)
        {
            var n = $"{Adjectives[rng.Next(Adjectives.Length)]}_{Nouns[rng.Next(Nouns.Length)]}";
            if (attempt > 3) n += rng.Next(100);
            if (!taken(n)) return n;
        }
    }
}
