using Skiff.Images.Archive;
using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff load [-i FILE|DIR] [-q]: docker-archive or OCI layout, as a tar (plain/gzip/zstd) or a directory.</summary>
public static class Load
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet"], ["-i", "--input"]);
        var input = c.Value("-i", "--input");
        var loader = new ArchiveLoader(ctx.Images);
        IReadOnlyList<ArchiveLoader.Loaded> loaded;
        if (input is null)
        {
            if (!Console.IsInputRedirected) throw new UsageException("requested load from stdin, but stdin is empty: use -i or redirect");
            loaded = loader.Load(Console.OpenStandardInput());
        }
        else loaded = loader.Load(input);
        foreach (var l in loaded)
            ctx.Out.WriteLine(l.Name is null ? $"Loaded image ID: {l.Image.Id}" : $"Loaded image: {Reference.Parse(l.Name).Familiar}");
        return 0;
    }
}
