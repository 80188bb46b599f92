namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 freezer: freezer.state FROZEN/THAWED, then wait until the state settles. A freeze stuck in FREEZING (a task
/// that will not stop, e.g. in an uninterruptible wait) is retried by thawing and freezing again, then refused.
/// </summary>
internal static class Freezer
{
    const string C = "freezer";

    public static void Set(string dir, bool frozen)
    {
        var want = frozen ? "FROZEN" : "THAWED";
        for (int round = 0; round < 10; round++)
        {
            CgroupFile.Write(C, dir, "freezer.state", want);
            int delayMs = 1;
            for (int i = 0; i < 12; i++)
            {
                if (State(dir) == want) return;
                Thread.Sleep(delayMs);
                if (delayMs < 64) delayMs *= 2;
            }
            if (frozen) CgroupFile.Write(C, dir, "freezer.state", "THAWED");
        }
        throw new CgroupException(C, dir + "/freezer.state", want, 0, $"state stays {State(dir)}");
    }

    public static string State(string dir) => CgroupFile.Read(C, dir, "freezer.state").Trim();

    public static bool IsFrozen(string dir) => State(dir) == "FROZEN";
}
