using System.Security.Cryptography;
using System.Text;
using Skiff.Runtime.Spec;

namespace Skiff.Build.Execution;

/// <summary>A RUN --mount made ready: where its files are on the host and how it goes into the container's spec.
/// Cache mounts live under <c>build-cache/mounts/</c> keyed by id (default: the target) and survive builds; secrets
/// are bind-mounted read-only from the file given with --secret and never reach a layer or a cache key.</summary>
public sealed class PreparedMount
{
    public required Syntax.RunMount Mount { get; init; }
    public required string Target { get; init; }
    /// <summary>Host path of the source (bind, cache, secret); resolved lazily for stage/image sources.</summary>
    public Func<Workspace, int, string>? Source { get; init; }
    /// <summary>An optional secret that was not given: left out.</summary>
    public bool Skipped { get; init; }

    public void AddTo(List<Mount> mounts, List<string> env, Workspace ws, int n)
    {
        if (Skipped) return;
        var m = Mount;
        switch (m.Type)
        {
            case Syntax.RunMountType.Tmpfs:
                var opts = new List<string> { "nosuid", "nodev" };
                if (m.SizeLimit is { } size) opts.Add("size=" + size);
                mounts.Add(new Mount { Destination = Target, Type = "tmpfs", Source = "tmpfs", Options = opts });
                break;
            case Syntax.RunMountType.Secret:
                var src = Source!(ws, n);
                if (m.Env is { } name) env.Add(name + "=" + File.ReadAllText(src).TrimEnd('\n'));
                if (m.Env is null || m.Target is not null)
                    mounts.Add(new Mount { Destination = Target, Type = "bind", Source = src, Options = ["rbind", "ro", "nosuid", "nodev", "noexec"] });
                break;
            default:
                mounts.Add(new Mount { Destination = Target, Type = "bind", Source = Source!(ws, n), Options = ["rbind", m.ReadOnly ? "ro" : "rw"] });
                break;
        }
    }

    public static string CacheDirName(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
}
