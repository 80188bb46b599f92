using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// blockIO on v2. Weights go to io.bfq.weight (same 1–1000 range as blkio) when BFQ is there, else to io.weight
/// converted from [10, 1000] to [1, 10000]. Throttles become io.max lines "maj:min rbps=N" (wbps, riops, wiops).
/// leafWeight has no v2 file and is ignored.
/// </summary>
internal static class Io
{
    const string C = "io";

    public static void Set(string dir, BlockIo io)
    {
        bool bfq = (io.Weight is not null || io.WeightDevice is { Count: > 0 }) && CgroupFile.Exists(dir, "io.bfq.weight");
        if (io.Weight is { } w && w != 0)
        {
            if (bfq) CgroupFile.Write(C, dir, "io.bfq.weight", w.ToString());
            else CgroupFile.Write(C, dir, "io.weight", $"default {Weight(w)}");
        }
        foreach (var d in io.WeightDevice ?? [])
        {
            if (d.Weight is not { } dw || dw == 0) continue;
            if (bfq) CgroupFile.Write(C, dir, "io.bfq.weight", $"{d.Major}:{d.Minor} {dw}");
            else CgroupFile.Write(C, dir, "io.weight", $"{d.Major}:{d.Minor} {Weight(dw)}");
        }
        Throttle(dir, io.ThrottleReadBpsDevice, "rbps");
        Throttle(dir, io.ThrottleWriteBpsDevice, "wbps");
        Throttle(dir, io.ThrottleReadIopsDevice, "riops");
        Throttle(dir, io.ThrottleWriteIopsDevice, "wiops");
    }

    /// <summary>blkio weight [10, 1000] → io.weight [1, 10000].</summary>
    public static ulong Weight(ushort blkio) => blkio <= 10 ? 1 : blkio >= 1000 ? 10000 : 1 + (ulong)(blkio - 10) * 9999 / 990;

    static void Throttle(string dir, List<ThrottleDevice>? devices, string key)
    {
        foreach (var d in devices ?? [])
            CgroupFile.Write(C, dir, "io.max", $"{d.Major}:{d.Minor} {key}={(d.Rate == 0 ? "max" : d.Rate.ToString())}");
    }

    /// <summary>Sums io.stat over devices: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …".</summary>
    public static void Stats(string dir, BlkioStats s)
    {
        var text = CgroupFile.TryRead(dir, "io.stat");
        if (text is null) return;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                int eq = field.IndexOf('=');
                if (eq < 0 || !ulong.TryParse(field.AsSpan(eq + 1), out var v)) continue;
                switch (field[..eq])
                {
                    case "rbytes": s.ReadBytes += v; break;
                    case "wbytes": s.WriteBytes += v; break;
                    case "rios": s.ReadOps += v; break;
                    case "wios": s.WriteOps += v; break;
                }
            }
    }
}
