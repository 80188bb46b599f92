using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>How an argument reaches a function, mirroring the Go parameter types of the real functions.</summary>
public enum ParamKind
{
    /// <summary>reflect.Value: the builtins (eq, index, len, ...) see the value as it is, missing included.</summary>
    Value,
    /// <summary>interface{}: a missing value arrives as nil.</summary>
    Any,
    /// <summary>string: anything else is an error.</summary>
    String,
    /// <summary>int: a number constant or an int value.</summary>
    Int,
}

/// <summary>A function's failure; the evaluator reports it as Go does: <c>error calling NAME: MESSAGE</c>.</summary>
public sealed class FunctionException(string message) : Exception(message);

public delegate TemplateValue TemplateFunction(IReadOnlyList<TemplateValue> args);

/// <summary>A callable template function: fixed parameter kinds and an optional variadic tail.</summary>
public sealed record FunctionSpec(ParamKind[] Params, ParamKind? Variadic, TemplateFunction Call)
{
    public static FunctionSpec Fixed(TemplateFunction call, params ParamKind[] ps) => new(ps, null, call);
    public static FunctionSpec WithTail(TemplateFunction call, ParamKind tail, params ParamKind[] ps) => new(ps, tail, call);
}

/// <summary>
/// The functions a template can call: Go's builtins (and, or, not, len, index, slice, print, printf, println,
/// html, urlquery, eq, ne, lt, le, gt, ge) and docker's additions (json, split, join, title, lower, upper, pad,
/// truncate), plus docker's header variants used to render a table's header row.
/// </summary>
public static class Functions
{
    public static readonly IReadOnlyDictionary<string, FunctionSpec> Docker = BuildDocker();
    public static readonly IReadOnlyDictionary<string, FunctionSpec> DockerHeader = BuildHeader();

    static Dictionary<string, FunctionSpec> Builtins()
    {
        const ParamKind V = ParamKind.Value, A = ParamKind.Any, S = ParamKind.String;
        return new(StringComparer.Ordinal)
        {
            // and/or are evaluated by the evaluator itself (they short-circuit); the entries give their shape.
            ["and"] = FunctionSpec.WithTail(_ => throw new InvalidOperationException(), V, V),
            ["or"] = FunctionSpec.WithTail(_ => throw new InvalidOperationException(), V, V),
            ["not"] = FunctionSpec.Fixed(a => TemplateValue.Of(!Indirect(a[0]).IsTrue), V),
            ["len"] = FunctionSpec.Fixed(a => Len(a[0]), V),
            ["index"] = FunctionSpec.WithTail(a => Index(a[0], a.Skip(1).ToList()), V, V),
            ["slice"] = FunctionSpec.WithTail(a => Slice(a[0], a.Skip(1).ToList()), V, V),
            ["print"] = FunctionSpec.WithTail(a => TemplateValue.Of(GoFormat.Sprint(a)), A),
            ["println"] = FunctionSpec.WithTail(a => TemplateValue.Of(GoFormat.Sprintln(a)), A),
            ["printf"] = FunctionSpec.WithTail(a => TemplateValue.Of(GoFormat.Sprintf(a[0].String, a.Skip(1).ToList())), A, S),
            ["html"] = FunctionSpec.WithTail(a => TemplateValue.Of(HtmlEscape(EvalArgs(a))), A),
            ["urlquery"] = FunctionSpec.WithTail(a => TemplateValue.Of(QueryEscape(EvalArgs(a))), A),
            ["eq"] = FunctionSpec.WithTail(a => TemplateValue.Of(Comparison.Eq(a[0], a.Skip(1).ToList())), V, V),
            ["ne"] = FunctionSpec.Fixed(a => TemplateValue.Of(!Comparison.Eq(a[0], [a[1]])), V, V),
            ["lt"] = FunctionSpec.Fixed(a => TemplateValue.Of(Comparison.Lt(a[0], a[1])), V, V),
            ["le"] = FunctionSpec.Fixed(a => TemplateValue.Of(Comparison.Lt(a[0], a[1]) || Comparison.Eq(a[0], [a[1]])), V, V),
            ["gt"] = FunctionSpec.Fixed(a => TemplateValue.Of(!(Comparison.Lt(a[0], a[1]) || Comparison.Eq(a[0], [a[1]]))), V, V),
            ["ge"] = FunctionSpec.Fixed(a => TemplateValue.Of(!Comparison.Lt(a[0], a[1])), V, V),
        };
    }

