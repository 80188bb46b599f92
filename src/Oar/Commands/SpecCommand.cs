using System.Text.Json;
using Oar.Cli;
using Skiff.Linux;
using Skiff.Runtime;
using Skiff.Runtime.Spec;

namespace Oar.Commands;

public static class SpecCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ["bundle", "b"], ["rootless"], "spec");
        var bundle = a.Value("bundle", "b") ?? ".";
        var path = Path.Combine(bundle, "config.json");
        if (File.Exists(path)) throw new RuntimeException("spec", $"{path} already exists; remove it first");
        bool rootless = a.Has("rootless");
        var spec = DefaultSpec.Create(rootless, rootless ? Ids.Uid : 0, rootless ? Ids.Gid : 0);
        File.WriteAllText(path, JsonSerializer.Serialize(spec, SpecJson.Default.RuntimeSpec) + "\n");
        return 0;
    }
}
