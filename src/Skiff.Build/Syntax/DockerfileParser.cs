using System.Text;
using System.Text.RegularExpressions;

namespace Skiff.Build.Syntax;

/// <summary>Parses Dockerfile text into a <see cref="Dockerfile"/> as docker's BuildKit frontend reads it: parser
/// directives at the top, comments, line continuations (comment and empty lines inside them skipped), heredocs, then
/// one typed instruction per logical line, grouped into stages. Throws <see cref="DockerfileSyntaxException"/>
/// (<c>file:line:col: reason</c>) on the first error.</summary>
public static partial class DockerfileParser
{
    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectiveRegex();

    private static readonly HashSet<string> KnownDirectives = ["syntax", "escape", "check"];

    public static Dockerfile Parse(string text, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = SplitLines(text);
        var directives = ReadDirectives(lines, fileName);
        var warnings = new List<ParseWarning>();
        var instructions = new InstructionParser(directives.Escape, warnings);

        var globalArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        FromInstruction? currentFrom = null;
        var stageNames = new Dictionary<string, FromInstruction>(StringComparer.Ordinal);

        void CloseStage()
        {
            if (currentFrom is null) return;
            stages.Add(new Stage(stages.Count, currentFrom.StageName, currentFrom.BaseName, currentFrom.Platform, currentFrom, current!));
        }

        int i = 0;
        while (i < lines.Count)
        {
            var logical = ReadLogicalLine(lines, ref i, fileName, directives.Escape, warnings);
            if (logical is null) continue;
            int startLine = logical.At(0).Line;
            var heredocRequests = instructions.HeredocsIn(logical);
            var heredocs = new List<Heredoc>();
            foreach (var (name, expand, chomp, offset) in heredocRequests)
                heredocs.Add(ReadHeredocBody(lines, ref i, name, expand, chomp, logical.At(offset), startLine));
            int endLine = heredocs.Count > 0 ? i : logical.At(logical.Text.Length - 1).Line;
            var inst = instructions.Parse(logical, heredocs, endLine);

            if (inst is FromInstruction from)
            {
                CloseStage();
                if (from.StageName is not null)
                {
                    if (stageNames.TryGetValue(from.StageName, out var earlier))
                        throw new DockerfileSyntaxException(from.Position,
                            $"duplicate stage name \"{from.StageName}\" (already used at line {earlier.Position.Line}); stage names must be unique");
                    stageNames[from.StageName] = from;
                }
                currentFrom = from;
                current = [];
                continue;
            }
            if (currentFrom is null)
            {
                if (inst is ArgInstruction arg) { globalArgs.Add(arg); continue; }
                throw new DockerfileSyntaxException(inst.Position,
                    $"no build stage in current context: {inst.Keyword} before the first FROM (only ARG may come before FROM)");
            }
            current!.Add(inst);
        }
        CloseStage();
        if (stages.Count == 0)
        {
            var pos = new SourcePosition(fileName, Math.Max(1, lines.Count), 1);
            throw new DockerfileSyntaxException(pos, globalArgs.Count == 0
                ? "file with no instructions (expected FROM)"
                : "no build stage: expected a FROM instruction after the ARGs");
        }
        return new Dockerfile(fileName, directives, globalArgs, stages, warnings);
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        for (int k = 0; k < lines.Count; k++)
            if (lines[k].EndsWith('\r')) lines[k] = lines[k][..^1];
        return lines;
    }

    private static ParserDirectives ReadDirectives(List<string> lines, string file)
    {
        string? syntax = null, check = null;
        char escape = '\\';
        var all = new List<ParserDirective>();
        for (int k = 0; k < lines.Count; k++)
        {
            string t = lines[k].TrimStart();
            var m = DirectiveRegex().Match(t);
            if (!m.Success) break;
            string name = m.Groups[1].Value.ToLowerInvariant();
            if (!KnownDirectives.Contains(name)) break;
            var pos = new SourcePosition(file, k + 1, lines[k].Length - t.Length + 1);
            if (all.Any(d => d.Name == name))
                throw new DockerfileSyntaxException(pos, $"only one {name} parser directive can be used");
            string value = m.Groups[2].Value;
            all.Add(new ParserDirective(name, value, pos));
            switch (name)
            {
                case "syntax": syntax = value; break;
                case "check": check = value; break;
                case "escape":
                    if (value != "`" && value != "\\")
                        throw new DockerfileSyntaxException(pos, $"invalid escape token '{value}' does not match ` or \\");
                    escape = value[0];
                    break;
            }
        }
        return new ParserDirectives(syntax, escape, check, all);
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static bool IsBlank(string line) => line.Trim().Length == 0;

    /// <summary>Removes a trailing escape (followed only by spaces/tabs): returns the length to keep, or -1 when the
    /// line does not continue.</summary>
    private static int ContinuationCut(string line, char escape)
    {
        int end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        // docker's rule: the escape must not itself be escaped (two escapes at the end are a literal one).
        if (end > 0 && line[end - 1] == escape && (end == 1 || line[end - 2] != escape)) return end - 1;
        return -1;
    }

    private static LogicalLine? ReadLogicalLine(List<string> lines, ref int i, string file, char escape, List<ParseWarning> warnings)
    {
        string first = lines[i];
        int lineNo = i + 1;
        i++;
        if (IsComment(first) || IsBlank(first)) return null;
        var b = new LogicalLine.Builder(file);
        int lead = first.Length - first.TrimStart().Length;
        int cut = ContinuationCut(first, escape);
        if (cut < 0)
        {
            string body = first.TrimEnd();
            b.Append(body, lead, body.Length - lead, lineNo, lead + 1);
            return b.Build();
        }
        b.Append(first, lead, Math.Max(0, cut - lead), lineNo, lead + 1);
        bool emptyContinuation = false;
        while (i < lines.Count)
        {
            string next = lines[i];
            int n = i + 1;
            i++;
            if (IsComment(next)) continue;
            if (IsBlank(next)) { emptyContinuation = true; continue; }
            int c = ContinuationCut(next, escape);
            if (c < 0)
            {
                string body = next.TrimEnd();
                b.Append(body, 0, body.Length, n, 1);
                break;
            }
            b.Append(next, 0, c, n, 1);
        }
        var logical = b.Build();
        if (emptyContinuation)
            warnings.Add(new ParseWarning(logical.At(0), "empty continuation line found in: " + logical.Text.Trim()
                + " (empty continuation lines will become errors in a future docker release)"));
        if (logical.Text.Trim().Length == 0) return null;
        return logical;
    }

    private static Heredoc ReadHeredocBody(List<string> lines, ref int i, string name, bool expand, bool chomp,
        SourcePosition position, int startLine)
    {
        var content = new StringBuilder();
        while (i < lines.Count)
        {
            string line = lines[i++];
            string candidate = chomp ? line.TrimStart('\t') : line;
            if (candidate == name)
                return new Heredoc(name, content.ToString(), expand, chomp, position);
            content.Append(chomp ? line.TrimStart('\t') : line).Append('\n');
        }
        throw new DockerfileSyntaxException(position,
            $"unterminated heredoc <<{name} (expected a line \"{name}\" before the end of the file; the instruction starts at line {startLine})");
    }
}
