namespace Skiff.Cli.Commands;

/// <summary>skiff create [flags] IMAGE [COMMAND] [ARG...]: the container is made (snapshot, record) but not started;
/// prints its full ID.</summary>
public static class Create
{
    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = ContainerFlags.Parse(args);
        var req = ContainerFlags.Request(c);
        await ImageAcquire.Ensure(ctx, req.Image, c.Value("--pull"), c.Has("-q", "--quiet"));
        var rec = ctx.Engine.Containers.Create(req);
        if (c.Value("--cidfile") is { } cid) File.WriteAllText(cid, rec.Id);
        ctx.Out.WriteLine(rec.Id);
        return 0;
    }
}
