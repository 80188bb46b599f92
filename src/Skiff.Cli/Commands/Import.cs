using Skiff.Images.Formats;
using Skiff.Images.References;
using Skiff.Images.Transfer;

namespace Skiff.Cli.Commands;

/// <summary>skiff import [-m MESSAGE] [--change "CMD ..."] FILE|DIR|- [REPOSITORY[:TAG]]</summary>
public static class Import
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-m", "--message", "-c", "--change", "--platform"]);
        if (c.Positionals.Count is < 1 or > 2) throw new UsageException("import needs a tarball (or -) and optionally a name");
        var src = c.Positionals[0];
        var name = c.Positionals.Count == 2 ? Reference.Parse(c.Positionals[1]).ToString() : null;
        var run = Changes(c.Values("--change").Concat(c.Values("-c")));
        var importer = new Importer(ctx.Images);
        LocalImageResult(ctx, Directory.Exists(src)
            ? importer.ImportDirectory(src, name, run)
            : importer.ImportTarball(src == "-" ? Console.OpenStandardInput() : File.OpenRead(src), name, run, c.Value("-m", "--message")));
        return 0;
    }

    static void LocalImageResult(Context ctx, Skiff.Images.LocalImage img) => ctx.Out.WriteLine(img.Id.ToString());

    /// <summary>The Dockerfile instructions import --change accepts that matter for a rootfs: CMD, ENTRYPOINT, ENV,
    /// WORKDIR, USER (JSON-array or shell form).</summary>
    static ContainerConfig? Changes(IEnumerable<string> changes)
    {
        var env = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
        string[]? cmd = null, entry = null;
        string? wd = null, user = null, stop = null;
        Dictionary<string, System.Text.Json.JsonElement>? volumes = null, ports = null;
        Dictionary<string, string>? labels = null;
        var empty = System.Text.Json.JsonDocument.Parse("{}").RootElement;
        bool any = false;
        foreach (var ch in changes)
        {
            any = true;
            var sp = ch.IndexOf(' ');
            if (sp < 0) throw new UsageException($"--change \"{ch}\": missing value");
            var (kw, val) = (ch[..sp].ToUpperInvariant(), ch[(sp + 1)..].Trim());
            switch (kw)
            {
                case "CMD": cmd = Words(val); break;
                case "ENTRYPOINT": entry = Words(val); break;
                case "ENV":
                    var kv = val.Contains('=') ? val : val.Replace(' ', '=');
                    env.RemoveAll(e => e.StartsWith(kv[..(kv.IndexOf('=') + 1)], StringComparison.Ordinal));
                    env.Add(kv);
                    break;
                case "VOLUME": foreach (var v in Words(val, shell: false)) (volumes ??= [])[v] = empty; break;
                case "EXPOSE": foreach (var v in val.Split(' ', StringSplitOptions.RemoveEmptyEntries)) (ports ??= [])[v.Contains('/') ? v : v + "/tcp"] = empty; break;
                case "STOPSIGNAL": stop = val; break;
                case "LABEL":
                    var eq = val.IndexOf('=');
                    if (eq <= 0) throw new UsageException($"--change \"{ch}\": LABEL needs key=value");
                    (labels ??= [])[val[..eq]] = val[(eq + 1)..].Trim('"');
                    break;
                case "WORKDIR": wd = val; break;
                case "USER": user = val; break;
                default: throw new UsageException($"--change: unsupported instruction {kw}");
            }
        }
        return any ? new ContainerConfig { Env = env.ToArray(), Cmd = cmd, Entrypoint = entry, WorkingDir = wd, User = user,
            Volumes = volumes, ExposedPorts = ports, StopSignal = stop, Labels = labels } : null;
    }

    static string[] Words(string v, bool shell = true)
    {
        if (v.StartsWith('['))
        {
            using var d = System.Text.Json.JsonDocument.Parse(v);
            return d.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
        }
        return shell ? ["/bin/sh", "-c", v] : v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
