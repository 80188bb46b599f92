using Oar.Cli;
using Skiff.Runtime.Container;
using Skiff.Runtime.Spec;

namespace Oar.Commands;

/// <summary>`update`: runc's flags, or `-r FILE` / `--resources=-` with linux.resources JSON.</summary>
public static class UpdateCommand
{
    static readonly HashSet<string> ValueFlags = ["resources", "r", "memory", "memory-swap", "memory-reservation",
        "kernel-memory", "kernel-memory-tcp", "cpu-shares", "cpu-quota", "cpu-period", "cpu-burst", "cpu-rt-period",
        "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems", "pids-limit", "blkio-weight", "l3-cache-schema", "mem-bw-schema", "cpu-idle"];

    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ValueFlags, new HashSet<string>(), "update");
        if (a.Positional.Count != 1) throw new UsageException("update: expects exactly one container id");
        Resources r;
        if (a.Value("resources", "r") is { } file)
        {
            var bytes = file == "-" ? ReadStdin() : File.ReadAllBytes(file);
            r = SpecLoader.Read(bytes, file == "-" ? "resources (stdin)" : file, e => ResourcesReader.Read(e, "resources"));
        }
        else r = FromFlags(a);
        foreach (var w in Update.Run(ctx.Store, a.Positional[0], r)) ctx.Log.Warn(w);
        return 0;
    }

    static Resources FromFlags(Args a)
    {
        var r = new Resources();
        MemoryResources Mem() => r.Memory ??= new MemoryResources();
        CpuResources Cpu() => r.Cpu ??= new CpuResources();
        if (a.Value("memory") is { } m) Mem().Limit = ByteSize.Parse(m, "--memory");
        if (a.Value("memory-swap") is { } ms) Mem().Swap = ByteSize.Parse(ms, "--memory-swap");
        if (a.Value("memory-reservation") is { } mr) Mem().Reservation = ByteSize.Parse(mr, "--memory-reservation");
        if (a.Value("kernel-memory") is { } km) Mem().Kernel = ByteSize.Parse(km, "--kernel-memory");
        if (a.Value("kernel-memory-tcp") is { } kt) Mem().KernelTcp = ByteSize.Parse(kt, "--kernel-memory-tcp");
        if (a.Value("cpu-shares") is { } cs) Cpu().Shares = Number<ulong>(cs, "--cpu-shares");
        if (a.Value("cpu-quota") is { } cq) Cpu().Quota = Number<long>(cq, "--cpu-quota");
        if (a.Value("cpu-period") is { } cp) Cpu().Period = Number<ulong>(cp, "--cpu-period");
        if (a.Value("cpu-burst") is { } cb) Cpu().Burst = Number<ulong>(cb, "--cpu-burst");
        if (a.Value("cpu-rt-period") is { } rp) Cpu().RealtimePeriod = Number<ulong>(rp, "--cpu-rt-period");
        if (a.Value("cpu-rt-runtime") is { } rr) Cpu().RealtimeRuntime = Number<long>(rr, "--cpu-rt-runtime");
        if (a.Value("cpu-idle") is { } ci) Cpu().Idle = Number<long>(ci, "--cpu-idle");
        if (a.Value("cpuset-cpus") is { } cc) Cpu().Cpus = cc;
        if (a.Value("cpuset-mems") is { } cm) Cpu().Mems = cm;
        if (a.Value("pids-limit") is { } pl) r.Pids = new PidsResources { Limit = Number<long>(pl, "--pids-limit") };
        if (a.Value("blkio-weight") is { } bw) r.BlockIo = new BlockIo { Weight = Number<ushort>(bw, "--blkio-weight") };
        return r;
    }

    static T Number<T>(string s, string flag) where T : System.Numerics.INumber<T>
        => T.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"update: {flag}: \"{s}\" is not a number");

    static byte[] ReadStdin()
    {
        using var stdin = Console.OpenStandardInput();
        using var ms = new MemoryStream();
        stdin.CopyTo(ms);
        return ms.ToArray();
    }
}

/// <summary>Sizes as runc and docker take them: "1048576", "512k", "100M", "1g" (powers of 1024); -1 is unlimited.</summary>
public static class ByteSize
{
    public static long Parse(string s, string what)
    {
        var t = s.Trim().ToLowerInvariant();
        if (t == "-1") return -1;
        if (t.EndsWith('b')) t = t[..^1];
        long unit = 1;
        if (t.Length > 0 && "kmgtp".Contains(t[^1]))
        {
            unit = 1L << (10 * ("kmgtp".IndexOf(t[^1]) + 1));
            t = t[..^1];
        }
        if (!decimal.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new UsageException($"{what}: invalid size \"{s}\"");
        return (long)(n * unit);
    }
}
