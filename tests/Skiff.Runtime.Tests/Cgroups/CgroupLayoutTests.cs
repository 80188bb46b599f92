using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Cgroups.V2;
using Xunit;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>Pure logic: mountinfo and /proc/pid/cgroup parsing, path rules, value conversions, the factory's refusals.</summary>
public sealed class CgroupLayoutTests
{
    const string Hybrid = """
        30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
        32 30 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,relatime - cgroup cgroup rw,net_cls,net_prio
        33 30 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        34 30 0:31 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        35 30 0:32 /sub /mnt/memory\040copy rw shared:5 - cgroup cgroup rw,memory
        40 30 0:37 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
        """;

    [Fact]
    public void Hybrid_layout_finds_co_mounts_by_super_options_and_the_cgroup2_mount()
    {
        var l = CgroupLayout.Parse(Hybrid, mount => mount == "/sys/fs/cgroup/unified" ? "hugetlb\n" : "");
        Assert.Equal(CgroupMode.Hybrid, l.Mode);
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", l.HierarchyOf("cpuacct")!.MountPoint);
        Assert.Same(l.HierarchyOf("cpu"), l.HierarchyOf("cpuacct"));
        Assert.Equal("/sys/fs/cgroup/net_cls,net_prio", l.HierarchyOf("net_prio")!.MountPoint);
        Assert.Equal("/sys/fs/cgroup/memory", l.HierarchyOf("memory")!.MountPoint); // the root mount wins over a bind of /sub
        Assert.NotNull(l.HierarchyOf("name=systemd"));
        Assert.Null(l.HierarchyOf("hugetlb"));
        Assert.True(l.OnUnified("hugetlb"));
        Assert.False(l.OnUnified("memory"));
        Assert.Equal(4, l.Hierarchies.Count);
    }

    [Fact]
    public void Mountinfo_octal_escapes_are_decoded()
    {
        Assert.True(MountInfo.TryParse(@"35 30 0:32 /sub /mnt/memory\040copy rw shared:5 - cgroup cgroup rw,memory", out var m));
        Assert.Equal("/mnt/memory copy", m.MountPoint);
        Assert.Equal("/sub", m.Root);
        Assert.Equal("rw,memory", m.SuperOptions);
    }

    [Fact]
    public void Pure_v2_and_pure_v1_layouts()
    {
        var v2 = CgroupLayout.Parse("25 22 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate",
            _ => "cpuset cpu io memory pids");
        Assert.Equal(CgroupMode.Unified, v2.Mode);
        Assert.Equal("/sys/fs/cgroup", v2.UnifiedMount);
        Assert.True(v2.OnUnified("memory"));
        var v1 = CgroupLayout.Parse("31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu", _ => "");
        Assert.Equal(CgroupMode.Legacy, v1.Mode);
    }

    [Fact]
    public void Proc_cgroup_lines_parse()
    {
        var list = ProcessCgroup.Parse("12:cpu,cpuacct:/a\n1:name=systemd:/user.slice\n0::/a/b\n");
        Assert.Equal("/a", ProcessCgroup.PathOf(list, "cpuacct"));
        Assert.Equal("/user.slice", ProcessCgroup.PathOf(list, "name=systemd"));
        Assert.Equal("/a/b", ProcessCgroup.PathOf(list, ""));
        Assert.True(list[2].IsUnified);
    }

    [Theory]
    [InlineData("/mycontainer", "/mycontainer")]
    [InlineData("mycontainer", "/mycontainer")]
    [InlineData("//a///b/", "/a/b")]
    public void Paths_normalize(string input, string expected) => Assert.Equal(expected, CgroupPath.Normalize(input));

    [Theory]
    [InlineData("/a/../b")]
    [InlineData("./a")]
    [InlineData("")]
    [InlineData("/")]
    public void Bad_paths_are_refused(string input) => Assert.Throws<CgroupException>(() => CgroupPath.Normalize(input));

    [Fact]
    public void Systemd_driver_without_systemd_is_a_clear_error()
    {
        if (Directory.Exists("/run/systemd/system")) return; // systemd hosts: see the systemd driver's own tests
        var e = Assert.Throws<CgroupException>(() => CgroupManagers.Open("system.slice:skiff:abc", systemd: true));
        Assert.Equal("cgroup systemd: systemd cgroup driver requested but systemd is not running", e.Message);
    }

    [Theory]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(262144UL, 10000UL)]
    public void Shares_convert_to_weight(ulong shares, ulong weight) => Assert.Equal(weight, Cpu.Weight(shares));

    [Fact]
    public void Swap_converts_to_swap_only()
    {
        Assert.Equal(32L << 20, Memory.SwapMax(96L << 20, 64L << 20));
        Assert.Equal(-1L, Memory.SwapMax(0, -1));
        Assert.Equal(-1L, Memory.SwapMax(-1, 64L << 20));
        Assert.Null(Memory.SwapMax(0, 64L << 20));
        Assert.Throws<CgroupException>(() => Memory.SwapMax(32L << 20, 64L << 20));
    }

    [Fact]
    public void Cpu_max_text()
    {
        Assert.Equal("50000 100000", Cpu.Max(50000, 0));
        Assert.Equal("max 200000", Cpu.Max(-1, 200000));
    }

    [Fact]
    public void Error_message_names_controller_file_value_and_errno()
    {
        var e = new CgroupException("memory", "/sys/fs/cgroup/memory/x/memory.limit_in_bytes", "1000", Skiff.Linux.Errno.EBUSY);
        Assert.Equal("cgroup memory: write 1000 to memory.limit_in_bytes: EBUSY (device or resource busy)", e.Message);
    }
}
