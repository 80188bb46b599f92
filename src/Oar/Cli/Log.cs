using System.Text;
using System.Text.Json;

namespace Oar.Cli;

/// <summary>runc-style logging: errors on stderr, and with --log a file of text or JSON lines
/// ({"level","msg","time"}); containerd reads the last "error" line of that file.</summary>
public sealed class Log
{
    public string? File { get; set; }
    public bool Json { get; set; }
    public bool Debug { get; set; }

    public void Error(string message)
    {
        Console.Error.WriteLine("oar: " + message);
        Write("error", message);
    }

    public void Warn(string message)
    {
        Console.Error.WriteLine("oar: warning: " + message);
        Write("warning", message);
    }

    public void DebugLine(string message) { if (Debug) Write("debug", message); }

    void Write(string level, string message)
    {
        if (File is null) return;
        var time = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
        string line;
        if (Json)
        {
            var buf = new MemoryStream();
            using (var w = new Utf8JsonWriter(buf))
            {
                w.WriteStartObject();
                w.WriteString("level", level);
                w.WriteString("msg", message);
                w.WriteString("time", time);
                w.WriteEndObject();
            }
            line = Encoding.UTF8.GetString(buf.ToArray());
        }
        else line = $"time=\"{time}\" level={level} msg=\"{message.Replace("\"", "\\\"")}\"";
        try { System.IO.File.AppendAllText(File, line + "\n"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
