using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 blkio controller. Weights go to blkio.weight (CFQ kernels) or blkio.bfq.weight (BFQ); leaf weights exist only
/// with CFQ and are skipped with a warning elsewhere. Throttles are "maj:min rate" lines in blkio.throttle.*_device.
/// </summary>
internal static class Blkio
{
    const string C = "blkio";

    public static void Set(string dir, BlockIo io, List<string> warnings)
    {
        bool weights = io.Weight is not null || io.WeightDevice is { Count: > 0 };
        string prefix = weights && !CgroupFile.Exists(dir, "blkio.weight") && CgroupFile.Exists(dir, "blkio.bfq.weight")
            ? "blkio.bfq." : "blkio.";
        if (io.Weight is { } w && w != 0) CgroupFile.Write(C, dir, prefix + "weight", w.ToString());
        if (io.LeafWeight is { } lw && lw != 0) Leaf(dir, "blkio.leaf_weight", lw.ToString(), warnings);
        foreach (var d in io.WeightDevice ?? [])
        {
            if (d.Weight is { } dw && dw != 0) CgroupFile.Write(C, dir, prefix + "weight_device", $"{d.Major}:{d.Minor} {dw}");
            if (d.LeafWeight is { } dl && dl != 0) Leaf(dir, "blkio.leaf_weight_device", $"{d.Major}:{d.Minor} {dl}", warnings);
        }
        Throttle(dir, "blkio.throttle.read_bps_device", io.ThrottleReadBpsDevice);
        Throttle(dir, "blkio.throttle.write_bps_device", io.ThrottleWriteBpsDevice);
        Throttle(dir, "blkio.throttle.read_iops_device", io.ThrottleReadIopsDevice);
        Throttle(dir, "blkio.throttle.write_iops_device", io.ThrottleWriteIopsDevice);
    }

    static void Leaf(string dir, string file, string value, List<string> warnings)
    {
        if (CgroupFile.Exists(dir, file)) CgroupFile.Write(C, dir, file, value);
        else warnings.Add($"cgroup blkio: leaf weight skipped: this kernel has no {file} (CFQ only)");
    }

    static void Throttle(string dir, string file, List<ThrottleDevice>? devices)
    {
        foreach (var d in devices ?? []) CgroupFile.Write(C, dir, file, $"{d.Major}:{d.Minor} {d.Rate}");
    }

    /// <summary>Bytes and ops from blkio.throttle.io_service_bytes_recursive / io_serviced_recursive ("8:0 Read 4096").</summary>
    public static void Stats(string dir, BlkioStats s)
    {
        (s.ReadBytes, s.WriteBytes) = Sum(CgroupFile.TryRead(dir, "blkio.throttle.io_service_bytes_recursive"));
        (s.ReadOps, s.WriteOps) = Sum(CgroupFile.TryRead(dir, "blkio.throttle.io_serviced_recursive"));
    }

    static (ulong Read, ulong Write) Sum(string? text)
    {
        ulong read = 0, write = 0;
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 3 || !ulong.TryParse(f[2], out var v)) continue;
            if (f[1] == "Read") read += v;
            else if (f[1] == "Write") write += v;
        }
        return (read, write);
    }
}
