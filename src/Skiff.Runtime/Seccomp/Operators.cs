namespace Skiff.Runtime.Seccomp;

/// <summary>The seven argument comparisons of <c>linux.seccomp.syscalls[].args[].op</c> (all unsigned, 64-bit).</summary>
public enum SeccompOperator
{
    NotEqual,
    LessThan,
    LessOrEqual,
    Equal,
    GreaterOrEqual,
    GreaterThan,
    /// <summary><c>(arg &amp; value) == (valueTwo &amp; value)</c>: libseccomp masks the datum too.</summary>
    MaskedEqual,
}

public static class Operators
{
    public static readonly IReadOnlyList<string> Names =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    public static SeccompOperator Parse(string? name, string field) => name switch
    {
        "SCMP_CMP_NE" => SeccompOperator.NotEqual,
        "SCMP_CMP_LT" => SeccompOperator.LessThan,
        "SCMP_CMP_LE" => SeccompOperator.LessOrEqual,
        "SCMP_CMP_EQ" => SeccompOperator.Equal,
        "SCMP_CMP_GE" => SeccompOperator.GreaterOrEqual,
        "SCMP_CMP_GT" => SeccompOperator.GreaterThan,
        "SCMP_CMP_MASKED_EQ" => SeccompOperator.MaskedEqual,
        null or "" => throw new Spec.SpecException(field, "required (an SCMP_CMP_* operator)"),
        _ => throw new Spec.SpecException(field, $"unknown operator \"{name}\" (known: {string.Join(", ", Names)})"),
    };
}

/// <summary>One condition on a syscall argument; the conditions of one rule are ANDed.</summary>
public readonly record struct ArgumentCondition(int Index, SeccompOperator Operator, ulong Value, ulong ValueTwo)
{
    public const int MaxArguments = 6;

    /// <summary>What the condition says about a concrete argument (the reference the BPF must agree with).</summary>
    public bool Matches(ulong argument, bool wide)
    {
        ulong a = argument, v = Value, m = Value, d = ValueTwo;
        if (!wide) { a = (uint)a; v = (uint)v; m = (uint)m; d = (uint)d; }
        return Operator switch
        {
            SeccompOperator.NotEqual => a != v,
            SeccompOperator.LessThan => a < v,
            SeccompOperator.LessOrEqual => a <= v,
            SeccompOperator.Equal => a == v,
            SeccompOperator.GreaterOrEqual => a >= v,
            SeccompOperator.GreaterThan => a > v,
            SeccompOperator.MaskedEqual => (a & m) == (d & m),
            _ => false,
        };
    }
}
