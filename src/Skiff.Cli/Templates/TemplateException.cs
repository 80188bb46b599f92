namespace Skiff.Cli.Templates;

/// <summary>
/// A template that does not parse or fails while it runs. The message has Go's text/template form, e.g.
/// <c>template: :1: function "foo" not defined</c> or
/// <c>template: :1:2: executing "" at &lt;.Foo&gt;: map has no entry for key "Foo"</c>.
/// </summary>
public sealed class TemplateException(string message, int line, int column) : Exception(message)
{
    /// <summary>1-based line of the failing token or node.</summary>
    public int Line { get; } = line;
    /// <summary>Byte offset within the line, as Go reports it (0-based); -1 for parse errors, which name only a line.</summary>
    public int Column { get; } = column;

    /// <summary>Go's location of a char index in the template: 1-based line and the byte offset within that line.</summary>
    internal static (int line, int column) Locate(string text, int pos)
    {
        pos = Math.Clamp(pos, 0, text.Length);
        int line = 1, lineStart = 0;
        for (int i = 0; i < pos; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return (line, System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(lineStart, pos - lineStart)));
    }
}
