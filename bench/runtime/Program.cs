using System.Diagnostics;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Bench.Runtime;

/// <summary>
/// Runs oar, runc and crun on the same busybox bundle, interleaved (A B C A B C ...) so that the machine's drift
/// hits all alike, and prints medians, ratios and peak RSS. Not a test: no thresholds, just figures.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int runs = ArgInt(args, "--runs", 30), sequential = ArgInt(args, "--sequential", 100);
        var oar = Environment.GetEnvironmentVariable("OAR_BINARY") ?? Path.GetFullPath("out/oar/oar");
        var work = Directory.CreateTempSubdirectory("skiff-bench-runtime-").FullName;
        var hugetlb = CrunHugetlb.Prepare();
        try
        {
            var rootfs = Rootfs.Busybox(Path.Combine(work, "rootfs"));
            var runtimes = new List<Runtime> { new("oar", oar, work) };
            if (File.Exists("/usr/sbin/runc")) runtimes.Add(new Runtime("runc", "/usr/sbin/runc", work));
            if (File.Exists("/usr/bin/crun"))
                runtimes.Add(new Runtime("crun", "/usr/bin/crun", work, hugetlb.CgroupsDisabled ? ["--cgroup-manager=disabled"] : []));
            Console.WriteLine($"runtimes: {string.Join(", ", runtimes.Select(r => $"{r.Name} ({r.Version()})"))}");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cpus, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}; {runs} runs each, interleaved");
            if (hugetlb.Note is not null) Console.WriteLine(hugetlb.Note);

            var plain = Bundle.Write(Path.Combine(work, "plain"), rootfs, ["/bin/true"], seccomp: false, memory: false);
            var hardened = Bundle.Write(Path.Combine(work, "hardened"), rootfs, ["/bin/true"], seccomp: true, memory: true);
            var sleeper = Bundle.Write(Path.Combine(work, "sleeper"), rootfs, ["/bin/sleep", "3600"], seccomp: false, memory: false);

            foreach (var rt in runtimes.ToList())
            {
                try { rt.Check(plain); }
                catch (InvalidOperationException e)
                {
                    Console.WriteLine($"note: {rt.Name} left out: it cannot run a container here ({e.Message})");
                    runtimes.Remove(rt);
                }
            }
            var table = new Table(runtimes);
            Measure(table, runtimes, runs, "run /bin/true", (rt, i) => rt.Time("run", "--bundle", plain, $"r{i}"));
            Measure(table, runtimes, runs, "run + seccomp + memory", (rt, i) => rt.Time("run", "--bundle", hardened, $"h{i}"));
            Measure(table, runtimes, runs, "create", (rt, i) => rt.Time("create", "--bundle", plain, $"c{i}"));
            Measure(table, runtimes, runs, "start", (rt, i) => rt.Time("start", $"c{i}"));
            foreach (var rt in runtimes) for (int i = 0; i < runs; i++) rt.WaitStopped($"c{i}");
            Measure(table, runtimes, runs, "delete", (rt, i) => rt.Time("delete", $"c{i}"));

            foreach (var rt in runtimes) rt.Time("run", "--detach", "--bundle", sleeper, "sleeper");
            Measure(table, runtimes, runs, "exec /bin/true", (rt, i) => rt.Time("exec", "sleeper", "/bin/true"));
            foreach (var rt in runtimes) rt.Time("delete", "--force", "sleeper");

            foreach (var rt in runtimes)
            {
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < sequential; i++) rt.Time("run", "--bundle", plain, $"s{i}");
                table.Total($"{sequential} sequential runs (s)", rt, sw.Elapsed.TotalSeconds);
            }
            foreach (var rt in runtimes) table.Total("peak RSS of `run`, MB (GNU time)", rt, rt.PeakRss(plain) / 1024.0);
            table.Print();
            return 0;
        }
        finally
        {
            hugetlb.Restore();
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    static void Measure(Table table, List<Runtime> runtimes, int runs, string name, Func<Runtime, int, double> one)
    {
        for (int i = 0; i < runs; i++)
            foreach (var rt in runtimes) table.Add(name, rt, one(rt, i));
    }

    static int ArgInt(string[] args, string flag, int fallback)
    {
        int i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }
}

