using System.Text;
using Skiff.Engine.Time;

namespace Skiff.Engine.Tests.Logs;

/// <summary>Writes json-file logs byte for byte as docker's json-file driver and skiff-shim do.</summary>
internal static class LogFixture
{
    public static string Line(string log, string stream, Timestamp t)
    {
        var sb = new StringBuilder("{\"log\":\"");
        foreach (var c in log)
            sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => c.ToString() });
        sb.Append("\",\"stream\":\"").Append(stream).Append("\",\"time\":\"").Append(t.ToRfc3339Nano()).Append("\"}\n");
        return sb.ToString();
    }

    public static Timestamp T(int second, int nanos = 0) => new(1700000000 + second, nanos);
}
