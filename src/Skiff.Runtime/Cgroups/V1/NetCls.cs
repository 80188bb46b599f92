namespace Skiff.Runtime.Cgroups.V1;

/// <summary>The v1 net_cls controller: the class id stamped on the cgroup's packets.</summary>
internal static class NetCls
{
    public static void Set(string dir, uint classId) => CgroupFile.Write("net_cls", dir, "net_cls.classid", classId.ToString());
}