    static Dictionary<string, FunctionSpec> BuildDocker()
    {
        const ParamKind A = ParamKind.Any, S = ParamKind.String, I = ParamKind.Int;
        var f = Builtins();
        f["json"] = FunctionSpec.Fixed(a => TemplateValue.Of(GoJson.Encode(a[0])), A);
        f["split"] = FunctionSpec.Fixed(a => Split(a[0].String, a[1].String), S, S);
        f["join"] = FunctionSpec.Fixed(a => TemplateValue.Of(Join(a[0], a[1].String)), A, S);
        f["title"] = FunctionSpec.Fixed(a => TemplateValue.Of(Title(a[0].String)), S);
        f["lower"] = FunctionSpec.Fixed(a => TemplateValue.Of(a[0].String.ToLowerInvariant()), S);
        f["upper"] = FunctionSpec.Fixed(a => TemplateValue.Of(a[0].String.ToUpperInvariant()), S);
        f["pad"] = FunctionSpec.Fixed(a => TemplateValue.Of(a[0].String.Length == 0 ? ""
            : new string(' ', (int)Math.Max(0, a[1].Int)) + a[0].String + new string(' ', (int)Math.Max(0, a[2].Int))), S, I, I);
        f["truncate"] = FunctionSpec.Fixed(a => TemplateValue.Of(Truncate(a[0].String, a[1].Int)), S, I);
        return f;
    }

    /// <summary>Docker renders a table header by running the template over the header names with these
    /// replacements, so that json/split/join/title/lower/upper/truncate leave a column's name intact.</summary>
    static Dictionary<string, FunctionSpec> BuildHeader()
    {
        const ParamKind S = ParamKind.String, I = ParamKind.Int;
        var f = BuildDocker();
        TemplateFunction first = a => a[0];
        f["json"] = FunctionSpec.Fixed(first, S);
        f["split"] = FunctionSpec.Fixed(first, S, S);
        f["join"] = FunctionSpec.Fixed(first, S, S);
        f["title"] = FunctionSpec.Fixed(first, S);
        f["lower"] = FunctionSpec.Fixed(first, S);
        f["upper"] = FunctionSpec.Fixed(first, S);
        f["truncate"] = FunctionSpec.Fixed(first, S, I);
        return f;
    }

    /// <summary>Go's indirectInterface: a nil interface becomes no value.</summary>
    internal static TemplateValue Indirect(TemplateValue v) => v.Kind == ValueKind.Nil ? TemplateValue.Missing : v;

    static TemplateValue Len(TemplateValue v)
    {
        switch (v.Kind)
        {
            case ValueKind.Nil: throw new FunctionException("len of nil pointer");
            case ValueKind.Missing: throw new FunctionException("reflect: call of reflect.Value.Type on zero Value");
            case ValueKind.String or ValueKind.Array or ValueKind.Map: return TemplateValue.Of((long)v.Length);
            default: throw new FunctionException($"len of type {v.GoType}");
        }
    }

    static int IndexArg(TemplateValue index, int cap)
    {
        index = Indirect(index);
        long x = index.Kind switch
        {
            ValueKind.Int or ValueKind.Byte => index.Int,
            ValueKind.Missing => throw new FunctionException("cannot index slice/array with nil"),
            _ => throw new FunctionException($"cannot index slice/array with type {index.GoType}"),
        };
        if (x < 0 || x > cap) throw new FunctionException($"index out of range: {x}");
        return (int)x;
    }

    static TemplateValue Index(TemplateValue item, List<TemplateValue> indexes)
    {
        item = Indirect(item);
        if (item.Kind == ValueKind.Missing) throw new FunctionException("index of untyped nil");
        foreach (var raw in indexes)
        {
            var index = Indirect(raw);
            if (item.Kind == ValueKind.Nil) throw new FunctionException("index of nil pointer");
            switch (item.Kind)
            {
                case ValueKind.Array:
                    {
                        int x = IndexArg(index, item.Items.Count);
                        if (x == item.Items.Count) throw new FunctionException("reflect: slice index out of range");
                        item = item.Items[x];
                        break;
                    }
                case ValueKind.String:
                    {
                        var bytes = Encoding.UTF8.GetBytes(item.String);
                        int x = IndexArg(index, bytes.Length);
                        if (x == bytes.Length) throw new FunctionException("reflect: string index out of range");
                        item = TemplateValue.OfByte(bytes[x]);
                        break;
                    }
                case ValueKind.Map:
                    {
                        if (index.Kind == ValueKind.Missing) throw new FunctionException("value is nil; should be of type string");
                        if (index.Kind != ValueKind.String)
                            throw new FunctionException($"value has type {index.GoType}; should be string");
                        item = item.TryGet(index.String, out var x) ? x : TemplateValue.Nil;
                        break;
                    }
                default:
                    throw new FunctionException($"can't index item of type {item.GoType}");
            }
        }
        return item;
    }

