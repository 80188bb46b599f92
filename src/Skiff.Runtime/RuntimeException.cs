namespace Skiff.Runtime;

/// <summary>A failed runtime step: names the step (e.g. "create: mount /proc") and the reason.</summary>
public sealed class RuntimeException(string step, string reason) : Exception($"{step}: {reason}")
{
    public string Step { get; } = step;
    public string Reason { get; } = reason;
}
