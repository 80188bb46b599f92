using Skiff.Engine.Specs;
using Skiff.Images;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker create: the record, the container's directory and its writable snapshot; nothing runs yet.
    /// On any failure everything made so far is removed again.</summary>
    public ContainerRecord Create(CreateRequest req)
    {
        LocalImage image;
        try { image = _engine.Images.Resolve(req.Image); }
        catch (ImageNotFoundException)
        {
            // docker names the image as it would pull it: "No such image: busybox:latest".
            var shown = Images.References.Reference.TryParse(req.Image, out var r, out _) ? r!.Familiar : req.Image;
            throw EngineException.NotFound($"No such image: {shown}");
        }
        if (req.Name is not null) ContainerNames.Validate(req.Name);
        var hc = req.HostConfig;
        Runtimes.RuntimeLocator.Find(hc.Runtime);
        var mounts = MountRequests(hc);
        Network.ValidateMode(hc.NetworkMode);
        if (hc.NetworkMode == "default") hc.NetworkMode = "bridge";
        var networks = Network.Endpoints(_engine.Networks, hc.NetworkMode, req.EndpointsConfig);
        if (hc.RestartPolicy.Name is not ("no" or "always" or "unless-stopped" or "on-failure"))
            throw EngineException.Invalid($"invalid restart policy: unknown policy '{hc.RestartPolicy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (hc.AutoRemove && hc.RestartPolicy.Name != "no")
            throw EngineException.Invalid("can't create 'AutoRemove' container with restart policy");
        SecurityOptions.Parse(hc.SecurityOpt);
        DefaultCapabilities.Compute(hc.Privileged, hc.CapAdd, hc.CapDrop);

        var id = ContainerStore.NewId();
        var rec = new ContainerRecord
        {
            Id = id,
            Created = Timestamps.Now(),
            Image = image.Id.ToString(),
            Config = MergeConfig(req, image, id),
            HostConfig = hc,
            Driver = _engine.Images.Snapshots.Name,
        };
        var cmd = ContainerCommand.Of(rec.Config);
        rec.Path = cmd.Count > 0 ? cmd[0] : "";
        rec.Args = cmd.Skip(1).ToList();
        var dir = Store.Dir(id);
        rec.HostnamePath = Path.Combine(dir, "hostname");
        rec.HostsPath = Path.Combine(dir, "hosts");
        rec.ResolvConfPath = Path.Combine(dir, "resolv.conf");
        rec.LogPath = hc.LogConfig.Type == "none" ? "" : Path.Combine(dir, $"{id}-json.log");
        rec.NetworkSettings = Network.InitialSettings(hc, networks);
        var own = rec.Own;
        own.RuntimePath = Runtimes.RuntimeLocator.Find(hc.Runtime);
        own.RuntimeRoot = Roots.RuntimeRoot;
        own.Snapshotter = _engine.Images.Snapshots.Name;
        own.SnapshotKey = "container-" + id;

        string? name = null;
        bool dirMade = false, snapshotMade = false;
        var madeVolumes = new List<string>();
        try
        {
            using (Store.LockNames())
            {
                name = req.Name?.TrimStart('/') ?? ContainerNames.Generate(n => Store.IdOfName(n) is { } o && Directory.Exists(Store.Dir(o)));
                Store.ReserveName(name, id);
                rec.Name = "/" + name;
                Directory.CreateDirectory(dir);
                dirMade = true;
                Store.Save(rec);
            }
            var chain = image.ChainIds;
            _engine.Images.Snapshots.Prepare(own.SnapshotKey, chain.Length > 0 ? chain[^1].ToString() : null,
                new() { ["skiff.container"] = id });
            snapshotMade = true;
            Directory.CreateDirectory(Path.Combine(dir, "rootfs"));
            Directory.CreateDirectory(Path.Combine(dir, "bundle"));
            rec.Mounts = Volumes.Prepare(rec, mounts, image, madeVolumes);
            ContainerFiles.Write(rec);
            Store.Save(rec);
            return rec;
        }
        catch
        {
            foreach (var v in madeVolumes) Volumes.TryRemove(v);
            if (snapshotMade) try { _engine.Images.Snapshots.Remove(own.SnapshotKey); } catch { }
            if (dirMade) try { Directory.Delete(dir, recursive: true); } catch { }
            if (name is not null) using (Store.LockNames()) Store.ReleaseName(name, id);
            throw;
        }
    }

    /// <summary>The host's hostname as the kernel has it (what Go's os.Hostname reads).</summary>
    static string HostName()
    {
        try { return File.ReadAllText("/proc/sys/kernel/hostname").Trim(); }
        catch (IOException) { return Environment.MachineName; }
    }

    static List<MountRequest> MountRequests(HostConfig hc)
    {
        var l = new List<MountRequest>();
        foreach (var b in hc.Binds ?? []) l.Add(MountParser.ParseVolume(b));
        foreach (var m in hc.Mounts ?? [])
        {
            var opts = new List<string>();
            if (m.TmpfsOptions is { } t)
            {
                if (t.SizeBytes > 0) opts.Add($"size={t.SizeBytes}");
                if (t.Mode > 0) opts.Add("mode=" + Convert.ToString(t.Mode, 8));
            }
            l.Add(new MountRequest(m.Type, m.Source, m.Target, m.ReadOnly, opts));
        }
        foreach (var (dst, o) in hc.Tmpfs ?? []) l.Add(MountParser.ParseTmpfs(o.Length > 0 ? $"{dst}:{o}" : dst));
        var dup = l.GroupBy(m => m.Destination).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw EngineException.Invalid($"Duplicate mount point: {dup.Key}");
        return l;
    }

    static ContainerConfig MergeConfig(CreateRequest req, LocalImage image, string id)
    {
        var ic = image.Config.Config ?? new Images.Formats.ContainerConfig();
        var u = req.Config;
        var env = new List<string>(ic.Env ?? []);
        foreach (var e in u.Env)
        {
            var key = e.IndexOf('=') is var i and >= 0 ? e[..i] : e;
            env.RemoveAll(x => x == key || x.StartsWith(key + "=", StringComparison.Ordinal));
            env.Add(e);
        }
        var (ep, cmd) = ContainerCommand.Merge(ic.Entrypoint, ic.Cmd, req.Entrypoint, req.Command);
        var labels = new Dictionary<string, string>(ic.Labels ?? []);
        foreach (var (k, v) in u.Labels) labels[k] = v;
        Dictionary<string, EmptyObject>? volumes = null;
        foreach (var v in ic.Volumes?.Keys ?? Enumerable.Empty<string>()) (volumes ??= [])[v] = new EmptyObject();
        Dictionary<string, EmptyObject>? ports = u.ExposedPorts;
        foreach (var p in ic.ExposedPorts?.Keys ?? Enumerable.Empty<string>()) (ports ??= [])[p] = new EmptyObject();
        return new ContainerConfig
        {
            // docker: the host's name under --network host (the UTS namespace stays private), else the short id.
            Hostname = !string.IsNullOrEmpty(u.Hostname) ? u.Hostname : req.HostConfig.NetworkMode == "host" ? HostName() : id[..12],
            Domainname = u.Domainname,
            User = string.IsNullOrEmpty(u.User) ? ic.User ?? "" : u.User,
            AttachStdin = u.AttachStdin, AttachStdout = u.AttachStdout, AttachStderr = u.AttachStderr,
            ExposedPorts = ports,
            Tty = u.Tty, OpenStdin = u.OpenStdin, StdinOnce = u.StdinOnce,
            Env = env,
            Cmd = cmd,
            Image = req.Image,
            Volumes = volumes,
            WorkingDir = string.IsNullOrEmpty(u.WorkingDir) ? ic.WorkingDir ?? "" : u.WorkingDir,
            Entrypoint = ep,
            Labels = labels,
            StopSignal = u.StopSignal ?? ic.StopSignal,
            StopTimeout = u.StopTimeout,
        };
    }
}
