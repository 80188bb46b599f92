using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>Every malformed bundle gets one clear error naming the field or path, exit 1, and nothing left behind.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    void AssertRejected(Bundle b, string id, params string[] expected)
    {
        var r = oar.Exec("create", "--bundle", b.Dir, id);
        Assert.True(r.ExitCode == 1, r.ToString());
        foreach (var e in expected) Assert.Contains(e, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(oar.Root, id)), "state directory left behind");
        Assert.Empty(Leftovers.CgroupDirs(id));
        Assert.Empty(Leftovers.Processes(id));
    }

    void Reject(Action<RuntimeSpec> mutate, params string[] expected)
    {
        using var b = Bundle.Shell("true");
        mutate(b.Spec);
        b.Write();
        AssertRejected(b, oar.NewId(), expected);
    }

    [Fact] public void MalformedJson()
    {
        using var b = Bundle.Shell("true");
        b.WriteRaw("{ \"ociVersion\": \"1.0.2\", \"process\": ");
        AssertRejected(b, oar.NewId(), "config.json", "line");
    }

    [Fact] public void WrongType()
    {
        using var b = Bundle.Shell("true");
        b.WriteRaw("""{"ociVersion":"1.0.2","root":{"path":"/"},"process":{"cwd":"/","args":["true"],"user":{"uid":"root","gid":0}}}""");
        AssertRejected(b, oar.NewId(), "process.user.uid");
    }

    [Fact] public void UnsupportedMajorVersion() => Reject(s => s.OciVersion = "2.0.0", "ociVersion", "\"2.0.0\"");
    [Fact] public void MissingRoot() => Reject(s => s.Root = null, "root.path", "required");
    [Fact] public void RootfsThatDoesNotExist() => Reject(s => s.Root!.Path = "/nonexistent/rootfs", "root.path", "/nonexistent/rootfs");
    [Fact] public void RelativeMountDestination() => Reject(s => s.Mounts!.Add(new Mount { Destination = "mnt", Type = "tmpfs", Source = "tmpfs" }), "mounts[7].destination", "absolute");
    [Fact] public void RelativeCwd() => Reject(s => s.Process!.Cwd = "tmp", "process.cwd", "absolute");
    [Fact] public void UnknownNamespace() => Reject(s => s.Linux!.Namespaces!.Add(new NamespaceSpec { Type = "galaxy" }), "linux.namespaces[6].type", "galaxy");
    [Fact] public void UnknownCapability() => Reject(s => s.Process!.Capabilities!.Bounding!.Add("CAP_TELEPORT"), "process.capabilities.bounding", "CAP_TELEPORT");
    [Fact] public void UnknownRlimit() => Reject(s => s.Process!.Rlimits!.Add(new Rlimit { Type = "RLIMIT_BANANAS" }), "process.rlimits[1].type");
    [Fact] public void UserNamespaceWithoutMappings() => Reject(s => s.Linux!.Namespaces!.Add(new NamespaceSpec { Type = "user" }), "uidMappings");
    [Fact] public void HostSysctl() => Reject(s => s.Linux!.Sysctl = new() { ["vm.swappiness"] = "10" }, "vm.swappiness", "not a namespaced sysctl");
    [Fact] public void NoProcess() => Reject(s => s.Process = null, "process", "required");
    [Fact] public void InvalidId()
    {
        using var b = Bundle.Shell("true");
        b.Write();
        var r = oar.Exec("create", "--bundle", b.Dir, "../escape");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("invalid id", r.Stderr);
    }

    [Fact] public void MissingBundle()
    {
        var r = oar.Exec("create", "--bundle", "/nonexistent/bundle", oar.NewId());
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/nonexistent/bundle", r.Stderr);
    }

    [Fact] public void DuplicateId()
    {
        using var b = Bundle.Shell("sleep 30");
        var id = oar.NewId();
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        var r = oar.Exec("create", "--bundle", b.Dir, id);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"container with id \"{id}\" already exists", r.Stderr);
        Assert.Equal("created", oar.StatusOf(id));
    }

    [Fact] public void MountFailureInsideInitLeavesNothing()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Mounts!.Add(new Mount { Destination = "/mnt", Type = "nosuchfs", Source = "x" });
        b.Write();
        AssertRejected(b, oar.NewId(), "mount /mnt", "\"nosuchfs\"", "ENODEV");
    }

    [Fact] public void ErrorsGoToTheJsonLogAsTheLastErrorLine()
    {
        using var b = Bundle.Shell("true");
        b.Spec.OciVersion = "9.0";
        b.Write();
        var log = Path.Combine(b.Dir, "log.json");
        var r = oar.Exec("--log", log, "--log-format", "json", "create", "--bundle", b.Dir, oar.NewId());
        Assert.Equal(1, r.ExitCode);
        var last = File.ReadAllLines(log).Last();
        var doc = System.Text.Json.JsonDocument.Parse(last).RootElement;
        Assert.Equal("error", doc.GetProperty("level").GetString());
        Assert.Contains("ociVersion", doc.GetProperty("msg").GetString());
        Assert.True(DateTime.TryParse(doc.GetProperty("time").GetString(), out _));
    }

    /// <summary>Refusals that used to surface only after `start` (on the container's stderr, where engines never
    /// look) must fail `create`: docker --privileged asks for capabilities root may lack, podman asks for rlimits
    /// above what root holds.</summary>
    [Fact] public void CapabilityTheRuntimeDoesNotHoldFailsCreate()
    {
        using var b = Bundle.Shell("true");
        foreach (var set in new[] { b.Spec.Process!.Capabilities!.Bounding!, b.Spec.Process.Capabilities.Effective!, b.Spec.Process.Capabilities.Permitted! })
            set.Add("CAP_SYS_NICE");
        b.Write();
        var id = oar.NewId();
        // Run oar with CAP_SYS_NICE out of its bounding set, so root's exec leaves it out of oar's permitted set.
        var psi = new System.Diagnostics.ProcessStartInfo("setpriv", ["--bounding-set", "-sys_nice", oar.Binary, "--root", oar.Root, "create", "--bundle", b.Dir, id])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        var r = Runtime.RunProcess(psi, null, TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("capset", r.Stderr);
        Assert.Contains("CAP_SYS_NICE", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(oar.Root, id)), "state directory left behind");
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact] public void RlimitTheKernelRefusesFailsCreate()
    {
        using var b = Bundle.Shell("true");
        // Above fs.nr_open: refused even with CAP_SYS_RESOURCE.
        ulong nrOpen = ulong.Parse(File.ReadAllText("/proc/sys/fs/nr_open").Trim());
        b.Spec.Process!.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = nrOpen + 1, Hard = nrOpen + 1 }];
        b.Write();
        AssertRejected(b, oar.NewId(), "RLIMIT_NOFILE");
    }

    /// <summary>A cgroup write the kernel refuses is an error line (in the --log JSON too), never an unhandled
    /// exception: `docker run --cpu-rt-runtime` made oar abort (exit 134) with no log for containerd to read.</summary>
    [Fact] public void CgroupRefusalIsAnErrorNotACrash()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Linux!.Resources ??= new Resources();
        b.Spec.Linux.Resources.Cpu = new CpuResources { Cpus = "999" };
        b.Write();
        AssertRejected(b, oar.NewId(), "cpuset", "999");
        var log = Path.Combine(b.Dir, "log.json");
        var r = oar.Exec("--log", log, "--log-format", "json", "create", "--bundle", b.Dir, oar.NewId());
        Assert.Equal(1, r.ExitCode);
        var last = System.Text.Json.JsonDocument.Parse(File.ReadAllLines(log).Last()).RootElement;
        Assert.Equal("error", last.GetProperty("level").GetString());
        Assert.Contains("cpuset", last.GetProperty("msg").GetString());
    }

    [Fact] public void SystemdCgroupWithoutSystemdIsAClearError()
    {
        if (Directory.Exists("/run/systemd/system")) return;
        var r = oar.Exec("--systemd-cgroup", "list");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("systemd is not running", r.Stderr);
    }

    [Fact] public void UnknownCommandAndFlag()
    {
        Assert.Contains("unknown command", oar.Exec("frobnicate").Stderr);
        Assert.Contains("unknown flag", oar.Exec("create", "--frob", "x").Stderr);
    }
}
