using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;
using Xunit;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>
/// The shared suite on the v2 manager, run on this host's cgroup2 mount (/sys/fs/cgroup on a v2 host,
/// /sys/fs/cgroup/unified on a hybrid one). cgroup.procs, freeze, kill, events, cpu.stat and device programs are core
/// cgroup2 features and run for real everywhere; a controller bound to v1 here cannot be enabled on cgroup2 and its
/// tests skip with that reason.
/// </summary>
public sealed class V2CgroupManagerTests : CgroupManagerTests
{
    static readonly CgroupLayout Layout = CgroupLayout.Host;

    /// <summary>Core cgroup2 features (no controller to enable).</summary>
    static readonly string[] Core = ["freezer", "devices"];

    protected override ICgroupManager Open(string path)
        => new Skiff.Runtime.Cgroups.V2.Manager(
            Layout.UnifiedMount ?? throw new SkipException("this host has no cgroup2 mount"), path, Layout.UnifiedControllers.ToArray());

    protected override string? Unsupported(string controller)
    {
        var name = controller == "blkio" ? "io" : controller;
        if (Core.Contains(name) || Layout.UnifiedControllers.Contains(name)) return null;
        return $"the {name} controller is bound to a v1 hierarchy on this host and cannot be enabled on the cgroup2 mount " +
               $"{Layout.UnifiedMount} (it offers: {string.Join(' ', Layout.UnifiedControllers)})";
    }

    protected override IEnumerable<string> Directories(ICgroupManager m) => [Layout.UnifiedMount + m.Path];

    protected override string DirectoryOf(ICgroupManager m, string controller) => Layout.UnifiedMount + m.Path;

    protected override IEnumerable<string> Memberships() => [""];

    /// <summary>A nested cgroupsPath: the intermediate cgroup is made before its subtree_control is written, so the
    /// leaf gets every controller the mount offers (the VM run found /a/b without any).</summary>
    [SkippableFact]
    public void Nested_path_gets_the_controllers_at_every_level()
    {
        if (Layout.UnifiedControllers.Count == 0) throw new SkipException("the cgroup2 mount offers no controllers on this host");
        var parent = CgroupCleanup.NewPath();
        var m = Open(parent + "/inner");
        try
        {
            m.Create();
            static string[] Words(string file) => File.ReadAllText(file).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
            var offered = Layout.UnifiedControllers.Order().ToArray();
            Assert.Equal(offered, Words(Layout.UnifiedMount + parent + "/cgroup.subtree_control"));
            Assert.Equal(offered, Words(Layout.UnifiedMount + parent + "/inner/cgroup.controllers"));
        }
        finally
        {
            m.Destroy();
            Directory.Delete(Layout.UnifiedMount + parent);
        }
    }

    [SkippableFact]
    public void Memory_files_take_limit_low_and_swap_as_swap_minus_limit()
    {
        Require("memory");
        var m = NewCgroup();
        try
        {
            m.Set(new Resources { Memory = new MemoryResources { Limit = 64 << 20, Swap = 96 << 20, Reservation = 32 << 20 } });
            Assert.Equal((64 << 20).ToString(), Read(m, "memory", "memory.max"));
            Assert.Equal((32 << 20).ToString(), Read(m, "memory", "memory.low"));
            if (File.Exists(Path.Combine(DirectoryOf(m, "memory"), "memory.swap.max")))
                Assert.Equal((32 << 20).ToString(), Read(m, "memory", "memory.swap.max"));
            m.Set(new Resources { Memory = new MemoryResources { Limit = -1 } });
            Assert.Equal("max", Read(m, "memory", "memory.max"));
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Cpu_files_take_weight_from_shares_and_max()
    {
        Require("cpu");
        var m = NewCgroup();
        try
        {
            m.Set(new Resources { Cpu = new CpuResources { Shares = 1024, Quota = 50_000, Period = 200_000 } });
            Assert.Equal("39", Read(m, "cpu", "cpu.weight"));
            Assert.Equal("50000 200000", Read(m, "cpu", "cpu.max"));
            m.Set(new Resources { Cpu = new CpuResources { Quota = -1 } });
            Assert.Equal("max 100000", Read(m, "cpu", "cpu.max"));
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Io_max_takes_throttles()
    {
        Require("io");
        var (major, minor) = V1CgroupManagerTests.Disk();
        var m = NewCgroup();
        try
        {
            m.Set(new Resources
            {
                BlockIo = new BlockIo { ThrottleReadBpsDevice = [new ThrottleDevice { Major = major, Minor = minor, Rate = 1 << 20 }] },
            });
            Assert.StartsWith($"{major}:{minor} rbps={1 << 20} wbps=max", Read(m, "io", "io.max"));
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Unified_values_are_written_verbatim_and_unknown_files_named()
    {
        var m = NewCgroup();
        try
        {
            m.Set(new Resources { Unified = new() { ["cgroup.max.descendants"] = "5" } });
            Assert.Equal("5", Read(m, "cgroup", "cgroup.max.descendants"));
            var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Unified = new() { ["nosuch.file"] = "1" } }));
            Assert.Equal("ENOENT", e.ErrnoName);
            Assert.Contains("nosuch.file", e.Message);
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Device_programs_replace_each_other_on_update()
    {
        var m = NewCgroup();
        try
        {
            var dir = DirectoryOf(m, "devices");
            m.Set(new Resources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }] });
            m.Set(new Resources { Devices = [new DeviceRule { Allow = true, Access = "rwm" }] });
            using var fd = Skiff.Linux.Files.Open(dir, Skiff.Linux.Files.O_RDONLY | Skiff.Linux.Files.O_DIRECTORY);
            Assert.Single(Skiff.Linux.Bpf.QueryAttached(fd.Value, Skiff.Linux.Bpf.BPF_CGROUP_DEVICE));
        }
        finally { m.Destroy(); }
    }
}
