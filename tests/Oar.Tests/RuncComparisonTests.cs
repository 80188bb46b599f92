using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>The same bundles through Debian's runc and through oar: what the container sees must be the same.</summary>
public sealed class RuncComparisonTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    readonly Runtime? runc = Runtime.Peer("runc");
    public void Dispose() { oar.Dispose(); runc?.Dispose(); }

    public static TheoryData<string, string> Cases => new()
    {
        { "identity", "id; echo pid=$$; hostname; pwd; echo $HOME; umask" },
        { "capabilities", "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status; grep NoNewPrivs /proc/self/status" },
        { "limits", "ulimit -n; ulimit -Hn; grep -E 'Max (open files|processes)' /proc/self/limits" },
        { "mount points", "awk '{print $5, $9}' /proc/self/mountinfo | grep -v '^/sys/fs/cgroup/' | sort" },
        { "devices", "ls -l /dev | awk '{print $1, $5, $6, $NF}' | grep -v '^total' | sort" },
        { "masked and read-only", "cat /proc/timer_list | wc -c; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo writable || echo ro; touch /x 2>/dev/null && echo rw-root || echo ro-root" },
        { "environment", "env | sort" },
        { "namespaces are new", "for n in ipc mnt net pid uts cgroup; do [ \"$(readlink /proc/self/ns/$n)\" = \"$(readlink /proc/1/ns/$n)\" ] && echo $n:same; done; cat /proc/self/cgroup | sed 's/^[0-9]*://' | sort" },
        { "exit status", "exit 42" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameObservableResultsAsRunc(string name, string script)
    {
        Assert.True(runc is not null, "Debian's runc is needed for this comparison (apt-get install runc)");
        using var b = Bundle.Shell(script);
        b.Spec.OciVersion = "1.0.2"; // what Debian's runc 1.1 writes
        b.Spec.Process!.Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "CASE=" + name];
        b.Spec.Process.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 4096 }];
        b.Spec.Hostname = "same-host";
        var fromRunc = runc!.Run(b);
        var fromOar = oar.Run(b);
        Assert.Equal(fromRunc.ExitCode, fromOar.ExitCode);
        Assert.Equal(fromRunc.Stdout, fromOar.Stdout);
    }

    /// <summary>A linux.devices entry only makes the node; with device rules in the config, using it needs its own
    /// allow rule, exactly as with runc (oar used to add one for every linux.devices entry, which was more permissive).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeviceNodeNeedsItsOwnCgroupRuleAsWithRunc(bool allowRule)
    {
        Assert.True(runc is not null, "Debian's runc is needed for this comparison (apt-get install runc)");
        using var b = Bundle.Shell("head -c 0 /dev/loopx 2>/dev/null && echo opened || echo denied");
        b.Spec.OciVersion = "1.0.2";
        b.Spec.Linux!.Devices = [new Device { Type = "b", Path = "/dev/loopx", Major = 7, Minor = 0, FileMode = 0x180 /* 600 */ }];
        b.Spec.Linux.Resources ??= new Resources();
        b.Spec.Linux.Resources.Devices = [new DeviceRule { Allow = false, Access = "rwm" }];
        if (allowRule) b.Spec.Linux.Resources.Devices.Add(new DeviceRule { Allow = true, Type = "b", Major = 7, Minor = 0, Access = "r" });
        var fromRunc = runc!.Run(b);
        var fromOar = oar.Run(b);
        Assert.Equal(allowRule ? "opened\n" : "denied\n", fromRunc.Stdout);
        Assert.Equal(fromRunc.Stdout, fromOar.Stdout);
    }
}
