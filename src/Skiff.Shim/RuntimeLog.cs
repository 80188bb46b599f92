using System.Text;
using System.Text.Json;

namespace Skiff.Shim;

/// <summary>The runtime's --log-format json file: one object per line with "level" and "msg"; the last
/// "error" (or "fatal") line says why a command failed, as containerd-shim and conmon read it.</summary>
static class RuntimeLog
{
    public static string LastError(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); } catch (IOException) { return ""; }
        string last = "";
        foreach (var line in Encoding.UTF8.GetString(data).Split('\n'))
        {
            if (line.Length == 0 || line[0] != '{') continue;
            var (level, msg) = Parse(Encoding.UTF8.GetBytes(line));
            if (level is "error" or "fatal" && msg.Length > 0) last = msg;
        }
        return last;
    }

    static (string Level, string Msg) Parse(byte[] line)
    {
        string level = "", msg = "";
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return ("", "");
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.GetString();
                r.Read();
                if (r.TokenType == JsonTokenType.String)
                {
                    if (name == "level") level = r.GetString() ?? "";
                    else if (name == "msg") msg = r.GetString() ?? "";
                }
                else r.Skip();
            }
        }
        catch (JsonException) { }
        return (level, msg);
    }
}
