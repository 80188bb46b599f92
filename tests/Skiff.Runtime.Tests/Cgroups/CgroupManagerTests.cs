using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;
using Xunit;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>
/// The tests every cgroup manager must pass (containerd's testsuite style): one concrete subclass per implementation.
/// They run as root on this machine against the kernel: a real cgroup, real child processes, the kernel's own files
/// read back, and enforcement checked where it is cheap. A controller the implementation cannot reach on this host
/// skips the test with the reason; nothing is faked.
/// </summary>
[Collection(CgroupCollection.Name)]
public abstract class CgroupManagerTests
{
    const long MiB = 1024 * 1024;

    /// <summary>A manager for <paramref name="path"/> of the implementation under test.</summary>
    protected abstract ICgroupManager Open(string path);

    /// <summary>Why <paramref name="controller"/> cannot be tested with this implementation on this host, or null.</summary>
    protected abstract string? Unsupported(string controller);

    /// <summary>Every directory the manager makes for its cgroup.</summary>
    protected abstract IEnumerable<string> Directories(ICgroupManager m);

    /// <summary>The directory holding <paramref name="controller"/>'s files for the cgroup.</summary>
    protected abstract string DirectoryOf(ICgroupManager m, string controller);

    /// <summary>The /proc/pid/cgroup lines the process must show after Apply: controller names, "" for cgroup2.</summary>
    protected abstract IEnumerable<string> Memberships();

    /// <summary>Memory, limit and memory+swap in the form this implementation wants for "no swap beyond the limit".</summary>
    protected static MemoryResources NoSwapLimit(long limit) => new() { Limit = limit, Swap = limit };

    protected void Require(params string[] controllers)
    {
        foreach (var c in controllers)
            if (Unsupported(c) is { } reason) throw new SkipException(reason);
    }

    protected ICgroupManager NewCgroup()
    {
        var m = Open(CgroupCleanup.NewPath());
        m.Create();
        return m;
    }

    protected string Read(ICgroupManager m, string controller, string file)
        => File.ReadAllText(Path.Combine(DirectoryOf(m, controller), file)).Trim();

    /// <summary>Ends the test's processes (thawing first: a frozen task cannot die) and removes the cgroup.</summary>
    static void Finish(ICgroupManager m, params TestProcess[] processes)
    {
        try { if (m.IsFrozen()) m.Thaw(); }
        catch (CgroupException) { }
        foreach (var p in processes) p.Dispose();
        m.Destroy();
    }

    [SkippableFact]
    public void Create_is_idempotent_and_Destroy_removes_every_directory()
    {
        var m = NewCgroup();
        try
        {
            m.Create();
            Assert.NotEmpty(Directories(m));
            foreach (var d in Directories(m)) Assert.True(Directory.Exists(d), $"{d} missing after Create");
        }
        finally { m.Destroy(); }
        foreach (var d in Directories(m)) Assert.False(Directory.Exists(d), $"{d} left after Destroy");
        m.Destroy(); // already gone: no error
    }

