using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// Docker's restart manager: whether an exit is followed by a restart, and after what delay — 100 ms, doubling
/// with each restart up to a minute, back to 100 ms when the run lasted at least 10 s. <c>stop</c> ends all
/// restarts; on-failure restarts non-zero exits until MaximumRetryCount restarts (0 = no limit).
/// </summary>
sealed class RestartRule(RestartPolicy policy)
{
    const int DefaultDelayMs = 100, MaxDelayMs = 60_000;
    int delayMs;

    public int Count { get; private set; }

    /// <summary>Returns the delay before the next start, or null when the container stays down.</summary>
    public int? Next(int exitCode, bool stopRequested, TimeSpan ran)
    {
        if (ran >= TimeSpan.FromSeconds(10)) delayMs = 0;
        delayMs = delayMs == 0 ? DefaultDelayMs : Math.Min(delayMs * 2, MaxDelayMs);
        if (stopRequested) return null;
        bool restart = policy.Name switch
        {
            "always" or "unless-stopped" => true,
            "on-failure" => exitCode != 0 && (policy.MaximumRetryCount <= 0 || Count < policy.MaximumRetryCount),
            _ => false,
        };
        if (!restart) return null;
        Count++;
        return delayMs;
    }
}
