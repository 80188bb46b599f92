using System.Globalization;
using System.Text.RegularExpressions;

namespace Skiff.Build.Syntax;

/// <summary>Turns one logical line (and its heredoc bodies) into a typed <see cref="Instruction"/>, with docker's
/// argument rules and messages for each kind.</summary>
internal sealed partial class InstructionParser(char escape, List<ParseWarning> warnings)
{
    internal static readonly string[] Keywords =
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ];

    [GeneratedRegex(@"^[a-z][a-z0-9\-_\.]*$")]
    private static partial Regex StageNameRegex();

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();

    private readonly record struct Split(string Keyword, int KeywordEnd, List<Words.Word> Flags, string Rest, int RestOffset);

    private static Split SplitCommand(LogicalLine line)
    {
        string t = line.Text;
        int start = 0;
        while (start < t.Length && char.IsWhiteSpace(t[start])) start++;
        int end = start;
        while (end < t.Length && !Words.IsSplitSpace(t[end])) end++;
        string keyword = t[start..end];
        int argStart = end;
        while (argStart < t.Length && Words.IsSplitSpace(t[argStart])) argStart++;
        string args = t[argStart..].TrimEnd();
        var (flags, restOff) = Words.ExtractFlags(args);
        var shifted = flags.Select(f => new Words.Word(f.Text, f.Offset + argStart)).ToList();
        string rest = restOff < args.Length ? args[restOff..] : "";
        return new Split(keyword.ToUpperInvariant(), end, shifted, rest, argStart + restOff);
    }

    /// <summary>Heredocs this line asks for (RUN, COPY, ADD and ONBUILD of those, not in JSON form).</summary>
    public List<(string Name, bool Expand, bool Chomp, int Offset)> HeredocsIn(LogicalLine line)
    {
        var split = SplitCommand(line);
        int baseOffset = 0;
        if (split.Keyword == "ONBUILD")
        {
            if (split.Rest.Length == 0) return [];
            baseOffset = split.RestOffset;
            split = SplitCommand(line.Slice(split.RestOffset));
        }
        if (split.Keyword is not ("RUN" or "COPY" or "ADD")) return [];
        if (Words.TryParseJsonArray(split.Rest, out _) != Words.JsonResult.NotJson) return [];
        var found = HeredocWord.Find(split.Rest);
        return found.Select(h => (h.Name, h.Expand, h.Chomp, h.Offset + split.RestOffset + baseOffset)).ToList();
    }

    public Instruction Parse(LogicalLine line, IReadOnlyList<Heredoc> heredocs, int endLine, bool nested = false)
    {
        var split = SplitCommand(line);
        int keywordOffset = 0;
        while (keywordOffset < line.Text.Length && char.IsWhiteSpace(line.Text[keywordOffset])) keywordOffset++;
        var pos = line.At(keywordOffset);
        string original = line.Text.Trim();
        var ctx = new Context(this, line, split, pos, original, endLine, heredocs);
        Instruction inst = split.Keyword switch
        {
            "FROM" => ParseFrom(ctx),
            "RUN" => ParseRun(ctx),
            "CMD" => Simple(ctx, () => new CmdInstruction(ctx.Command())),
            "ENTRYPOINT" => Simple(ctx, () => new EntrypointInstruction(ctx.Command())),
            "COPY" => ParseCopy(ctx),
            "ADD" => ParseAdd(ctx),
            "ENV" => Simple(ctx, () => new EnvInstruction(ParseKeyValues(ctx, "ENV"))),
            "LABEL" => Simple(ctx, () => new LabelInstruction(ParseKeyValues(ctx, "LABEL"))),
            "ARG" => ParseArg(ctx),
            "EXPOSE" => ParseExpose(ctx),
            "WORKDIR" => Simple(ctx, () => new WorkdirInstruction(ctx.ExactlyOne())),
            "USER" => Simple(ctx, () => new UserInstruction(ctx.ExactlyOne())),
            "STOPSIGNAL" => Unchecked(ctx, new StopSignalInstruction(ctx.ExactlyOne())),
            "MAINTAINER" => ParseMaintainer(ctx),
            "VOLUME" => ParseVolume(ctx),
            "HEALTHCHECK" => ParseHealthcheck(ctx),
            "SHELL" => ParseShell(ctx),
            "ONBUILD" => ParseOnbuild(ctx, nested),
            _ => throw Unknown(split.Keyword, pos),
        };
        return inst;
    }

    private static DockerfileSyntaxException Unknown(string keyword, SourcePosition pos)
    {
        string? suggestion = Keywords.Select(k => (k, d: Distance(k, keyword)))
            .Where(x => x.d <= 2).OrderBy(x => x.d).Select(x => x.k).FirstOrDefault();
        string hint = suggestion is not null
            ? $" (did you mean {suggestion}?)"
            : $" (expected one of {string.Join(", ", Keywords)})";
        return new DockerfileSyntaxException(pos, $"unknown instruction: {keyword}{hint}");
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private sealed class Context(InstructionParser parser, LogicalLine line, Split split, SourcePosition pos, string original,
        int endLine, IReadOnlyList<Heredoc> heredocs)
    {
        public InstructionParser Parser => parser;
        public LogicalLine Line => line;
        public Split Split => split;
        public SourcePosition Pos => pos;
        public string Original => original;
        public int EndLine => endLine;
        public IReadOnlyList<Heredoc> Heredocs => heredocs;
        public string Keyword => split.Keyword;
        public string Rest => split.Rest;

        /// <summary>Where the arguments start (or the end of the keyword when there are none).</summary>
        public SourcePosition ArgsPos => split.Rest.Length > 0 ? line.At(split.RestOffset) : line.At(split.KeywordEnd);

        public DockerfileSyntaxException Error(string reason) => new(pos, reason);
        public DockerfileSyntaxException ErrorAt(SourcePosition p, string reason) => new(p, reason);

        public List<InstructionFlag> Flags(FlagSet set) => set.Parse(split.Flags, line);
        public List<InstructionFlag> NoFlags() => new FlagSet(split.Keyword).Parse(split.Flags, line);

        public string ExactlyOne()
        {
            if (split.Rest.Length == 0) throw ErrorAt(ArgsPos, $"{Keyword} requires exactly one argument");
            return split.Rest;
        }

        /// <summary>JSON array (exec form) or the text as is (shell form).</summary>
        public CommandForm Command()
        {
            var r = Words.TryParseJsonArray(split.Rest, out var values);
            if (r == Words.JsonResult.NotStrings)
                throw ErrorAt(ArgsPos, "when using JSON array syntax, arrays must be comprised of strings only");
            if (r == Words.JsonResult.Strings) return new ExecForm(values);
            return new ShellForm(split.Rest);
        }

        /// <summary>JSON array or whitespace-separated words (COPY, ADD, VOLUME).</summary>
        public List<string> List(out bool json)
        {
            var r = Words.TryParseJsonArray(split.Rest, out var values);
            if (r == Words.JsonResult.NotStrings)
                throw ErrorAt(ArgsPos, "when using JSON array syntax, arrays must be comprised of strings only");
            json = r == Words.JsonResult.Strings;
            return json ? values : Words.SplitWhitespace(split.Rest).Select(w => w.Text).ToList();
        }
    }

    /// <summary>ARG and STOPSIGNAL: docker never checks their flags, it drops them; keep them visible with a warning.</summary>
    private List<InstructionFlag> IgnoredFlags(Context c)
    {
        var flags = c.Split.Flags.Select(f =>
        {
            string t = f.Text.StartsWith("--", StringComparison.Ordinal) ? f.Text[2..] : f.Text;
            int eq = t.IndexOf('=');
            return new InstructionFlag(eq < 0 ? t : t[..eq], eq < 0 ? null : t[(eq + 1)..], c.Line.At(f.Offset));
        }).ToList();
        foreach (var f in flags)
            warnings.Add(new ParseWarning(f.Position, $"{c.Keyword} takes no flags: --{f.Name} is ignored (as docker does)"));
        return flags;
    }

    private Instruction Unchecked(Context c, Instruction inst) => With(inst, c, IgnoredFlags(c));

    private static Instruction Simple(Context c, Func<Instruction> make)
    {
        var flags = c.NoFlags();
        return With(make(), c, flags);
    }

    private static T With<T>(T inst, Context c, List<InstructionFlag> flags) where T : Instruction =>
        inst with { Position = c.Pos, EndLine = c.EndLine, Original = c.Original, Flags = flags };

    private FromInstruction ParseFrom(Context c)
    {
        var set = new FlagSet("FROM").String("platform");
        var flags = c.Flags(set);
        var args = Words.SplitWhitespace(c.Rest, c.Split.RestOffset);
        string? stage = null;
        if (args.Count == 3 && string.Equals(args[1].Text, "as", StringComparison.OrdinalIgnoreCase))
        {
            stage = args[2].Text.ToLowerInvariant();
            if (!StageNameRegex().IsMatch(stage))
                throw c.ErrorAt(c.Line.At(args[2].Offset),
                    $"invalid name for build stage: \"{args[2].Text}\", name can't start with a number or contain symbols");
            if (args[2].Text != stage)
                warnings.Add(new ParseWarning(c.Line.At(args[2].Offset), $"stage name '{args[2].Text}' should be lowercase"));
        }
        else if (args.Count == 3)
            throw c.ErrorAt(c.Line.At(args[1].Offset), $"FROM requires either one or three arguments: expected AS, not \"{args[1].Text}\"");
        else if (args.Count != 1)
            throw c.ErrorAt(c.ArgsPos, args.Count == 0
                ? "FROM requires either one or three arguments (expected an image, a stage name or scratch)"
                : "FROM requires either one or three arguments (expected FROM [--platform=<platform>] <image> [AS <name>])");
        return With(new FromInstruction(args[0].Text, stage, set.GetString("platform")), c, flags);
    }

    private RunInstruction ParseRun(Context c)
    {
        var set = new FlagSet("RUN").List("mount").String("network").String("security");
        var flags = c.Flags(set);
        var mounts = new List<RunMount>();
        foreach (var f in flags.Where(f => f.Name == "mount"))
        {
            try { mounts.Add(RunMountParser.Parse(f.Value!)); }
            catch (FormatException e) { throw c.ErrorAt(f.Position, $"--mount={f.Value}: {e.Message}"); }
        }
        string? network = set.GetString("network");
        if (network is not null && network is not ("default" or "none" or "host"))
            throw c.ErrorAt(flags.First(f => f.Name == "network").Position, $"unsupported network mode \"{network}\" (expected default, none or host)");
        string? security = set.GetString("security");
        if (security is not null && security is not ("sandbox" or "insecure"))
            throw c.ErrorAt(flags.First(f => f.Name == "security").Position, $"unsupported security mode \"{security}\" (expected sandbox or insecure)");
        if (c.Rest.Length == 0) throw c.ErrorAt(c.ArgsPos, "RUN requires at least one argument (expected a command)");
        var command = c.Command();
        return With(new RunInstruction(command, mounts, network, security, c.Heredocs), c, flags);
    }

    private (List<string> Sources, List<Heredoc> Docs, string Dest) SourcesAndDest(Context c)
    {
        var args = c.List(out _);
        if (args.Count < 2)
            throw c.ErrorAt(c.ArgsPos, $"{c.Keyword} requires at least two arguments, but only one was provided. Destination could not be determined.");
        string dest = args[^1];
        if (HeredocWord.TryParse(dest, out _, out _, out _))
            throw c.ErrorAt(c.ArgsPos, $"{c.Keyword} cannot accept a heredoc as a destination");
        var byName = new Dictionary<string, Heredoc>(StringComparer.Ordinal);
        foreach (var h in c.Heredocs) byName.TryAdd(h.Name, h);
        var sources = new List<string>();
        var docs = new List<Heredoc>();
        foreach (var s in args.Take(args.Count - 1))
        {
            if (HeredocWord.TryParse(s, out var name, out _, out _) && byName.TryGetValue(name, out var doc)) docs.Add(doc);
            else sources.Add(s);
        }
        return (sources, docs, dest);
    }

    private CopyInstruction ParseCopy(Context c)
    {
        var set = new FlagSet("COPY").String("from").String("chown").String("chmod").Bool("link").Bool("parents").List("exclude");
        var flags = c.Flags(set);
        var (sources, docs, dest) = SourcesAndDest(c);
        string? from = set.GetString("from");
        if (from is not null && from.Length == 0)
            throw c.ErrorAt(flags.First(f => f.Name == "from").Position, "COPY --from requires a stage name, index or image");
        return With(new CopyInstruction(sources, dest, from, set.GetString("chown"), set.GetString("chmod"),
            set.GetBool("link"), set.GetBool("parents"), set.GetList("exclude"), docs), c, flags);
    }

    private AddInstruction ParseAdd(Context c)
    {
        var set = new FlagSet("ADD").String("chown").String("chmod").Bool("link").Bool("keep-git-dir")
            .String("checksum").List("exclude").Bool("unpack");
        var flags = c.Flags(set);
        var (sources, docs, dest) = SourcesAndDest(c);
        return With(new AddInstruction(sources, dest, set.GetString("chown"), set.GetString("chmod"), set.GetBool("link"),
            false, set.GetList("exclude"), docs, set.GetBool("keep-git-dir"), set.GetString("checksum"),
            set.GetOptionalBool("unpack")), c, flags);
    }

    private List<KeyValue> ParseKeyValues(Context c, string keyword)
    {
        var words = Words.SplitQuoted(c.Rest, escape, c.Split.RestOffset);
        if (words.Count == 0) throw c.ErrorAt(c.ArgsPos, $"{keyword} requires at least one argument (expected {keyword} <key>=<value> ...)");
        var pairs = new List<KeyValue>();
        if (!words[0].Text.Contains('='))
        {
            var parts = Words.SplitWhitespace(c.Rest);
            if (parts.Count < 2)
                throw c.ErrorAt(c.ArgsPos, $"{keyword} must have two arguments (expected {keyword} <key>=<value> or the legacy {keyword} <key> <value>)");
            string value = c.Rest[parts[1].Offset..];
            warnings.Add(new ParseWarning(c.Pos,
                $"\"{keyword} key=value\" should be used instead of legacy \"{keyword} key value\" format"));
            pairs.Add(new KeyValue(parts[0].Text, value));
            return pairs;
        }
        foreach (var w in words)
        {
            int eq = w.Text.IndexOf('=');
            if (eq < 0)
                throw c.ErrorAt(c.Line.At(w.Offset), $"Syntax error - can't find = in \"{w.Text}\". Must be of the form: name=value");
            if (eq == 0) throw c.ErrorAt(c.Line.At(w.Offset), $"{keyword} names can not be blank");
            pairs.Add(new KeyValue(w.Text[..eq], w.Text[(eq + 1)..]));
        }
        return pairs;
    }

    private ArgInstruction ParseArg(Context c)
    {
        var flags = IgnoredFlags(c);
        var words = Words.SplitQuoted(c.Rest, escape, c.Split.RestOffset);
        if (words.Count == 0) throw c.ErrorAt(c.ArgsPos, "ARG requires at least one argument (expected ARG <name>[=<default>])");
        var args = new List<ArgDeclaration>();
        foreach (var w in words)
        {
            int eq = w.Text.IndexOf('=');
            if (eq == 0) throw c.ErrorAt(c.Line.At(w.Offset), "ARG names can not be blank");
            args.Add(eq < 0 ? new ArgDeclaration(w.Text, null) : new ArgDeclaration(w.Text[..eq], w.Text[(eq + 1)..]));
        }
        return With(new ArgInstruction(args), c, flags);
    }

    private ExposeInstruction ParseExpose(Context c)
    {
        var ports = Words.SplitWhitespace(c.Rest).Select(w => w.Text).ToList();
        if (ports.Count == 0) throw c.ErrorAt(c.ArgsPos, "EXPOSE requires at least one argument (expected <port>[/<protocol>] ...)");
        var flags = c.NoFlags();
        ports.Sort(StringComparer.Ordinal); // docker keeps them sorted
        return With(new ExposeInstruction(ports), c, flags);
    }

    private MaintainerInstruction ParseMaintainer(Context c)
    {
        var flags = c.NoFlags();
        string name = c.ExactlyOne();
        warnings.Add(new ParseWarning(c.Pos, "MAINTAINER instruction is deprecated in favor of using label"));
        return With(new MaintainerInstruction(name), c, flags);
    }

    private VolumeInstruction ParseVolume(Context c)
    {
        var flags = c.NoFlags();
        var list = c.List(out _);
        if (list.Count == 0) throw c.ErrorAt(c.ArgsPos, "VOLUME requires at least one argument");
        var paths = new List<string>();
        foreach (var v in list)
        {
            string t = v.Trim();
            if (t.Length == 0) throw c.ErrorAt(c.ArgsPos, "VOLUME specified can not be an empty string");
            paths.Add(t);
        }
        return With(new VolumeInstruction(paths), c, flags);
    }

    private ShellInstruction ParseShell(Context c)
    {
        var flags = c.NoFlags();
        var r = Words.TryParseJsonArray(c.Rest, out var values);
        if (r == Words.JsonResult.NotStrings)
            throw c.ErrorAt(c.ArgsPos, "when using JSON array syntax, arrays must be comprised of strings only");
        if (r != Words.JsonResult.Strings)
            throw c.ErrorAt(c.ArgsPos, "SHELL requires the arguments to be in JSON form (expected SHELL [\"executable\", \"parameters\"])");
        if (values.Count == 0) throw c.ErrorAt(c.ArgsPos, "SHELL requires at least one argument");
        return With(new ShellInstruction(values), c, flags);
    }

    private HealthcheckInstruction ParseHealthcheck(Context c)
    {
        var set = new FlagSet("HEALTHCHECK").String("interval").String("timeout").String("start-period")
            .String("start-interval").String("retries");
        var flags = c.Flags(set);
        string rest = c.Rest;
        if (rest.Length == 0) throw c.ErrorAt(c.ArgsPos, "HEALTHCHECK requires at least one argument (expected NONE or CMD <command>)");
        int sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        int next = sep;
        while (next < rest.Length && char.IsWhiteSpace(rest[next])) next++;
        string type = rest[..sep].ToUpperInvariant();
        string cmdText = rest[next..];
        if (type == "NONE")
        {
            if (cmdText.Length != 0) throw c.ErrorAt(c.ArgsPos, "HEALTHCHECK NONE takes no arguments");
            return With(new HealthcheckInstruction(true, null, null, null, null, null, null), c, flags);
        }
        if (type != "CMD") throw c.ErrorAt(c.ArgsPos, $"Unknown type \"{rest[..sep]}\" in HEALTHCHECK (try CMD)");
        CommandForm command;
        var r = Words.TryParseJsonArray(cmdText, out var values);
        if (r == Words.JsonResult.NotStrings)
            throw c.ErrorAt(c.ArgsPos, "when using JSON array syntax, arrays must be comprised of strings only");
        command = r == Words.JsonResult.Strings ? new ExecForm(values) : new ShellForm(cmdText);
        if ((command is ExecForm e && e.Arguments.Count == 0) || (command is ShellForm s && s.Command.Length == 0))
            throw c.ErrorAt(c.ArgsPos, "Missing command after HEALTHCHECK CMD");
        TimeSpan? Duration(string name)
        {
            string? v = set.GetString(name);
            if (v is null) return null;
            var fpos = flags.Last(f => f.Name == name).Position;
            if (!GoDuration.TryParse(v, out var d))
                throw c.ErrorAt(fpos, $"time: invalid duration \"{v}\" (expected e.g. 30s, 1m30s, 500ms)");
            if (d == TimeSpan.Zero) return TimeSpan.Zero;
            if (d < TimeSpan.FromMilliseconds(1))
                throw c.ErrorAt(fpos, $"Interval \"{name}\" cannot be less than 1ms");
            return d;
        }
        int? retries = null;
        if (set.GetString("retries") is { } rv)
        {
            var fpos = flags.Last(f => f.Name == "retries").Position;
            if (!int.TryParse(rv, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n))
                throw c.ErrorAt(fpos, $"invalid --retries value \"{rv}\" (expected a whole number)");
            if (n < 0) throw c.ErrorAt(fpos, $"--retries cannot be negative ({n})");
            retries = n;
        }
        return With(new HealthcheckInstruction(false, command, Duration("interval"), Duration("timeout"),
            Duration("start-period"), Duration("start-interval"), retries), c, flags);
    }

    private OnbuildInstruction ParseOnbuild(Context c, bool nested)
    {
        var flags = c.NoFlags();
        if (c.Rest.Length == 0) throw c.ErrorAt(c.ArgsPos, "ONBUILD requires at least one argument (expected ONBUILD <instruction>)");
        var innerLine = c.Line.Slice(c.Split.RestOffset);
        string trigger = SplitCommand(innerLine).Keyword;
        switch (trigger)
        {
            case "ONBUILD": throw c.ErrorAt(c.ArgsPos, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER" or "FROM": throw c.ErrorAt(c.ArgsPos, $"{trigger} isn't allowed as an ONBUILD trigger");
        }
        _ = nested;
        var inner = Parse(innerLine, c.Heredocs, c.EndLine, nested: true);
        string expression = OnbuildPrefix().Replace(c.Original, "");
        foreach (var h in c.Heredocs) expression += "\n" + h.Content + h.Name;
        return With(new OnbuildInstruction(expression, inner), c, flags);
    }
}
