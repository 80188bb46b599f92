namespace Skiff.Build.Syntax;

/// <summary>One instruction's text after joining continuation lines, with the source position of every character so
/// errors about a flag or argument can point at it.</summary>
internal sealed class LogicalLine
{
    private readonly string _file;
    private readonly int[] _lines;
    private readonly int[] _columns;

    public LogicalLine(string file, string text, int[] lines, int[] columns)
    {
        _file = file;
        Text = text;
        _lines = lines;
        _columns = columns;
    }

    public string Text { get; }

    /// <summary>Position of the character at <paramref name="offset"/> (the end maps to just after the last character).</summary>
    public SourcePosition At(int offset)
    {
        if (_lines.Length == 0) return new SourcePosition(_file, 1, 1);
        if (offset < 0) offset = 0;
        if (offset >= _lines.Length) return new SourcePosition(_file, _lines[^1], _columns[^1] + 1);
        return new SourcePosition(_file, _lines[offset], _columns[offset]);
    }

    /// <summary>The part from <paramref name="offset"/> on, keeping positions (ONBUILD's inner instruction).</summary>
    public LogicalLine Slice(int offset) =>
        new(_file, Text[offset..], _lines[offset..], _columns[offset..]);

    public sealed class Builder(string file)
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly List<int> _lines = [];
        private readonly List<int> _columns = [];

        public int Length => _text.Length;

        /// <summary>Appends <paramref name="count"/> characters of <paramref name="source"/> from <paramref name="start"/>,
        /// which sit on line <paramref name="line"/> starting at 1-based column <paramref name="column"/>.</summary>
        public void Append(string source, int start, int count, int line, int column)
        {
            _text.Append(source, start, count);
            for (int i = 0; i < count; i++) { _lines.Add(line); _columns.Add(column + i); }
        }

        public LogicalLine Build() => new(file, _text.ToString(), [.. _lines], [.. _columns]);
    }
}
