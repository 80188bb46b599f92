namespace Skiff.Runtime.Spec;

/// <summary>An invalid bundle or config: names the field (JSON path) or the file, and the reason.</summary>
public sealed class SpecException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
