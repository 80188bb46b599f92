using Skiff.Engine.Specs;
using Skiff.Engine.Volumes;
using Skiff.Images;

namespace Skiff.Engine.Containers;

/// <summary>A container's mounts at create time: named volumes made if missing, anonymous ones for `-v /path` and for
/// the image's VOLUMEs not covered by another mount; the result in docker's Mounts shape.</summary>
internal sealed class ContainerVolumes(VolumeStore volumes)
{
    public List<MountPoint> Prepare(ContainerRecord rec, List<MountRequest> requests, LocalImage image, List<string> made)
    {
        var all = new List<MountRequest>(requests);
        foreach (var v in rec.Config.Volumes?.Keys ?? Enumerable.Empty<string>())
            if (!all.Any(m => m.Destination == v.TrimEnd('/') || m.Destination == v))
                all.Add(new MountRequest("volume", null, v, false, []));
        var points = new List<MountPoint>();
        foreach (var m in all)
        {
            switch (m.Type)
            {
                case "bind":
                    if (m.CreateHostPath && !Path.Exists(m.Source)) Directory.CreateDirectory(m.Source!);
                    points.Add(new MountPoint { Type = "bind", Source = m.Source!, Destination = m.Destination, Mode = string.Join(',', m.Options), RW = !m.ReadOnly, Propagation = m.Options.FirstOrDefault(o => o.Contains("private") || o.Contains("shared") || o.Contains("slave")) ?? "rprivate" });
                    break;
                case "volume":
                    Volume vol;
                    bool existed = m.Source is not null && volumes.TryGet(m.Source) is not null;
                    try { vol = volumes.Create(m.Source); }
                    catch (VolumeException e) { throw EngineException.Invalid(e.Message); }
                    if (!existed) made.Add(vol.Name);
                    if (m.IsAnonymousVolume) rec.Own.AnonymousVolumes.Add(vol.Name);
                    points.Add(new MountPoint { Type = "volume", Name = vol.Name, Source = vol.Mountpoint, Destination = m.Destination, Driver = vol.Driver, Mode = m.NoCopy ? "nocopy" : "z", RW = !m.ReadOnly, Propagation = "" });
                    break;
                case "tmpfs":
                    points.Add(new MountPoint { Type = "tmpfs", Source = "", Destination = m.Destination, Mode = string.Join(',', m.Options), RW = !m.ReadOnly, Propagation = "" });
                    break;
            }
        }
        return points;
    }

    /// <summary>OCI mounts for a start. New empty volumes get the image's files at their path first (copy-up).</summary>
    public List<Runtime.Spec.Mount> ForSpec(ContainerRecord rec, string rootfs)
    {
        var l = new List<Runtime.Spec.Mount>();
        foreach (var p in rec.Mounts)
        {
            switch (p.Type)
            {
                case "bind":
                {
                    var opts = new List<string> { "rbind", string.IsNullOrEmpty(p.Propagation) ? "rprivate" : p.Propagation };
                    if (!p.RW) opts.Add("ro");
                    l.Add(new Runtime.Spec.Mount { Destination = p.Destination, Type = "bind", Source = p.Source, Options = opts });
                    break;
                }
                case "volume":
                {
                    string source;
                    try
                    {
                        source = volumes.Mount(p.Name!);
                        if (p.Mode != "nocopy" && !rec.Own.PopulatedVolumes.Contains(p.Name!))
                        {
                            if (!Directory.EnumerateFileSystemEntries(source).Any()) volumes.PopulateFrom(p.Name!, rootfs, p.Destination);
                            rec.Own.PopulatedVolumes.Add(p.Name!);
                        }
                    }
                    catch (VolumeException e) { throw EngineException.Invalid(e.Message); }
                    var opts = new List<string> { "rbind", "rprivate" };
                    if (!p.RW) opts.Add("ro");
                    l.Add(new Runtime.Spec.Mount { Destination = p.Destination, Type = "bind", Source = source, Options = opts });
                    break;
                }
                case "tmpfs":
                {
                    var opts = new List<string> { "nosuid", "nodev", "noexec" };
                    foreach (var o in p.Mode.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (o is "exec" or "dev" or "suid") opts.Remove("no" + o);
                        else if (!opts.Contains(o)) opts.Add(o);
                    }
                    if (!p.RW) opts.Add("ro");
                    l.Add(new Runtime.Spec.Mount { Destination = p.Destination, Type = "tmpfs", Source = "tmpfs", Options = opts });
                    break;
                }
            }
        }
        return l;
    }

    public void TryRemove(string name)
    {
        try { volumes.Remove(name, force: true); } catch (Exception) { }
    }
}
