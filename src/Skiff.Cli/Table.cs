namespace Skiff.Cli;

/// <summary>Left-aligned columns separated by at least three spaces (docker's tabwriter look).</summary>
public static class Table
{
    public static void Write(TextWriter o, List<string[]> rows)
    {
        if (rows.Count == 0) return;
        var widths = new int[rows[0].Length];
        foreach (var r in rows) for (int i = 0; i < r.Length; i++) widths[i] = Math.Max(widths[i], r[i].Length);
        foreach (var r in rows)
        {
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < r.Length; i++)
            {
                line.Append(r[i]);
                if (i < r.Length - 1) line.Append(' ', widths[i] - r[i].Length + 3);
            }
            o.WriteLine(line.ToString().TrimEnd());
        }
    }
}
