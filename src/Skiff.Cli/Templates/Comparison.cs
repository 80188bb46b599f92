namespace Skiff.Cli.Templates;

/// <summary>Go's template comparison functions: basic kinds compare within their kind (ints with bytes),
/// other pairs are "incompatible types for comparison".</summary>
public static class Comparison
{
    enum Basic { Invalid, Bool, Int, Uint, Float, String }

    static Basic KindOf(TemplateValue v) => v.Kind switch
    {
        ValueKind.Bool => Basic.Bool,
        ValueKind.Int => Basic.Int,
        ValueKind.Byte => Basic.Uint,
        ValueKind.Float => Basic.Float,
        ValueKind.String => Basic.String,
        _ => Basic.Invalid,
    };

    public static bool Eq(TemplateValue arg1, IReadOnlyList<TemplateValue> others)
    {
        arg1 = Functions.Indirect(arg1);
        if (others.Count == 0) throw new FunctionException("missing argument for comparison");
        var k1 = KindOf(arg1);
        foreach (var raw in others)
        {
            var arg = Functions.Indirect(raw);
            var k2 = KindOf(arg);
            bool truth;
            if (k1 != k2)
            {
                if (k1 == Basic.Int && k2 == Basic.Uint || k1 == Basic.Uint && k2 == Basic.Int) truth = arg1.Int == arg.Int;
                else if (arg1.Kind != ValueKind.Missing && arg.Kind != ValueKind.Missing)
                    throw new FunctionException("incompatible types for comparison");
                else truth = false;
            }
            else
            {
                switch (k1)
                {
                    case Basic.Bool: truth = arg1.Bool == arg.Bool; break;
                    case Basic.Int or Basic.Uint: truth = arg1.Int == arg.Int; break;
                    case Basic.Float: truth = arg1.Float == arg.Float; break;
                    case Basic.String: truth = string.Equals(arg1.String, arg.String, StringComparison.Ordinal); break;
                    default:
                        if (arg1.Kind == ValueKind.Missing || arg.Kind == ValueKind.Missing)
                            truth = arg1.Kind == arg.Kind;
                        else
                            throw new FunctionException($"non-comparable type {GoFormat.Sprint(arg)}: {arg.GoType}");
                        break;
                }
            }
            if (truth) return true;
        }
        return false;
    }

    public static bool Lt(TemplateValue arg1, TemplateValue arg2)
    {
        arg1 = Functions.Indirect(arg1);
        arg2 = Functions.Indirect(arg2);
        var k1 = KindOf(arg1);
        if (k1 == Basic.Invalid) throw new FunctionException("invalid type for comparison");
        var k2 = KindOf(arg2);
        if (k2 == Basic.Invalid) throw new FunctionException("invalid type for comparison");
        if (k1 != k2)
        {
            if (k1 == Basic.Int && k2 == Basic.Uint || k1 == Basic.Uint && k2 == Basic.Int) return arg1.Int < arg2.Int;
            throw new FunctionException("incompatible types for comparison");
        }
        return k1 switch
        {
            Basic.Bool => throw new FunctionException("invalid type for comparison"),
            Basic.Float => arg1.Float < arg2.Float,
            Basic.String => string.CompareOrdinal(arg1.String, arg2.String) < 0,
            _ => arg1.Int < arg2.Int,
        };
    }
}