/// <summary>One runtime binary with its own --root.</summary>
sealed class Runtime(string name, string binary, string work, string[]? globalFlags = null)
{
    public string Name { get; } = name;
    readonly string root = Path.Combine(work, "state-" + name);

    /// <summary>Peak RSS (KiB) of `run`, the highest of 5, measured by GNU time: wait4 from this (large) .NET
    /// process would charge its own size to a vfork-spawned child.</summary>
    public long PeakRss(string bundle)
    {
        if (!File.Exists("/usr/bin/time")) return -1;
        long peak = 0;
        var output = Path.Combine(root, "time.out");
        for (int i = 0; i < 5; i++)
        {
            var argv = new List<string> { "/usr/bin/time", "-f", "%M", "-o", output, binary };
            argv.AddRange(globalFlags ?? []);
            argv.AddRange(["--root", root, "run", "--bundle", bundle, $"rss{i}"]);
            using var devnull = Files.Open("/dev/null", Files.O_RDWR);
            int pid = Processes.Spawn("/usr/bin/time", argv, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], [(0, devnull.Value), (1, devnull.Value), (2, 2)]);
            Processes.Wait(pid, out _);
            peak = Math.Max(peak, long.Parse(File.ReadAllText(output).Trim().Split('\n')[^1]));
        }
        return peak;
    }

    public string Version()
    {
        var psi = new ProcessStartInfo(binary, ["--version"]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var first = p.StandardOutput.ReadLine() ?? "";
        p.WaitForExit();
        return first.Trim();
    }

    /// <summary>Runs one command; returns wall milliseconds. Output goes to /dev/null; failures stop the bench.</summary>
    public double Time(params string[] args)
    {
        using var devnull = Files.Open("/dev/null", Files.O_RDWR);
        var argv = new List<string> { binary };
        argv.AddRange(globalFlags ?? []);
        argv.AddRange(["--root", root]);
        argv.AddRange(args);
        long start = Stopwatch.GetTimestamp();
        int pid = Processes.Spawn(binary, argv, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], [(0, devnull.Value), (1, devnull.Value), (2, 2)]);
        Processes.Wait(pid, out int status);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (status != 0) throw new InvalidOperationException($"{Name} {string.Join(' ', args)} failed with status {Processes.ExitCode(status)}");
        return ms;
    }

    public void Check(string bundle) => Time("run", "--bundle", bundle, "check");

    public void WaitStopped(string id)
    {
        for (int i = 0; i < 500; i++)
        {
            var psi = new ProcessStartInfo(binary, ["--root", root, "state", id]) { RedirectStandardOutput = true };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var json = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (json.Contains("\"stopped\"")) return;
            Thread.Sleep(10);
        }
        throw new InvalidOperationException($"{Name}: {id} did not stop");
    }
}

/// <summary>Collects samples and prints medians with ratios to oar.</summary>
sealed class Table(List<Runtime> runtimes)
{
    readonly List<string> order = [];
    readonly Dictionary<(string, string), List<double>> samples = new();
    readonly Dictionary<(string, string), double> totals = new();

    public void Add(string row, Runtime rt, double ms)
    {
        if (!order.Contains(row)) order.Add(row);
        if (!samples.TryGetValue((row, rt.Name), out var list)) samples[(row, rt.Name)] = list = [];
        list.Add(ms);
    }

    public void Total(string row, Runtime rt, double value)
    {
        if (!order.Contains(row)) order.Add(row);
        totals[(row, rt.Name)] = value;
    }

    public void Print()
    {
        var names = runtimes.Select(r => r.Name).ToList();
        var header = $"{"",-38}" + string.Concat(names.Select(n => $"{n,12}")) + string.Concat(names.Skip(1).Select(n => $"{"oar/" + n,12}"));
        Console.WriteLine();
        Console.WriteLine(header + "   (medians in ms unless stated)");
        foreach (var row in order)
        {
            var values = names.Select(n => samples.TryGetValue((row, n), out var s) ? Median(s) : totals.GetValueOrDefault((row, n), double.NaN)).ToList();
            var line = $"{row,-38}" + string.Concat(values.Select(v => $"{v,12:F2}"));
            line += string.Concat(values.Skip(1).Select(v => $"{values[0] / v,12:F2}"));
            Console.WriteLine(line);
        }
    }

