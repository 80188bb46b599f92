using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;
using Xunit;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>The shared suite on the v1 manager (v1 and hybrid hosts), plus the v1-only file formats.</summary>
public sealed class V1CgroupManagerTests : CgroupManagerTests
{
    static readonly CgroupLayout Layout = CgroupLayout.Host;

    protected override ICgroupManager Open(string path)
    {
        if (Layout.Mode == CgroupMode.Unified) throw new SkipException("this host has no cgroup v1 hierarchies");
        return new Skiff.Runtime.Cgroups.V1.Manager(Layout, path);
    }

    protected override string? Unsupported(string controller)
        => Layout.HierarchyOf(controller) is not null || Layout.OnUnified(controller) ? null
            : $"the {controller} controller is mounted neither as a v1 hierarchy nor on the cgroup2 mount here";

    protected override IEnumerable<string> Directories(ICgroupManager m)
    {
        foreach (var h in Layout.Hierarchies) yield return h.MountPoint + m.Path;
        if (Layout.Mode == CgroupMode.Hybrid) yield return Layout.UnifiedMount + m.Path;
    }

    protected override string DirectoryOf(ICgroupManager m, string controller)
        => ((Skiff.Runtime.Cgroups.V1.Manager)m).DirectoryOf(controller)
           ?? (Layout.OnUnified(controller) ? Layout.UnifiedMount + m.Path : throw new SkipException($"{controller} not mounted"));

    protected override IEnumerable<string> Memberships()
    {
        foreach (var h in Layout.Hierarchies) yield return h.Controllers[0];
        if (Layout.Mode == CgroupMode.Hybrid) yield return "";
    }

