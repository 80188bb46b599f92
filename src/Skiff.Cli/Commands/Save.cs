using Skiff.Images;
using Skiff.Images.Archive;

namespace Skiff.Cli.Commands;

/// <summary>skiff save [-o FILE|DIR] [--format docker-archive|oci-archive|oci-dir] IMAGE...</summary>
public static class Save
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-o", "--output", "--format"]);
        if (c.Positionals.Count == 0) throw new UsageException("save needs at least one image");
        var list = c.Positionals.Select(n =>
        {
            var img = ctx.Images.Resolve(n);
            string? name = img.Record?.Name;
            if (Images.References.Reference.TryParse(n, out var r, out _) && ctx.Images.Images.Get(r!.ToString()) is not null) name = r.ToString();
            return (img, name);
        }).ToList();
        var output = c.Value("-o", "--output");
        var format = c.Value("--format") ?? "docker-archive";
        switch (format)
        {
            case "oci-dir" or "oci":
                if (output is null) throw new UsageException("--format oci-dir needs -o DIR");
                OciLayoutWriter.Write(ctx.Images, list, output);
                return 0;
            case "oci-archive":
            {
                var tmp = Path.Combine(ctx.Images.TempDir, $"save-{Guid.NewGuid():n}");
                try
                {
                    OciLayoutWriter.Write(ctx.Images, list, tmp);
                    using var o = Open(ctx, output);
                    Images.Layers.LayerWriter.WriteTree(tmp, o);
                }
                finally { Images.Snapshots.SnapshotDirectory.DeleteTree(tmp); }
                return 0;
            }
            case "docker-archive" or "docker":
            {
                using var o = Open(ctx, output);
                DockerArchiveWriter.Write(ctx.Images, list, o);
                return 0;
            }
            default: throw new UsageException($"unknown --format \"{format}\" (docker-archive, oci-archive, oci-dir)");
        }
    }

    static Stream Open(Context ctx, string? output)
    {
        if (output is null)
        {
            if (!Console.IsOutputRedirected) throw new UsageException("refusing to write an archive to a terminal: use -o or redirect");
            return new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        }
        return new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }
}
