using System.Text.Json;
using static Skiff.Runtime.Spec.JsonRead;

namespace Skiff.Runtime.Spec;

/// <summary>linux.resources (also `update --resources`) over a <see cref="JsonDocument"/>.</summary>
public static class ResourcesReader
{
    public static Resources Read(JsonElement x, string p) => new()
    {
        Devices = List(P(x, "devices"), p + ".devices", (d, q) =>
        {
            RequireObject(d, q);
            return new DeviceRule { Allow = Bool(P(d, "allow"), q + ".allow"), Type = Str(P(d, "type"), q + ".type"), Major = Long(P(d, "major"), q + ".major"), Minor = Long(P(d, "minor"), q + ".minor"), Access = Str(P(d, "access"), q + ".access") };
        }),
        Memory = Obj(P(x, "memory"), p + ".memory", (m, q) => new MemoryResources
        {
            Limit = Long(P(m, "limit"), q + ".limit"), Reservation = Long(P(m, "reservation"), q + ".reservation"), Swap = Long(P(m, "swap"), q + ".swap"),
            Kernel = Long(P(m, "kernel"), q + ".kernel"), KernelTcp = Long(P(m, "kernelTCP"), q + ".kernelTCP"), Swappiness = ULong(P(m, "swappiness"), q + ".swappiness"),
            DisableOomKiller = OptBool(P(m, "disableOOMKiller"), q + ".disableOOMKiller"), UseHierarchy = OptBool(P(m, "useHierarchy"), q + ".useHierarchy"),
            CheckBeforeUpdate = OptBool(P(m, "checkBeforeUpdate"), q + ".checkBeforeUpdate"),
        }),
        Cpu = Obj(P(x, "cpu"), p + ".cpu", (c, q) => new CpuResources
        {
            Shares = ULong(P(c, "shares"), q + ".shares"), Quota = Long(P(c, "quota"), q + ".quota"), Burst = ULong(P(c, "burst"), q + ".burst"),
            Period = ULong(P(c, "period"), q + ".period"), RealtimeRuntime = Long(P(c, "realtimeRuntime"), q + ".realtimeRuntime"),
            RealtimePeriod = ULong(P(c, "realtimePeriod"), q + ".realtimePeriod"), Cpus = Str(P(c, "cpus"), q + ".cpus"), Mems = Str(P(c, "mems"), q + ".mems"),
            Idle = Long(P(c, "idle"), q + ".idle"),
        }),
        Pids = Obj(P(x, "pids"), p + ".pids", (y, q) => new PidsResources { Limit = Long(P(y, "limit"), q + ".limit") ?? 0 }),
        BlockIo = Obj(P(x, "blockIO"), p + ".blockIO", (b, q) => new BlockIo
        {
            Weight = UShort(P(b, "weight"), q + ".weight"), LeafWeight = UShort(P(b, "leafWeight"), q + ".leafWeight"),
            WeightDevice = List(P(b, "weightDevice"), q + ".weightDevice", (w, r) => { RequireObject(w, r); return new WeightDevice { Major = Long(P(w, "major"), r + ".major") ?? 0, Minor = Long(P(w, "minor"), r + ".minor") ?? 0, Weight = UShort(P(w, "weight"), r + ".weight"), LeafWeight = UShort(P(w, "leafWeight"), r + ".leafWeight") }; }),
            ThrottleReadBpsDevice = List(P(b, "throttleReadBpsDevice"), q + ".throttleReadBpsDevice", Throttle),
            ThrottleWriteBpsDevice = List(P(b, "throttleWriteBpsDevice"), q + ".throttleWriteBpsDevice", Throttle),
            ThrottleReadIopsDevice = List(P(b, "throttleReadIOPSDevice"), q + ".throttleReadIOPSDevice", Throttle),
            ThrottleWriteIopsDevice = List(P(b, "throttleWriteIOPSDevice"), q + ".throttleWriteIOPSDevice", Throttle),
        }),
        HugepageLimits = List(P(x, "hugepageLimits"), p + ".hugepageLimits", (h, q) => { RequireObject(h, q); return new HugepageLimit { PageSize = Str(P(h, "pageSize"), q + ".pageSize"), Limit = ULong(P(h, "limit"), q + ".limit") ?? 0 }; }),
        Network = Obj(P(x, "network"), p + ".network", (n, q) => new NetworkResources
        {
            ClassId = UInt(P(n, "classID"), q + ".classID"),
            Priorities = List(P(n, "priorities"), q + ".priorities", (i, r) => { RequireObject(i, r); return new InterfacePriority { Name = Str(P(i, "name"), r + ".name"), Priority = UInt(P(i, "priority"), r + ".priority") ?? 0 }; }),
        }),
        Rdma = Map(P(x, "rdma"), p + ".rdma", (r, q) => { RequireObject(r, q); return new RdmaLimit { HcaHandles = UInt(P(r, "hcaHandles"), q + ".hcaHandles"), HcaObjects = UInt(P(r, "hcaObjects"), q + ".hcaObjects") }; }),
        Unified = StringMap(P(x, "unified"), p + ".unified"),
    };

    static ThrottleDevice Throttle(JsonElement t, string p)
    {
        RequireObject(t, p);
        return new ThrottleDevice { Major = Long(P(t, "major"), p + ".major") ?? 0, Minor = Long(P(t, "minor"), p + ".minor") ?? 0, Rate = ULong(P(t, "rate"), p + ".rate") ?? 0 };
    }
}
