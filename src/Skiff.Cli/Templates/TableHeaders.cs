namespace Skiff.Cli.Templates;

/// <summary>docker's column names per list verb (the header row of <c>--format "table ..."</c>) and its default
/// table formats. A field with no name here shows as &lt;no value&gt; in the header, as in docker.</summary>
public static class TableHeaders
{
    public static readonly IReadOnlyDictionary<string, string> Containers = new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID", ["Names"] = "NAMES", ["Image"] = "IMAGE", ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT", ["RunningFor"] = "CREATED", ["Ports"] = "PORTS", ["State"] = "STATE",
        ["Status"] = "STATUS", ["Size"] = "SIZE", ["Labels"] = "LABELS", ["Mounts"] = "MOUNTS",
        ["LocalVolumes"] = "LOCAL VOLUMES", ["Networks"] = "NETWORKS", ["Platform"] = "PLATFORM",
        ["HealthStatus"] = "HEALTH STATUS",
    };

    public static readonly IReadOnlyDictionary<string, string> Images = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID", ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS",
        ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE",
    };

    public static readonly IReadOnlyDictionary<string, string> Volumes = new Dictionary<string, string>
    {
        ["ID"] = "ID", ["Name"] = "VOLUME NAME", ["Group"] = "GROUP", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE",
        ["Availability"] = "AVAILABILITY", ["Mountpoint"] = "MOUNTPOINT", ["Labels"] = "LABELS", ["Links"] = "LINKS",
        ["Size"] = "SIZE", ["Status"] = "STATUS",
    };

    public static readonly IReadOnlyDictionary<string, string> Networks = new Dictionary<string, string>
    {
        ["ID"] = "NETWORK ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["IPv4"] = "IPV4",
        ["IPv6"] = "IPV6", ["Internal"] = "INTERNAL", ["Labels"] = "LABELS", ["CreatedAt"] = "CREATED AT",
    };

    public const string ContainersTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public const string ImagesTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    public const string VolumesTable = "table {{.Driver}}\t{{.Name}}";
    public const string NetworksTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
}
