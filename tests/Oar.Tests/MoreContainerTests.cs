using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>Less common config fields: time namespace offsets, oomScoreAdj, --no-pivot, rootfsPropagation.</summary>
public sealed class MoreContainerTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    [Fact]
    public void TimeNamespaceOffsetsShiftTheContainersClocks()
    {
        var hostUptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        using var b = Bundle.Shell("cut -d' ' -f1 /proc/uptime; readlink /proc/self/ns/time");
        b.Spec.Linux!.Namespaces!.Add(new NamespaceSpec { Type = "time" });
        b.Spec.Linux.TimeOffsets = new() { ["boottime"] = new TimeOffset { Secs = 864000 }, ["monotonic"] = new TimeOffset { Secs = 864000 } };
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        var inside = double.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(inside >= hostUptime + 864000, $"uptime inside {inside}, host {hostUptime}");
        Assert.NotEqual(new FileInfo("/proc/self/ns/time").LinkTarget, lines[1]);
    }

    [Fact]
    public void OomScoreAdjIsSet()
    {
        using var b = Bundle.Shell("cat /proc/self/oom_score_adj");
        b.Spec.Process!.OomScoreAdj = 500;
        var r = oar.Run(b);
        Assert.Equal("500\n", r.Stdout);
    }

    [Fact]
    public void NoPivotStillConfinesTheRoot()
    {
        using var b = Bundle.Shell("ls /bin/busybox && cat /proc/self/mountinfo | awk '$5==\"/\"{print \"root-mounted\"}' | head -1");
        var r = oar.Run(b, null, "--no-pivot");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("/bin/busybox\nroot-mounted\n", r.Stdout);
    }

    [Fact]
    public void PrivateRootPropagationIsApplied()
    {
        using var b = Bundle.Shell("awk '$5==\"/\"{print $7}' /proc/self/mountinfo");
        b.Spec.Linux!.RootfsPropagation = "rprivate";
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("shared:", r.Stdout);
        Assert.DoesNotContain("master:", r.Stdout);
    }
}
