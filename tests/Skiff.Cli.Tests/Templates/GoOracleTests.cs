using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Skiff.Cli.Templates;

namespace Skiff.Cli.Tests.Templates;

/// <summary>Runs every <see cref="OracleCases"/> case through Go's real text/template once (go-oracle/oracle.go,
/// Debian's golang-go) and keeps the outputs and errors.</summary>
public sealed class GoOracle
{
    public readonly List<(string Output, string Error)> Results = [];

    public GoOracle()
    {
        var go = new[] { "/usr/bin/go", "/usr/lib/go/bin/go" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("the Go toolchain (apt package golang-go, in tests/setup/apt-packages.txt) is needed for the template oracle");
        var source = Path.Combine(AppContext.BaseDirectory, "Templates", "go-oracle", "oracle.go");
        var dir = Directory.CreateTempSubdirectory("skiff-templates-oracle-");
        try
        {
            var input = Path.Combine(dir.FullName, "cases.json");
            File.WriteAllText(input, CasesJson());
            var psi = new ProcessStartInfo(go, ["run", source, input])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.Environment["GOCACHE"] = "/tmp/skiff-templates-gocache";
            psi.Environment["GOPATH"] = Path.Combine(dir.FullName, "gopath");
            psi.Environment["GO111MODULE"] = "off";
            psi.Environment["GOTOOLCHAIN"] = "local";
            psi.Environment["GOFLAGS"] = "";
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"go run oracle.go failed ({p.ExitCode}): {stderr.Result}");
            using var doc = JsonDocument.Parse(stdout);
            foreach (var r in doc.RootElement.EnumerateArray())
                Results.Add((r.GetProperty("output").GetString()!, r.GetProperty("error").GetString()!));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Data with object keys sorted: Go's maps marshal sorted, the engine keeps document order.</summary>
    public static string Canonical(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(w, doc.RootElement);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var i in e.EnumerateArray()) Write(w, i);
                w.WriteEndArray();
                break;
            default:
                w.WriteRawValue(e.GetRawText());
                break;
        }
    }

    static string CasesJson()
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var c in OracleCases.All)
            {
                w.WriteStartObject();
                w.WriteString("template", c.Template);
                w.WritePropertyName("data");
                w.WriteRawValue(Canonical(c.Data));
                w.WriteBoolean("missingkeyerror", c.MissingKeyError);
                w.WriteBoolean("table", c.Table);
                w.WriteStartArray("rows");
                foreach (var r in c.Rows ?? []) w.WriteRawValue(Canonical(r));
                w.WriteEndArray();
                w.WritePropertyName("headers");
                w.WriteRawValue(c.Headers ?? "{}");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}

/// <summary>The engine's output and error for each case equal Go's text/template's, byte for byte.</summary>
public sealed class GoOracleTests(GoOracle oracle) : IClassFixture<GoOracle>
{
    public static IEnumerable<object[]> Cases() => OracleCases.All.Select((c, i) => new object[] { i, c.ToString() });

    internal static (string Output, string Error) Run(OracleCase c)
    {
        if (c.Table)
        {
            try
            {
                var headers = JsonSerializerFree.StringMap(c.Headers!);
                var option = FormatOption.Parse("table " + c.Template, TableHeaders.ContainersTable);
                var rows = c.Rows!.Select(r => { using var d = JsonDocument.Parse(GoOracle.Canonical(r)); return TemplateValue.FromJson(d.RootElement); }).ToList();
                return (option.Render(rows, headers), "");
            }
            catch (TemplateException e)
            {
                const string prefix = "template parsing error: ";
                return ("", e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message);
            }
        }
        var output = new StringBuilder();
        try
        {
            var t = GoTemplate.Parse(c.Template);
            using var doc = JsonDocument.Parse(GoOracle.Canonical(c.Data));
            t.Execute(output, TemplateValue.FromJson(doc.RootElement), missingKey: c.MissingKeyError ? MissingKey.Error : MissingKey.Default);
            return (output.ToString(), "");
        }
        catch (TemplateException e)
        {
            return (output.ToString(), e.Message);
        }
    }

    static string Quote(string s) => "«" + s.Replace("\n", "\\n").Replace("\t", "\\t") + "»";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_go_text_template(int index, string template)
    {
        _ = template;
        var expected = oracle.Results[index];
        var actual = Run(OracleCases.All[index]);
        if (expected != actual)
            Assert.Fail($"template {OracleCases.All[index]}\n go output: {Quote(expected.Output)}\nour output: {Quote(actual.Output)}\n go error: {expected.Error}\nour error: {actual.Error}");
    }
}

static class JsonSerializerFree
{
    public static Dictionary<string, string> StringMap(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}

