using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>
/// Go's text/tabwriter (elastic tabstops) as docker's table output configures it: tab-terminated cells in
/// adjacent lines form a column padded to its widest cell plus <c>padding</c>, at least <c>minWidth</c>; the last
/// cell of a line is not part of a column. Widths count terminal cells (East Asian wide runes count two), as
/// docker's copy of tabwriter does.
/// </summary>
public sealed class TabWriter(int minWidth = 10, int padding = 3, char padChar = ' ')
{
    readonly record struct Cell(string Text, int Width, bool Tab);

    /// <summary>Formats all of <paramref name="text"/> (as written to the writer, then flushed).</summary>
    public string Format(string text)
    {
        var lines = new List<List<Cell>>();
        var current = new List<Cell>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\t' || c == '\v')
            {
                var s = text[start..i];
                current.Add(new Cell(s, Width(s), c == '\t'));
                start = i + 1;
            }
            else if (c == '\n' || c == '\f')
            {
                var s = text[start..i];
                current.Add(new Cell(s, Width(s), false));
                lines.Add(current);
                current = [];
                start = i + 1;
            }
        }
        var rest = text[start..];
        current.Add(new Cell(rest, Width(rest), false));
        lines.Add(current);

        var output = new StringBuilder();
        var widths = new List<int>();
        FormatBlock(output, lines, widths, 0, lines.Count);
        return output.ToString();
    }

    int FormatBlock(StringBuilder o, List<List<Cell>> lines, List<int> widths, int line0, int line1)
    {
        int column = widths.Count;
        for (int self = line0; self < line1; self++)
        {
            var line = lines[self];
            if (column >= line.Count - 1) continue;
            // A cell exists in this column: write the lines before this block, then find the block's width.
            WriteLines(o, lines, widths, line0, self);
            line0 = self;
            int width = minWidth;
            for (; self < line1; self++)
            {
                line = lines[self];
                if (column >= line.Count - 1) break;
                int w = line[column].Width + padding;
                if (w > width) width = w;
            }
            widths.Add(width);
            FormatBlock(o, lines, widths, line0, self);
            widths.RemoveAt(widths.Count - 1);
            line0 = self;
            self--;
        }
        WriteLines(o, lines, widths, line0, line1);
        return line1;
    }

    void WriteLines(StringBuilder o, List<List<Cell>> lines, List<int> widths, int line0, int line1)
    {
        for (int i = line0; i < line1; i++)
        {
            var line = lines[i];
            for (int j = 0; j < line.Count; j++)
            {
                var c = line[j];
                o.Append(c.Text);
                if (j < widths.Count) o.Append(padChar, Math.Max(0, widths[j] - c.Width));
            }
            if (i + 1 < lines.Count) o.Append('\n');
        }
    }

    /// <summary>Terminal width of a cell: runes, with East Asian wide and fullwidth runes counting two.</summary>
    public static int Width(string s)
    {
        int w = 0;
        foreach (var r in s.EnumerateRunes()) w += IsWide(r.Value) ? 2 : 1;
        return w;
    }

    static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
            or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD;
}
