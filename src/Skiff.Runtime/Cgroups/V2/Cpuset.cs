using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>cpuset.cpus and cpuset.mems. A CPU or node the parent does not offer is refused by the kernel (EINVAL).</summary>
internal static class Cpuset
{
    const string C = "cpuset";

    public static void Set(string dir, CpuResources cpu)
    {
        if (!string.IsNullOrEmpty(cpu.Cpus)) Write(dir, "cpuset.cpus", cpu.Cpus);
        if (!string.IsNullOrEmpty(cpu.Mems)) Write(dir, "cpuset.mems", cpu.Mems);
    }

    static void Write(string dir, string file, string value)
    {
        try { CgroupFile.Write(C, dir, file, value); }
        catch (CgroupException e) when (e.Errno is Linux.Errno.EINVAL or Linux.Errno.ERANGE)
        {
            var parent = System.IO.Path.GetDirectoryName(dir)!;
            var offered = CgroupFile.TryRead(parent, file + ".effective") ?? "?";
            throw new CgroupException(C, dir + "/" + file, value, e.Errno, $"not within the parent's {file} ({offered})");
        }
    }
}
