using Skiff.Engine.Archive;

namespace Skiff.Cli.Commands;

/// <summary>skiff cp [-a] [-L] CONTAINER:SRC_PATH DEST_PATH|- and skiff cp [-a] [-L] SRC_PATH|- CONTAINER:DEST_PATH.
/// docker's path rules (see <see cref="ContainerArchive"/>); "-" is a tar stream on stdout or stdin.</summary>
public static class Cp
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-a", "--archive", "-L", "--follow-link", "-q", "--quiet"], []);
        if (c.Positionals.Count != 2) throw new UsageException("cp requires exactly 2 arguments");
        bool archive = c.Has("-a", "--archive"), follow = c.Has("-L", "--follow-link");
        var (srcCtr, srcPath) = Split(c.Positionals[0]);
        var (dstCtr, dstPath) = Split(c.Positionals[1]);
        if (srcCtr is not null && dstCtr is not null) throw new UsageException("copying between containers is not supported");
        if (srcCtr is null && dstCtr is null) throw new UsageException("must specify at least one container source");
        // A relative container path is relative to the container's working directory (docker).
        var workdir = ctx.Engine.Containers.Get(srcCtr ?? dstCtr!).Config.WorkingDir;
        string Abs(string p) => p.StartsWith('/') ? p : (string.IsNullOrEmpty(workdir) ? "/" : workdir.TrimEnd('/') + "/") + p;
        try
        {
            if (srcCtr is not null)
            {
                if (dstPath == "-")
                {
                    using var stdout = Console.OpenStandardOutput();
                    using var buffered = new BufferedStream(stdout, 1 << 16);
                    ctx.Engine.Containers.WithFilesystem(srcCtr, fs => { ContainerArchive.WriteTar(fs, Abs(srcPath), follow, buffered); return 0; });
                    buffered.Flush();
                    return 0;
                }
                Report(ctx, ctx.Engine.Containers.WithFilesystem(srcCtr, fs => ContainerArchive.CopyOut(fs, Abs(srcPath), dstPath, follow, archive)));
                return 0;
            }
            if (srcPath == "-")
            {
                using var stdin = Console.OpenStandardInput();
                Report(ctx, ctx.Engine.Containers.WithFilesystem(dstCtr!, fs => ContainerArchive.ReadTar(fs, stdin, Abs(dstPath), archive)));
                return 0;
            }
            Report(ctx, ctx.Engine.Containers.WithFilesystem(dstCtr!, fs => ContainerArchive.CopyIn(fs, srcPath, Abs(dstPath), follow, archive)));
            return 0;
        }
        catch (CopyException e)
        {
            ctx.Err.WriteLine($"Error: {e.Message}");
            return 1;
        }
    }

    static void Report(Context ctx, IReadOnlyList<string> skipped)
    {
        foreach (var s in skipped) ctx.Err.WriteLine($"skipped device node {s}");
    }

    /// <summary>docker's CONTAINER:PATH split: a colon before any slash names a container (a local path with a colon
    /// needs a ./ prefix).</summary>
    static (string? Container, string Path) Split(string arg)
    {
        if (arg.StartsWith('/') || arg.StartsWith("./", StringComparison.Ordinal) || arg == "-") return (null, arg);
        int colon = arg.IndexOf(':');
        if (colon <= 0) return (null, arg);
        return (arg[..colon], arg[(colon + 1)..]);
    }
}