    static TemplateValue Slice(TemplateValue item, List<TemplateValue> indexes)
    {
        item = Indirect(item);
        if (item.Kind == ValueKind.Missing) throw new FunctionException("slice of untyped nil");
        if (indexes.Count > 3) throw new FunctionException($"too many slice indexes: {indexes.Count}");
        int cap;
        byte[]? bytes = null;
        switch (item.Kind)
        {
            case ValueKind.String:
                if (indexes.Count == 3) throw new FunctionException("cannot 3-index slice a string");
                bytes = Encoding.UTF8.GetBytes(item.String);
                cap = bytes.Length;
                break;
            case ValueKind.Array:
                cap = item.Items.Count;
                break;
            default:
                throw new FunctionException($"can't slice item of type {item.GoType}");
        }
        int[] idx = [0, cap, cap];
        for (int i = 0; i < indexes.Count; i++) idx[i] = IndexArg(indexes[i], cap);
        if (idx[0] > idx[1]) throw new FunctionException($"invalid slice index: {idx[0]} > {idx[1]}");
        if (indexes.Count == 3 && idx[1] > idx[2]) throw new FunctionException($"invalid slice index: {idx[1]} > {idx[2]}");
        if (bytes is not null) return TemplateValue.Of(Encoding.UTF8.GetString(bytes, idx[0], idx[1] - idx[0]));
        return TemplateValue.Array(item.Items.Skip(idx[0]).Take(idx[1] - idx[0]).ToList(), item.StringItems);
    }

    /// <summary>html and urlquery take the one string argument as is, or fmt.Sprint of all of them.</summary>
    static string EvalArgs(IReadOnlyList<TemplateValue> args) =>
        args.Count == 1 && args[0].Kind == ValueKind.String ? args[0].String : GoFormat.Sprint(args);

    static string HtmlEscape(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("&#34;"); break;
                case '\'': b.Append("&#39;"); break;
                case '&': b.Append("&amp;"); break;
                case '<': b.Append("&lt;"); break;
                case '>': b.Append("&gt;"); break;
                case '\0': b.Append('\uFFFD'); break;
                default: b.Append(c); break;
            }
        }
        return b.ToString();
    }

    static string QueryEscape(string s)
    {
        var b = new StringBuilder();
        foreach (var by in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)by;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') b.Append(c);
            else if (c == ' ') b.Append('+');
            else b.Append('%').Append(by.ToString("X2"));
        }
        return b.ToString();
    }

    static TemplateValue Split(string s, string sep)
    {
        List<TemplateValue> parts;
        if (sep.Length == 0) parts = s.EnumerateRunes().Select(r => TemplateValue.Of(r.ToString())).ToList();
        else parts = s.Split(sep).Select(TemplateValue.Of).ToList();
        return TemplateValue.Array(parts, stringItems: true);
    }

    static string Join(TemplateValue elems, string sep)
    {
        switch (elems.Kind)
        {
            case ValueKind.Missing or ValueKind.Nil: return "";
            case ValueKind.Array: return string.Join(sep, elems.Items.Select(GoFormat.Sprint));
            case ValueKind.Map:
                {
                    var values = elems.Members.Select(m => GoFormat.Sprint(m.Value)).ToArray();
                    Array.Sort(values, StringComparer.Ordinal);
                    return string.Join(sep, values);
                }
            default: throw new FunctionException($"expected slice, got {elems.GoType}");
        }
    }

    /// <summary>Go's strings.Title: upper-case the first letter of each word.</summary>
    static string Title(string s)
    {
        var b = new StringBuilder(s.Length);
        bool prevSeparator = true;
        foreach (var r in s.EnumerateRunes())
        {
            b.Append(prevSeparator ? Rune.ToUpperInvariant(r).ToString() : r.ToString());
            prevSeparator = IsSeparator(r);
        }
        return b.ToString();
    }

    static bool IsSeparator(Rune r)
    {
        int c = r.Value;
        if (c <= 0x7F)
        {
            if (c is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_') return false;
            return true;
        }
        if (Rune.IsLetterOrDigit(r)) return false;
        return Rune.IsWhiteSpace(r);
    }

    /// <summary>docker's truncate: the first n bytes.</summary>
    static string Truncate(string s, long n)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        if (bytes.Length < n) return s;
        return Encoding.UTF8.GetString(bytes, 0, (int)Math.Max(0, n));
    }
}
