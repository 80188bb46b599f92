using Skiff.Build.Cache;
using Skiff.Build.Context;
using Skiff.Build.Syntax;

namespace Skiff.Build.Execution;

public sealed partial class StageExecutor
{
    /// <summary>Readies one RUN --mount and adds what identifies its content to the step's key: a bind's files
    /// (content digest for the context, state key for a stage or image), a cache mount's id; a secret adds nothing.</summary>
    async Task<PreparedMount> PrepareMount(RunMount m, CacheKey key, CancellationToken ct)
    {
        string target = m.Target is { } t ? RootWriter.Normalize(Absolute(t)) : "";
        switch (m.Type)
        {
            case RunMountType.Tmpfs:
                if (target.Length == 0) throw new BuildException("RUN --mount=type=tmpfs: target is required");
                key.Add("mount", $"tmpfs {target} {m.SizeLimit}");
                return new PreparedMount { Mount = m, Target = target };
            case RunMountType.Secret:
            {
                var id = m.Id ?? (m.Target is not null ? Path.GetFileName(m.Target) : null)
                    ?? throw new BuildException("RUN --mount=type=secret: id or target is required");
                if (target.Length == 0) target = "/run/secrets/" + id;
                key.Add("mount", $"secret {id} {target} {m.Env}");
                if (!s.Options.Secrets.TryGetValue(id, out var file) || !File.Exists(file))
                {
                    if (m.Required) throw new BuildException($"RUN --mount=type=secret: secret \"{id}\" is required but was not given (--secret id={id},src=FILE)");
                    return new PreparedMount { Mount = m, Target = target, Skipped = true };
                }
                var full = Path.GetFullPath(file);
                return new PreparedMount { Mount = m, Target = target, Source = (_, _) => full };
            }
            case RunMountType.Cache:
            {
                if (target.Length == 0) throw new BuildException("RUN --mount=type=cache: target is required");
                var id = m.Id ?? target;
                key.Add("mount", $"cache {id} {target} {m.ReadOnly}");
                var dir = Path.Combine(s.Cache.Root, "mounts", PreparedMount.CacheDirName(id));
                return new PreparedMount
                {
                    Mount = m with { ReadOnly = m.ReadOnly },
                    Target = target,
                    Source = (_, _) =>
                    {
                        if (!Directory.Exists(dir))
                        {
                            var tmp = dir + ".new-" + Guid.NewGuid().ToString("n")[..8];
                            Directory.CreateDirectory(tmp);
                            Linux.Files.FchownAt(Linux.Files.AT_FDCWD, tmp, m.Uid ?? 0, m.Gid ?? 0, 0);
                            File.SetUnixFileMode(tmp, (UnixFileMode)(m.Mode ?? 0x1ed));
                            try { Directory.Move(tmp, dir); } catch (IOException) { Directory.Delete(tmp); }
                        }
                        return dir;
                    },
                };
            }
            case RunMountType.Bind:
            {
                if (target.Length == 0) throw new BuildException("RUN --mount=type=bind: target is required");
                var source = m.Source ?? "";
                if (m.From is { } from)
                {
                    var other = await OtherState(from, ct);
                    key.Add("mount", $"bind from {other.Key} {source} {target} {m.ReadOnly}");
                    return new PreparedMount
                    {
                        Mount = m,
                        Target = target,
                        Source = (ws, n) =>
                        {
                            var root = MountState(other);
                            var tree = new SourceTree(root, isContext: false, label: $"stage/image \"{from}\"");
                            var e = tree.Follow(tree.Clean(source, "RUN --mount"), "RUN --mount")
                                ?? throw new BuildException($"RUN --mount=type=bind: \"{source}\" not found in \"{from}\"");
                            return Writable(tree.HostPath(e), m.ReadOnly, ws, n);
                        },
                    };
                }
                var ctx = s.RequireContext("RUN --mount=type=bind");
                var match = SourceExpansion.Expand(ctx, source.Length == 0 ? "." : source, "RUN --mount=type=bind");
                var plan = CopyPlan.Make([(ctx, match[0])], destTrailingSlash: true, parents: false, [], "RUN --mount");
                key.Add("mount", $"bind ctx {source} {target} {m.ReadOnly} {plan.Digest((_, _) => (0, 0), null)}");
                var host = ctx.HostPath(match[0].Entry);
                return new PreparedMount { Mount = m, Target = target, Source = (ws, n) => Writable(host, m.ReadOnly, ws, n) };
            }
            default:
                throw new BuildException($"RUN --mount=type={m.Type.ToString().ToLowerInvariant()} is not supported");
        }
    }

    /// <summary>A read-write bind gets a private copy: the container may write, nothing reaches the source.</summary>
    static string Writable(string host, bool readOnly, Workspace ws, int n)
    {
        if (readOnly) return host;
        var copy = Path.Combine(ws.TempDir("rw-" + n), Path.GetFileName(host));
        var psi = new System.Diagnostics.ProcessStartInfo("cp", ["-a", host, copy]) { UseShellExecute = false };
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new BuildException($"RUN --mount: copying {host} for a read-write bind failed");
        return copy;
    }

    /// <summary>The final state of an earlier stage (by name or index) or of an image, for --from.</summary>
    async Task<StageState> OtherState(string from, CancellationToken ct)
    {
        return plan.Source(from, stage.Index) switch
        {
            StageRef r => await s.StageResult(r.Index),
            ImageRef i => StageState.FromImage(await s.Image(i.Reference, ct)),
            _ => StageState.Scratch(s.Platform),
        };
    }

    /// <summary>Mounts a read-only view of a state's files for reading; it stays mounted until the build ends (the
    /// workspace unmounts and removes it).</summary>
    string MountState(StageState other)
    {
        int n = s.Workspace.Next();
        var dir = s.Workspace.MountDir(n);
        if (other.TopSnapshot is null) return dir;
        s.Layers.Ensure(other.Layers);
        var key = s.Workspace.SnapshotKey(n);
        var mounts = s.Images.Snapshots.View(key, other.TopSnapshot);
        Workspace.Mount(mounts, dir);
        return dir;
    }
}
