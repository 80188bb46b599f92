using System.Text;
using Skiff.Build.Execution;
using Skiff.Images;

namespace Skiff.Build.Tests.Fixtures;

/// <summary>Runs a built image the way an engine would, with oar: a read-only view of the image's snapshot chain as the
/// rootfs, the config's Entrypoint+Cmd (or the given command), Env, WorkingDir and User.</summary>
public static class ImageRun
{
    public static (int Exit, string Output) Run(ImageService images, LocalImage img, string[] cmd)
    {
        var c = img.Config.Config!;
        var chain = img.ChainIds;
        var id = "bt-" + Guid.NewGuid().ToString("n")[..10];
        var dir = Path.Combine(images.Root, "run", id);
        var rootfs = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(rootfs);
        var sn = images.Snapshots;
        sn.Prepare(id, chain[^1].ToString());
        var sb = new StringBuilder();
        try
        {
            Workspace.Mount(sn.Mounts(id), rootfs);
            try
            {
                var argv = cmd.Length > 0 ? cmd.ToList() : (c.Entrypoint ?? []).Concat(c.Cmd ?? []).ToList();
                var idn = c.User is { Length: > 0 } u ? UserDb.Resolve(rootfs, u, "USER") : new UserDb.Identity(0, 0, [], "/root");
                var runtime = new ContainerRun(RuntimeBinary.Locate(), Path.Combine(images.Root, "run-oar"));
                var spec = new ContainerRunSpec
                {
                    Id = id, Rootfs = rootfs, Args = argv, Env = c.Env ?? [], Cwd = string.IsNullOrEmpty(c.WorkingDir) ? "/" : c.WorkingDir,
                    Uid = idn.Uid, Gid = idn.Gid, AdditionalGids = idn.AdditionalGids,
                };
                int code = runtime.Run(spec, Path.Combine(dir, "bundle"), l => { lock (sb) sb.Append(l).Append('\n'); }, CancellationToken.None);
                return (code, sb.ToString());
            }
            finally { Workspace.Unmount(rootfs); }
        }
        finally
        {
            sn.Remove(id);
            Directory.Delete(dir, true);
        }
    }
}