    static double Median(List<double> s)
    {
        var sorted = s.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

static class Rootfs
{
    public static string Busybox(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
        foreach (var a in new[] { "sh", "true", "sleep" }) File.CreateSymbolicLink(Path.Combine(root, "bin", a), "busybox");
        foreach (var d in new[] { "proc", "sys", "dev", "tmp", "etc" }) Directory.CreateDirectory(Path.Combine(root, d));
        return root;
    }
}

static class Bundle
{
    /// <summary>`runc spec`'s defaults (what users run), no terminal; optionally Debian's default seccomp profile
    /// and a memory limit (the "hardened" case of issue 3's benchmark).</summary>
    public static string Write(string dir, string rootfs, List<string> args, bool seccomp, bool memory)
    {
        Directory.CreateDirectory(dir);
        var spec = DefaultSpec.Create(rootless: false);
        spec.OciVersion = "1.0.2"; // crun 1.8 rejects newer versions it does not know
        spec.Process!.Terminal = false;
        spec.Process.Args = args;
        spec.Root!.Path = rootfs;
        if (seccomp)
        {
            const string profile = "/usr/share/containers/seccomp.json";
            spec.Linux!.Seccomp = SpecLoader.Read(File.ReadAllBytes(profile), profile, e => SpecReader.Seccomp(e, "seccomp"));
        }
        if (memory) spec.Linux!.Resources!.Memory = new MemoryResources { Limit = 256L << 20 };
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(spec, SpecJson.Default.RuntimeSpec));
        return dir;
    }
}

/// <summary>crun 1.8 refuses this host's hybrid layout ("drop all controllers from cgroupv2"): hugetlb sits on the
/// cgroup2 mount. For the bench only, hugetlb is taken off cgroup2 (disabled in every subtree_control that has it,
/// leaves first) and mounted as its own v1 hierarchy; both are undone at the end. If that is impossible, crun runs
/// with --cgroup-manager=disabled (less work than the others do) and the output says so.</summary>
sealed class CrunHugetlb
{
    const string Dir = "/sys/fs/cgroup/hugetlb", Unified = "/sys/fs/cgroup/unified";
    public string? Note { get; private set; }
    public bool CgroupsDisabled { get; private set; }
    bool mounted;
    readonly List<string> disabledIn = [];

    public static CrunHugetlb Prepare()
    {
        var h = new CrunHugetlb();
        if (!File.Exists("/usr/bin/crun") || File.Exists(Path.Combine(Dir, "cgroup.procs")) || !Directory.Exists(Unified)) return h;
        try
        {
            foreach (var d in Directory.EnumerateDirectories(Unified, "*", SearchOption.AllDirectories).Reverse().Append(Unified))
            {
                var control = Path.Combine(d, "cgroup.subtree_control");
                if (File.Exists(control) && File.ReadAllText(control).Contains("hugetlb"))
                {
                    File.WriteAllText(control, "-hugetlb");
                    h.disabledIn.Insert(0, control);
                }
            }
            Directory.CreateDirectory(Dir);
            Mounts.Mount("cgroup", Dir, "cgroup", 0, "hugetlb");
            h.mounted = true;
            h.Note = "note: for crun 1.8, hugetlb was moved off cgroup2 and mounted as its own v1 hierarchy at " + Dir + " (undone at the end)";
        }
        catch (Exception e) when (e is LinuxException or IOException)
        {
            h.Restore();
            h.CgroupsDisabled = true;
            h.Note = $"note: hugetlb could not be moved off cgroup2 ({e.Message}): crun runs with --cgroup-manager=disabled, which skips the cgroup work oar and runc do";
        }
        return h;
    }

    public void Restore()
    {
        if (mounted) { Mounts.TryUnmount(Dir, 0); mounted = false; }
        try { if (Directory.Exists(Dir) && !File.Exists(Path.Combine(Dir, "cgroup.procs"))) Directory.Delete(Dir); } catch (IOException) { }
        foreach (var control in disabledIn)
            try { File.WriteAllText(control, "+hugetlb"); } catch (IOException) { }
        disabledIn.Clear();
    }
}