    [SkippableFact]
    public void Memory_files_take_limit_swap_reservation_swappiness_and_oom_control()
    {
        Require("memory");
        var m = NewCgroup();
        try
        {
            m.Set(new Resources
            {
                Memory = new MemoryResources
                {
                    Limit = 64 << 20, Swap = 96 << 20, Reservation = 32 << 20, Swappiness = 10, DisableOomKiller = true,
                },
            });
            Assert.Equal((64 << 20).ToString(), Read(m, "memory", "memory.limit_in_bytes"));
            Assert.Equal((96 << 20).ToString(), Read(m, "memory", "memory.memsw.limit_in_bytes"));
            Assert.Equal((32 << 20).ToString(), Read(m, "memory", "memory.soft_limit_in_bytes"));
            Assert.Equal("10", Read(m, "memory", "memory.swappiness"));
            Assert.Contains("oom_kill_disable 1", Read(m, "memory", "memory.oom_control"));
            // Lowering both needs the limit written before memsw; raising needs the reverse.
            m.Set(new Resources { Memory = new MemoryResources { Limit = 16 << 20, Swap = 16 << 20 } });
            Assert.Equal((16 << 20).ToString(), Read(m, "memory", "memory.memsw.limit_in_bytes"));
            m.Set(new Resources { Memory = new MemoryResources { Limit = 128 << 20, Swap = 256 << 20 } });
            Assert.Equal((128 << 20).ToString(), Read(m, "memory", "memory.limit_in_bytes"));
            m.Set(new Resources { Memory = new MemoryResources { Limit = -1 } });
            Assert.Equal(ulong.MaxValue, m.Stats().Memory.Limit);
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Memory_limit_below_usage_names_controller_file_value_and_errno()
    {
        Require("memory");
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; v=$(head -c 8000000 /dev/zero | tr '\\0' x); echo ready; read y");
        try
        {
            m.Apply(p.Pid);
            p.Step();
            Assert.Equal("ready", p.ReadLine());
            var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Memory = new MemoryResources { Limit = 1 << 20 } }));
            Assert.StartsWith($"cgroup memory: write {1 << 20} to memory.limit_in_bytes: EBUSY", e.Message);
            Assert.Equal("EBUSY", e.ErrnoName);
            Assert.EndsWith("memory.limit_in_bytes", e.File);
        }
        finally { m.Signal(Skiff.Linux.Processes.SIGKILL); p.Dispose(); m.Destroy(); }
    }

    [SkippableFact]
    public void Cpu_files_take_shares_quota_period_burst_and_idle()
    {
        Require("cpu");
        var m = NewCgroup();
        try
        {
            m.Set(new Resources { Cpu = new CpuResources { Shares = 512, Quota = 50_000, Period = 200_000, Burst = 1000 } });
            Assert.Equal("512", Read(m, "cpu", "cpu.shares"));
            Assert.Equal("50000", Read(m, "cpu", "cpu.cfs_quota_us"));
            Assert.Equal("200000", Read(m, "cpu", "cpu.cfs_period_us"));
            Assert.Equal("1000", Read(m, "cpu", "cpu.cfs_burst_us"));
            m.Set(new Resources { Cpu = new CpuResources { Quota = -1, Idle = 1 } });
            Assert.Equal("-1", Read(m, "cpu", "cpu.cfs_quota_us"));
            Assert.Equal("1", Read(m, "cpu", "cpu.idle"));
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Blkio_files_take_weight_and_throttles()
    {
        Require("blkio");
        var (major, minor) = Disk();
        var m = NewCgroup();
        try
        {
            m.Set(new Resources
            {
                BlockIo = new BlockIo
                {
                    Weight = 300,
                    ThrottleReadBpsDevice = [new ThrottleDevice { Major = major, Minor = minor, Rate = 1 << 20 }],
                    ThrottleWriteIopsDevice = [new ThrottleDevice { Major = major, Minor = minor, Rate = 100 }],
                },
            });
            var dir = DirectoryOf(m, "blkio");
            var weight = File.Exists(Path.Combine(dir, "blkio.weight")) ? "blkio.weight" : "blkio.bfq.weight";
            Assert.Contains("300", Read(m, "blkio", weight));
            Assert.Equal($"{major}:{minor} {1 << 20}", Read(m, "blkio", "blkio.throttle.read_bps_device"));
            Assert.Equal($"{major}:{minor} 100", Read(m, "blkio", "blkio.throttle.write_iops_device"));
        }
        finally { m.Destroy(); }
    }

    /// <summary>A whole disk of this machine (one with a device behind it, not a loop or zram device).</summary>
    internal static (long Major, long Minor) Disk()
    {
        foreach (var dev in Directory.GetDirectories("/sys/block"))
        {
            if (!Directory.Exists(Path.Combine(dev, "device"))) continue;
            var mm = File.ReadAllText(Path.Combine(dev, "dev")).Trim().Split(':');
            return (long.Parse(mm[0]), long.Parse(mm[1]));
        }
        throw new SkipException("no disk with a device behind it in /sys/block");
    }

    [SkippableFact]
    public void Devices_list_shows_the_rules()
    {
        Require("devices");
        var m = NewCgroup();
        try
        {
            m.Set(new Resources
            {
                Devices = [new DeviceRule { Allow = false, Access = "rwm" },
                           new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 5, Access = "rwm" },
                           new DeviceRule { Allow = true, Type = "b", Major = 8, Minor = null, Access = "r" }],
            });
            var list = Read(m, "devices", "devices.list").Split('\n');
            Assert.Equal(["c 1:5 rwm", "b 8:* r"], list);
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Hybrid_hugetlb_goes_to_the_cgroup2_mount()
    {
        if (Layout.Mode != CgroupMode.Hybrid || !Layout.OnUnified("hugetlb") || HugePageSizes.All.Count == 0)
            throw new SkipException("hugetlb is not on the cgroup2 mount of a hybrid host here");
        var m = NewCgroup();
        try
        {
            var size = HugePageSizes.All[0];
            m.Set(new Resources { HugepageLimits = [new HugepageLimit { PageSize = size, Limit = 2 << 21 }] });
            Assert.Equal((2 << 21).ToString(), File.ReadAllText($"{Layout.UnifiedMount}{m.Path}/hugetlb.{size}.max").Trim());
            // The unified map reaches it too, but not a controller bound to v1.
            m.Set(new Resources { Unified = new() { [$"hugetlb.{size}.max"] = "max" } });
            Assert.Equal("max", File.ReadAllText($"{Layout.UnifiedMount}{m.Path}/hugetlb.{size}.max").Trim());
            var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Unified = new() { ["memory.max"] = "1000000" } }));
            Assert.Contains("bound to a v1 hierarchy", e.Message);
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Network_class_and_priorities_need_their_controllers()
    {
        var m = NewCgroup();
        try
        {
            if (Layout.HierarchyOf("net_cls") is null)
            {
                var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Network = new NetworkResources { ClassId = 0x100001 } }));
                Assert.Equal("cgroup net_cls: controller is not mounted on this host", e.Message);
            }
            else
            {
                m.Set(new Resources { Network = new NetworkResources { ClassId = 0x100001 } });
                Assert.Equal("1048577", Read(m, "net_cls", "net_cls.classid"));
            }
        }
        finally { m.Destroy(); }
    }
}
