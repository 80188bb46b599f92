using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Skiff.Runtime.Seccomp;
using Xunit;
using Xunit.Abstractions;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// The Docker-style default profile Debian ships (golang-github-containers-common:
/// /usr/share/containers/seccomp.json, the one podman uses), converted as an engine does for amd64 with
/// Docker's default capabilities: compiles small, installs, and behaves as under runc.
/// </summary>
public class DefaultProfileTests(ITestOutputHelper output)
{
    static Spec.Seccomp Default() => DockerProfile.Load(DockerProfile.DebianPath, DockerProfile.DefaultCapabilities);

    [Fact]
    public void CompilesFarBelowTheKernelLimit()
    {
        var spec = Default();
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], spec.Architectures);
        var program = SeccompCompiler.Compile(spec);
        BpfInterpreter.Verify(program);
        output.WriteLine($"{spec.Syscalls!.Sum(s => s.Names!.Count)} names in {spec.Syscalls!.Count} rules → {program.Length} instructions");
        Assert.True(program.Length < 1024, $"{program.Length} instructions");
    }

    [Fact]
    public void EverySyscallNumberOfEveryAbiAgreesWithTheReference()
    {
        var spec = Default();
        var program = SeccompCompiler.Compile(spec);
        int maxSteps = 0;
        var personalities = new ulong[] { 0, 8, 0x20000, 0x20008, 0xffffffff, 0x1_0000_0000, 0x0040000, 9 };
        for (int nr = 0; nr < 600; nr++)
            foreach (var input in new[] { SyscallInput.X86_64(nr), SyscallInput.I386(nr), SyscallInput.X32(nr) }
                .Concat(personalities.Select(p => SyscallInput.X86_64(nr, p, 1, 9))))
            {
                Assert.Equal(ReferenceFilter.Evaluate(spec, input), BpfInterpreter.Run(program, input, out int steps));
                maxSteps = Math.Max(maxSteps, steps);
            }
        output.WriteLine($"longest path: {maxSteps} instructions");
        Assert.True(maxSteps < 40, $"{maxSteps}");
    }

    [Fact]
    public void KnownDecisions()
    {
        var program = SeccompCompiler.Compile(Default());
        uint Run(SyscallInput i) => BpfInterpreter.Run(program, i);
        Assert.Equal(Profiles.Allow, Run(SyscallInput.X86_64(Profiles.Nr("read"))));
        Assert.Equal(Profiles.Allow, Run(SyscallInput.I386(Profiles.NrI386("socketcall"))));
        Assert.Equal(Profiles.Errno(Profiles.EPERM), Run(SyscallInput.X86_64(Profiles.Nr("kexec_load"))));
        Assert.Equal(Profiles.Errno(Profiles.EPERM), Run(SyscallInput.X86_64(Profiles.Nr("sethostname")))); // needs CAP_SYS_ADMIN
        Assert.Equal(Profiles.Errno(Profiles.ENOSYS), Run(SyscallInput.X86_64(Profiles.Nr("add_key"))));
        Assert.Equal(Profiles.Errno(Profiles.ENOSYS), Run(SyscallInput.X86_64(Profiles.Nr("io_uring_setup"))));
        Assert.Equal(Profiles.Allow, Run(SyscallInput.X86_64(Profiles.Nr("personality"), 8)));
        Assert.Equal(Profiles.Errno(Profiles.ENOSYS), Run(SyscallInput.X86_64(Profiles.Nr("personality"), 9)));
        Assert.Equal(Profiles.Allow, Run(SyscallInput.X86_64(Profiles.Nr("socket"), 16, 3, 9))); // CAP_AUDIT_WRITE is in the set
        Assert.Equal(Profiles.Errno(Profiles.ENOSYS), Run(SyscallInput.X86_64(470)));                 // newer than the profile
    }

    public static TheoryData<string[]> Commands => new()
    {
        new[] { "/bin/busybox", "echo", "hi" },
        new[] { "/bin/busybox", "ls", "/" },
        new[] { "/bin/busybox", "sh", "-c", "echo hi; busybox true && echo again" },
        new[] { "/bin/busybox", "linux32", "/bin/busybox", "uname", "-m" },
        // In a new UTS namespace so that a filter that wrongly allowed it could not rename the host.
        new[] { "/bin/busybox", "unshare", "-u", "/bin/busybox", "hostname", "skiff-probe" },
        new[] { "/bin/busybox", "swapoff", "/nonexistent" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void BehavesLikeRunc(string[] command)
    {
        var spec = Default();
        var ours = Probe.Run(SeccompCompiler.Compile(spec), command);
        output.WriteLine($"probe: {ours}");
        if (command.Contains("hostname"))
        {
            // sethostname needs CAP_SYS_ADMIN in the profile (not in Docker's default set).
            Assert.NotEqual(0, ours.ExitCode);
            Assert.Contains("Operation not permitted", ours.Stderr);
        }
        if (!File.Exists("/usr/sbin/runc")) return;
        var runc = RunUnderRunc(spec, command);
        output.WriteLine($"runc:  {runc}");
        Assert.Equal(runc.ExitCode, ours.ExitCode);
        if (command[1] != "ls") Assert.Equal(runc.Stdout, ours.Stdout); // ls lists another root
        Assert.Equal(Errors(runc.Stderr), Errors(ours.Stderr));
    }

    static string Errors(string stderr) => string.Join('\n', stderr.Split('\n').Select(l => l.Contains(": ") ? l[(l.LastIndexOf(": ") + 2)..] : l));

    [Fact]
    public void UnshareIsRefusedByAProfileThatDeniesIt()
    {
        // Debian's profile (podman's) allows unshare; Docker's refuses it without CAP_SYS_ADMIN. With that
        // rule added, as Docker has it, unshare fails while everything else still works.
        var spec = Default();
        spec.Syscalls!.Insert(0, Profiles.Rule("SCMP_ACT_ERRNO", ["unshare"], 1));
        var program = SeccompCompiler.Compile(spec);
        var r = Probe.Run(program, "/bin/busybox", "unshare", "-U", "/bin/busybox", "true");
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Contains("Operation not permitted", r.Stderr);
        var ok = Probe.Run(program, "/bin/busybox", "sh", "-c", "echo hi");
        Assert.Equal("hi\n", ok.Stdout);
    }

    static Probe.Result RunUnderRunc(Spec.Seccomp seccomp, string[] command)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"skiff-runc-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "bundle", "rootfs", "bin"));
        try
        {
            File.Copy("/bin/busybox", Path.Combine(dir, "bundle", "rootfs", "bin", "busybox"));
            var spec = Probe.Start(new ProcessStartInfo("/usr/sbin/runc", ["spec", "--bundle", Path.Combine(dir, "bundle")]) { RedirectStandardOutput = true, RedirectStandardError = true });
            Assert.True(spec.ExitCode == 0, spec.ToString());
            var configPath = Path.Combine(dir, "bundle", "config.json");
            var config = JsonNode.Parse(File.ReadAllText(configPath))!;
            config["process"]!["terminal"] = false;
            config["process"]!["args"] = new JsonArray(command.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray());
            config["linux"]!["seccomp"] = JsonSerializer.SerializeToNode(seccomp, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
            File.WriteAllText(configPath, config.ToJsonString());
            return Probe.Start(new ProcessStartInfo("/usr/sbin/runc",
                ["--root", Path.Combine(dir, "state"), "run", "--bundle", Path.Combine(dir, "bundle"), $"skiff-{Guid.NewGuid():N}"[..20]])
            { RedirectStandardOutput = true, RedirectStandardError = true });
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
