using Skiff.Engine.Containers;

namespace Skiff.Cli.Commands;

/// <summary>One row of `ps`: docker's list fields (ID, Image, Command, CreatedAt, RunningFor, Ports, State, Status,
/// Names, Labels, Mounts, Networks) as text.</summary>
public sealed record ContainerSummary(ContainerRecord Rec, bool NoTrunc)
{
    public string ID => NoTrunc ? Rec.Id : Rec.ShortId;
    public string Image => Rec.Config.Image;
    public string Command
    {
        get
        {
            var cmd = string.Join(' ', Skiff.Engine.Specs.ContainerCommand.Of(Rec.Config));
            if (!NoTrunc && cmd.Length > 20) cmd = cmd[..19] + "…";
            return $"\"{cmd}\"";
        }
    }
    DateTimeOffset CreatedTime => Timestamps.Parse(Rec.Created) ?? DateTimeOffset.UnixEpoch;
    public string CreatedAt => CreatedTime.ToString("yyyy-MM-dd HH:mm:ss zz00") + " UTC";
    public string RunningFor => HumanDuration.Of(DateTimeOffset.UtcNow - CreatedTime) + " ago";
    public string State => Rec.State.Status;
    public string Status
    {
        get
        {
            var s = Rec.State;
            var now = DateTimeOffset.UtcNow;
            var started = Timestamps.Parse(s.StartedAt);
            var finished = Timestamps.Parse(s.FinishedAt);
            return s.Status switch
            {
                "running" => $"Up {HumanDuration.Of(now - (started ?? now))}",
                "paused" => $"Up {HumanDuration.Of(now - (started ?? now))} (Paused)",
                "restarting" => $"Restarting ({s.ExitCode}) {HumanDuration.Of(now - (finished ?? now))} ago",
                "exited" => finished is null ? "Exited" : $"Exited ({s.ExitCode}) {HumanDuration.Of(now - finished.Value)} ago",
                "removing" => "Removal In Progress",
                "dead" => "Dead",
                _ => "Created",
            };
        }
    }
    public string Ports
    {
        get
        {
            var parts = new List<string>();
            foreach (var (port, binds) in Rec.NetworkSettings.Ports.OrderBy(p => p.Key))
            {
                if (binds is null || binds.Count == 0 || !Rec.State.Running) { if (Rec.State.Running) parts.Add(port); continue; }
                foreach (var b in binds)
                    parts.Add($"{(string.IsNullOrEmpty(b.HostIp) ? "0.0.0.0" : b.HostIp)}:{b.HostPort}->{port}");
            }
            return string.Join(", ", parts);
        }
    }
    public string Names => Rec.PlainName;
    public string Labels => string.Join(',', Rec.Config.Labels.Select(kv => $"{kv.Key}={kv.Value}"));
    public string Mounts => string.Join(',', Rec.Mounts.Select(m => m.Name ?? m.Source));
    public string Networks => string.Join(',', Rec.NetworkSettings.Networks.Keys);
    public string LocalVolumes => Rec.Mounts.Count(m => m.Type == "volume").ToString();

    public string Field(string name) => name switch
    {
        "ID" => ID, "Image" => Image, "Command" => Command, "CreatedAt" => CreatedAt, "RunningFor" => RunningFor,
        "Ports" => Ports, "State" => State, "Status" => Status, "Names" => Names, "Labels" => Labels, "Mounts" => Mounts,
        "Networks" => Networks, "LocalVolumes" => LocalVolumes, "Size" => "0B",
        _ => throw new UsageException($"template: can't evaluate field {name} in type container.Summary"),
    };

    public static readonly string[] FieldNames = ["Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts",
        "Names", "Networks", "Ports", "RunningFor", "Size", "State", "Status"];
}
