namespace Skiff.Runtime.Cgroups.V2;

/// <summary>cgroup.freeze, then wait until cgroup.events reports "frozen" in the wanted state.</summary>
internal static class Freezer
{
    const string C = "freezer";

    public static void Set(string dir, bool frozen)
    {
        CgroupFile.Write(C, dir, "cgroup.freeze", frozen ? "1" : "0");
        int delayMs = 1;
        for (int i = 0; i < 200; i++)
        {
            if (IsFrozen(dir) == frozen) return;
            Thread.Sleep(delayMs);
            if (delayMs < 50) delayMs *= 2;
        }
        throw new CgroupException(C, dir + "/cgroup.events", null, 0,
            $"cgroup did not become {(frozen ? "frozen" : "thawed")}");
    }

    public static bool IsFrozen(string dir)
        => CgroupFile.KeyedValue(CgroupFile.Read(C, dir, "cgroup.events"), "frozen") == 1;
}
