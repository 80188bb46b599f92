using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 cpuset controller. A new v1 cpuset starts with empty cpus and mems and accepts no task until both are set,
/// so each level this manager creates is first given its parent's values (an empty parent is filled from its own parent).
/// </summary>
internal static class Cpuset
{
    const string C = "cpuset";

    /// <summary>Called for each directory created: copy cpus and mems down from the parent.</summary>
    public static void Initialise(string parent, string child)
    {
        foreach (var file in (string[])["cpuset.cpus", "cpuset.mems"])
        {
            var value = CgroupFile.Read(C, parent, file);
            if (value.Length == 0)
            {
                Initialise(System.IO.Path.GetDirectoryName(parent)!, parent);
                value = CgroupFile.Read(C, parent, file);
            }
            CgroupFile.Write(C, child, file, value);
        }
    }

    public static void Set(string dir, CpuResources cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus)) Write(dir, "cpuset.cpus", cpu.Cpus, "cpuset.effective_cpus");
        if (!string.IsNullOrEmpty(cpu.Mems)) Write(dir, "cpuset.mems", cpu.Mems, "cpuset.effective_mems");
    }

    static void Write(string dir, string file, string value, string offeredFile)
    {
        try { CgroupFile.Write(C, dir, file, value); }
        catch (CgroupException e) when (e.Errno is Linux.Errno.EINVAL or Linux.Errno.ERANGE)
        {
            var offered = CgroupFile.TryRead(System.IO.Path.GetDirectoryName(dir)!, offeredFile) ?? "?";
            throw new CgroupException(C, dir + "/" + file, value, e.Errno, $"not within the parent's {file} ({offered})");
        }
    }
}