    [SkippableFact]
    public void Apply_moves_the_process_into_every_hierarchy()
    {
        var m = NewCgroup();
        using var p = TestProcess.Sleep();
        try
        {
            m.Apply(p.Pid);
            var cgroups = ProcessCgroup.Read(p.Pid);
            foreach (var controller in Memberships())
                Assert.Equal(m.Path, ProcessCgroup.PathOf(cgroups, controller));
            Assert.Equal([p.Pid], m.Pids());
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Pids_include_child_cgroups()
    {
        // Processes sit in leaves only: cgroup2 refuses processes in a cgroup whose children have controllers.
        var m = NewCgroup();
        var a = Open(m.Path + "/a");
        var b = Open(m.Path + "/b/c");
        using var p1 = TestProcess.Sleep();
        using var p2 = TestProcess.Sleep();
        try
        {
            a.Create();
            b.Create();
            a.Apply(p1.Pid);
            b.Apply(p2.Pid);
            Assert.Equal(new[] { p1.Pid, p2.Pid }.Order(), m.Pids().Order());
            Assert.Equal([p2.Pid], b.Pids());
        }
        finally { Finish(m, p1, p2); }
        foreach (var d in Directories(a).Concat(Directories(b))) Assert.False(Directory.Exists(d), $"{d} left after the parent's Destroy");
    }

    [SkippableFact]
    public void Destroy_refuses_while_a_process_is_inside_and_succeeds_after_it_exits()
    {
        var m = NewCgroup();
        var p = TestProcess.Sleep();
        try
        {
            m.Apply(p.Pid);
            var e = Assert.Throws<CgroupException>(m.Destroy);
            Assert.Equal(Errno.EBUSY, e.Errno);
            Assert.Contains(p.Pid.ToString(), e.Message);
            p.Dispose();
            m.Destroy();
            foreach (var d in Directories(m)) Assert.False(Directory.Exists(d), d);
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Pids_limit_stops_forks_beyond_it()
    {
        Require("pids");
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; /bin/true && echo forked; read y; /bin/true && echo forked-again; echo end");
        try
        {
            m.Apply(p.Pid);
            m.Set(new Resources { Pids = new PidsResources { Limit = 2 } });
            Assert.Equal("2", Read(m, "pids", "pids.max"));
            p.Step();
            Assert.Equal("forked", p.ReadLine()); // the shell plus one child fit
            m.Set(new Resources { Pids = new PidsResources { Limit = 1 } });
            Assert.Equal(1UL, m.Stats().Pids.Limit);
            p.Step();
            Assert.NotEqual("forked-again", p.ReadLine());
            p.WaitForExit();
            Assert.Contains("fork", p.Stderr, StringComparison.OrdinalIgnoreCase);
            m.Set(new Resources { Pids = new PidsResources { Limit = -1 } });
            Assert.Equal("max", Read(m, "pids", "pids.max"));
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Memory_limit_gets_an_allocating_process_OOM_killed()
    {
        Require("memory");
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; exec tail /dev/zero");
        try
        {
            m.Apply(p.Pid);
            m.Set(new Resources { Memory = NoSwapLimit(32 * MiB) });
            Assert.Equal((ulong)(32 * MiB), m.Stats().Memory.Limit);
            p.Step();
            Assert.Equal(128 + Processes.SIGKILL, p.WaitForExit());
            var stats = m.Stats().Memory;
            Assert.True(stats.OomKill >= 1, $"oom_kill = {stats.OomKill}");
            Assert.True(stats.MaxUsage >= (ulong)(30 * MiB), $"peak usage {stats.MaxUsage}");
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Memory_limit_below_usage_is_refused_with_checkBeforeUpdate()
    {
        Require("memory");
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; v=$(head -c 8000000 /dev/zero | tr '\\0' x); echo ready; read y");
        try
        {
            m.Apply(p.Pid);
            p.Step();
            Assert.Equal("ready", p.ReadLine());
            var before = m.Stats().Memory;
            Assert.True(before.Usage > MiB, $"usage {before.Usage}");
            var e = Assert.Throws<CgroupException>(() =>
                m.Set(new Resources { Memory = new MemoryResources { Limit = MiB, CheckBeforeUpdate = true } }));
            Assert.Equal("memory", e.Controller);
            Assert.Contains("below current usage", e.Message);
            Assert.Equal(before.Limit, m.Stats().Memory.Limit);
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Freeze_stops_the_processes_and_Thaw_resumes_them()
    {
        var m = NewCgroup();
        using var p = TestProcess.Shell("while read x; do echo got; done");
        try
        {
            m.Apply(p.Pid);
            p.Step();
            Assert.Equal("got", p.ReadLine());
            Assert.False(m.IsFrozen());
            m.Freeze();
            Assert.True(m.IsFrozen());
            // v1 parks frozen tasks in __refrigerator (state D), v2 in the signal path (do_freezer_trap, inlined in get_signal).
            var channel = p.WaitChannel;
            Assert.True(channel is "__refrigerator" or "get_signal" or "do_freezer_trap", $"frozen task waits in {channel} ({p.State})");
            p.Step(); // queued in the pipe; answered only once thawed
            m.Thaw();
            Assert.False(m.IsFrozen());
            Assert.Equal("got", p.ReadLine());
            Assert.NotEqual("__refrigerator", p.WaitChannel);
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Signal_reaches_every_process()
    {
        var m = NewCgroup();
        using var a = TestProcess.Sleep();
        using var b = TestProcess.Sleep();
        using var c = TestProcess.Sleep();
        try
        {
            m.Apply(a.Pid);
            m.Apply(b.Pid);
            m.Signal(Processes.SIGTERM);
            Assert.Equal(128 + Processes.SIGTERM, a.WaitForExit());
            Assert.Equal(128 + Processes.SIGTERM, b.WaitForExit());
            Assert.False(m.IsFrozen());
            m.Apply(c.Pid);
            m.Signal(Processes.SIGKILL);
            Assert.Equal(128 + Processes.SIGKILL, c.WaitForExit());
        }
        finally { Finish(m, a, b, c); }
    }

    [SkippableFact]
    public void SIGKILL_reaches_a_frozen_cgroup()
    {
        var m = NewCgroup();
        using var p = TestProcess.Sleep();
        try
        {
            m.Apply(p.Pid);
            m.Freeze();
            m.Signal(Processes.SIGKILL);
            Assert.Equal(128 + Processes.SIGKILL, p.WaitForExit());
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Stats_report_cpu_time_spent_in_the_cgroup()
    {
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done; read y");
        try
        {
            m.Apply(p.Pid);
            var before = m.Stats().Cpu.UsageNs;
            p.Step();
            Assert.Equal("done", p.ReadLine());
            var cpu = m.Stats().Cpu;
            Assert.True(cpu.UsageNs > before, $"cpu usage {before} -> {cpu.UsageNs}");
            Assert.True(cpu.UserNs + cpu.SystemNs > 0, "user+system");
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Stats_report_memory_and_pids()
    {
        Require("memory", "pids");
        var m = NewCgroup();
        using var p = TestProcess.Shell("read x; v=$(head -c 4000000 /dev/zero | tr '\\0' x); echo ready; read y");
        try
        {
            m.Apply(p.Pid);
            p.Step();
            Assert.Equal("ready", p.ReadLine());
            var s = m.Stats();
            Assert.True(s.Memory.Usage > 0 && s.Memory.MaxUsage >= s.Memory.Usage, $"usage {s.Memory.Usage} peak {s.Memory.MaxUsage}");
            Assert.Equal(ulong.MaxValue, s.Memory.Limit);
            Assert.Equal(1UL, s.Pids.Current);
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Stats_report_block_io_bytes()
    {
        Require("blkio");
        // O_DIRECT I/O on a scratch file bypasses the page cache, so the disk sees (and the cgroup is charged) every byte.
        var file = Path.Combine(AppContext.BaseDirectory, $"blkio-{Guid.NewGuid():N}");
        var m = NewCgroup();
        using var p = TestProcess.Shell(
            $"read x; dd if=/dev/zero of={file} bs=64k count=16 oflag=direct,sync 2>/dev/null && " +
            $"dd if={file} of=/dev/null bs=64k iflag=direct 2>/dev/null && echo done; read y");
        try
        {
            m.Apply(p.Pid);
            p.Step();
            Assert.Equal("done", p.ReadLine());
            var io = m.Stats().Blkio;
            Assert.True(io.WriteBytes >= 16 * 65536, $"written bytes {io.WriteBytes}");
            Assert.True(io.ReadBytes >= 16 * 65536, $"read bytes {io.ReadBytes}");
            Assert.True(io.ReadOps > 0 && io.WriteOps > 0, $"ops {io.ReadOps}/{io.WriteOps}");
        }
        finally { Finish(m, p); File.Delete(file); }
    }

    [SkippableFact]
    public void Cpuset_accepts_an_existing_cpu_and_refuses_a_missing_one()
    {
        Require("cpuset");
        var m = NewCgroup();
        using var p = TestProcess.Sleep();
        try
        {
            m.Apply(p.Pid); // a v1 cpuset must be usable straight after Create
            m.Set(new Resources { Cpu = new CpuResources { Cpus = "0", Mems = "0" } });
            Assert.Equal("0", Read(m, "cpuset", "cpuset.cpus"));
            Assert.Contains("Cpus_allowed_list:\t0", File.ReadAllText($"/proc/{p.Pid}/status"));
            var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Cpu = new CpuResources { Cpus = "99" } }));
            Assert.Equal("cpuset", e.Controller);
            Assert.True(e.ErrnoName is "EINVAL" or "ERANGE", e.Message);
            Assert.Contains($"write 99 to cpuset.cpus: {e.ErrnoName}", e.Message);
            Assert.Contains("not within the parent's cpuset.cpus", e.Message);
            Assert.Equal("0", Read(m, "cpuset", "cpuset.cpus"));
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Hugetlb_limit_is_written_for_the_page_size()
    {
        Require("hugetlb");
        var m = NewCgroup();
        try
        {
            var size = HugePageSizes.All.FirstOrDefault() ?? throw new SkipException("this kernel offers no huge page size");
            m.Set(new Resources { HugepageLimits = [new HugepageLimit { PageSize = size, Limit = (ulong)(4 * MiB) }] });
            Assert.Equal((ulong)(4 * MiB), m.Stats().Hugetlb[size].Limit);
            var e = Assert.Throws<CgroupException>(() =>
                m.Set(new Resources { HugepageLimits = [new HugepageLimit { PageSize = "3MB", Limit = 1 }] }));
            Assert.Contains("3MB", e.Message);
        }
        finally { m.Destroy(); }
    }

    /// <summary>A shell that tries /dev/null (read, then write) and /dev/zero (read) and says what it got.</summary>
    const string DeviceProbe = "read x; " +
        "if true </dev/null; then echo null-read-ok; else echo null-read-denied; fi; " +
        "if true >/dev/null; then echo null-write-ok; else echo null-write-denied; fi; " +
        "if true </dev/zero; then echo zero-read-ok; else echo zero-read-denied; fi";

    static readonly DeviceRule DenyAll = new() { Allow = false, Access = "rwm" };
    static DeviceRule Char(bool allow, long major, long minor, string access)
        => new() { Allow = allow, Type = "c", Major = major, Minor = minor, Access = access };

    string[] ProbeDevices(List<DeviceRule> rules)
    {
        var m = NewCgroup();
        using var p = TestProcess.Shell(DeviceProbe);
        try
        {
            m.Apply(p.Pid);
            m.Set(new Resources { Devices = rules });
            p.Step();
            var lines = new[] { p.ReadLine()!, p.ReadLine()!, p.ReadLine()! };
            p.WaitForExit();
            if (lines[0].EndsWith("denied")) Assert.Contains("cannot open /dev/null: Operation not permitted", p.Stderr);
            return lines;
        }
        finally { Finish(m, p); }
    }

    [SkippableFact]
    public void Devices_deny_all_then_allow_one_device()
    {
        Require("devices");
        Assert.Equal(["null-read-denied", "null-write-denied", "zero-read-ok"],
            ProbeDevices([DenyAll, Char(true, 1, 5, "rwm")]));
    }

    [SkippableFact]
    public void Devices_later_rules_win_per_access()
    {
        Require("devices");
        // allow everything, then deny writes to /dev/null: reading it still works.
        Assert.Equal(["null-read-ok", "null-write-denied", "zero-read-ok"],
            ProbeDevices([new DeviceRule { Allow = true, Access = "rwm" }, Char(false, 1, 3, "w")]));
        // deny all, allow /dev/null for read and, separately, for write.
        Assert.Equal(["null-read-ok", "null-write-ok", "zero-read-denied"],
            ProbeDevices([DenyAll, Char(true, 1, 3, "r"), Char(true, 1, 3, "w")]));
    }

    [SkippableFact]
    public void Bad_device_rule_is_refused_before_anything_is_written()
    {
        Require("devices");
        var m = NewCgroup();
        try
        {
            var e = Assert.Throws<CgroupException>(() =>
                m.Set(new Resources { Devices = [new DeviceRule { Allow = true, Type = "x", Access = "rwm" }] }));
            Assert.Equal("devices", e.Controller);
            Assert.Contains("\"x\"", e.Message);
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Unified_keys_that_leave_the_cgroup_are_refused()
    {
        var m = NewCgroup();
        try
        {
            foreach (var key in new[] { "../cgroup.procs", "a/b.c", "..", "" })
            {
                var e = Assert.Throws<CgroupException>(() => m.Set(new Resources { Unified = new() { [key] = "1" } }));
                Assert.Contains("invalid unified key", e.Message);
            }
        }
        finally { m.Destroy(); }
    }

    [SkippableFact]
    public void Destroy_after_a_failed_Set_leaves_nothing()
    {
        Require("cpuset");
        var m = NewCgroup();
        using var p = TestProcess.Sleep();
        m.Apply(p.Pid);
        Assert.Throws<CgroupException>(() => m.Set(new Resources { Cpu = new CpuResources { Cpus = "99" } }));
        m.Signal(Processes.SIGKILL);
        p.WaitForExit();
        m.Destroy();
        foreach (var d in Directories(m)) Assert.False(Directory.Exists(d), d);
    }
}
