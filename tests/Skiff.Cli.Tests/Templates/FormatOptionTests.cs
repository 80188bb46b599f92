using System.Text.Json;
using System.Text.Json.Nodes;
using Skiff.Cli.Templates;

namespace Skiff.Cli.Tests.Templates;

/// <summary>docker's --format handling around the template engine, and behaviour of newer Go (1.22+) that the
/// Debian Go oracle predates; expectations worked out by hand from docker's and Go's documentation.</summary>
public sealed class FormatOptionTests
{
    static JsonElement J(string json) => JsonDocument.Parse(json).RootElement;

    static readonly JsonElement[] Rows =
    [
        J("""{"ID":"4f66ad9a0b2e","Names":"web-1","Status":"Up 2 hours","Labels":"a=<b>&c"}"""),
        J("""{"ID":"9a0b2e4f66ad","Names":"frontend-proxy","Status":"Exited (0)","Labels":""}"""),
    ];

    [Fact]
    public void Table_prints_docker_header_names_and_aligns_with_min_width_10_and_padding_3()
    {
        // The option as a shell passes it: a literal backslash-t, as docker users write it.
        var f = FormatOption.Parse("table {{.Names}}\\t{{.Status}}", TableHeaders.ContainersTable);
        Assert.Equal(FormatKind.Table, f.Kind);
        Assert.Equal(
            "NAMES            STATUS\n" +
            "web-1            Up 2 hours\n" +
            "frontend-proxy   Exited (0)\n",
            f.Render(Rows, TableHeaders.Containers));
    }

    [Fact]
    public void Short_columns_are_padded_to_ten()
    {
        var f = FormatOption.Parse("table {{.ID}}\t{{.RunningFor}}\t{{.Names}}", TableHeaders.ContainersTable);
        var rows = new[] { J("""{"ID":"ab","RunningFor":"1 hour ago","Names":"x"}""") };
        Assert.Equal("CONTAINER ID   CREATED      NAMES\nab             1 hour ago   x\n", f.Render(rows, TableHeaders.Containers));
    }

    [Fact]
    public void Empty_format_and_bare_table_give_the_verbs_default_table_with_a_header_even_without_rows()
    {
        foreach (var option in new string?[] { null, "", "table" })
        {
            var f = FormatOption.Parse(option, TableHeaders.NetworksTable);
            Assert.Equal(FormatKind.Table, f.Kind);
            Assert.Equal("NETWORK ID   NAME      DRIVER    SCOPE\n", f.Render(Array.Empty<JsonElement>(), TableHeaders.Networks));
        }
    }

    [Fact]
    public void Json_prints_one_object_per_line_in_document_order_without_html_escaping()
    {
        var f = FormatOption.Parse("json", TableHeaders.ContainersTable);
        Assert.Equal(FormatKind.Json, f.Kind);
        Assert.Equal(
            """
            {"ID":"4f66ad9a0b2e","Names":"web-1","Status":"Up 2 hours","Labels":"a=<b>&c"}
            {"ID":"9a0b2e4f66ad","Names":"frontend-proxy","Status":"Exited (0)","Labels":""}

            """.Replace("\r", ""),
            f.Render(Rows, TableHeaders.Containers));
    }

    [Fact]
    public void A_plain_template_renders_each_row_on_its_own_line_with_escapes_and_trimmed_spaces()
    {
        var f = FormatOption.Parse("  {{.Names}}\\t{{.ID}}\\n  ", TableHeaders.ContainersTable);
        Assert.Equal(FormatKind.Template, f.Kind);
        Assert.Equal("web-1\t4f66ad9a0b2e\n\nfrontend-proxy\t9a0b2e4f66ad\n\n", f.Render(Rows, TableHeaders.Containers));
    }

    [Fact]
    public void Header_shows_no_value_for_an_unknown_field_and_stops_at_a_failing_function()
    {
        var f = FormatOption.Parse("table {{.Names}}\t{{.Nope}}", TableHeaders.ContainersTable);
        Assert.StartsWith("NAMES            <no value>\n", f.Render(Rows, TableHeaders.Containers));

        var rows = new[] { J("""{"Names":"a","Count":1}""") };
        var g = FormatOption.Parse("table {{.Names}}\t{{if eq .Count 1}}one{{end}}\tend", TableHeaders.ContainersTable);
        // The header's eq compares "COUNT" with 1 and fails: docker keeps what was written before the error.
        Assert.Equal("NAMES     \na         one       end\n",
            g.Render(rows, new Dictionary<string, string> { ["Names"] = "NAMES", ["Count"] = "COUNT" }));
    }

    [Fact]
    public void Header_functions_keep_column_names_intact_but_pad_still_pads()
    {
        var f = FormatOption.Parse("table {{lower .Names}}\t{{json .Labels}}\t{{truncate .ID 3}}\t{{pad .Status 1 0}}", TableHeaders.ContainersTable);
        var lines = f.Render(Rows.Take(1), TableHeaders.Containers).Split('\n');
        Assert.Equal("NAMES     LABELS      CONTAINER ID    STATUS", lines[0]);
        Assert.Equal("web-1     \"a=<b>&c\"   4f6             Up 2 hours", lines[1]);
    }

    [Fact]
    public void Errors_carry_dockers_prefix()
    {
        var parse = Assert.Throws<TemplateException>(() => FormatOption.Parse("{{.Names", TableHeaders.ContainersTable));
        Assert.Equal("template parsing error: template: :1: unclosed action", parse.Message);
        var f = FormatOption.Parse("{{.Names.X}}", TableHeaders.ContainersTable);
        var exec = Assert.Throws<TemplateException>(() => f.Render(Rows, TableHeaders.Containers));
        Assert.Equal("template parsing error: template: :1:8: executing \"\" at <.Names.X>: can't evaluate field X in type interface {}", exec.Message);
        Assert.Equal(1, exec.Line);
        Assert.Equal(8, exec.Column);
    }

    [Fact]
    public void Uses_reports_fields_the_template_names()
    {
        Assert.True(FormatOption.Parse("table {{.ID}}\t{{.Size}}", TableHeaders.ContainersTable).Uses("Size"));
        Assert.False(FormatOption.Parse(null, TableHeaders.ContainersTable).Uses("Size"));
    }

    [Fact]
    public void Json_function_keeps_the_datas_member_order()
    {
        var t = GoTemplate.Parse("{{json .}} {{json .Config}}");
        Assert.Equal("""{"b":1,"a":{"z":[1.50,null],"y":"<&>"}} <no value>""".Replace("<no value>", "null"),
            t.Render(J("""{"b":1,"a":{"z":[1.50,null],"y":"<&>"}}""")));
    }

    [Fact]
    public void Range_over_an_integer_counts_from_zero_as_in_go_1_22()
    {
        Assert.Equal("012", GoTemplate.Parse("{{range 3}}{{.}}{{end}}").Render(J("{}")));
        Assert.Equal("0,1,", GoTemplate.Parse("{{range $i := .N}}{{$i}},{{end}}").Render(J("""{"N":2}""")));
        Assert.Equal("none", GoTemplate.Parse("{{range .Z}}x{{else}}none{{end}}").Render(J("""{"Z":0}""")));
    }

    [Fact]
    public void Else_with_chains_as_in_go_1_23()
    {
        var t = GoTemplate.Parse("{{with .A}}a={{.}}{{else with .B}}b={{.}}{{else}}neither{{end}}");
        Assert.Equal("a=1", t.Render(J("""{"A":1,"B":2}""")));
        Assert.Equal("b=2", t.Render(J("""{"A":0,"B":2}""")));
        Assert.Equal("neither", t.Render(J("{}")));
    }

    [Fact]
    public void Json_node_data_renders_like_json_element_data()
    {
        var node = JsonNode.Parse("""{"State":{"Status":"running","Pid":7},"Env":["A=1"]}""");
        var t = GoTemplate.Parse("{{.State.Status}} {{.State.Pid}} {{index .Env 0}}");
        Assert.Equal("running 7 A=1", t.Render(TemplateValue.FromJson(node)));
    }

    [Fact]
    public void Missing_keys_are_errors_in_missingkey_error_mode_as_docker_inspect_uses()
    {
        var t = GoTemplate.Parse("{{.State.Nope}}");
        Assert.Equal("<no value>", t.Render(J("""{"State":{}}""")));
        var e = Assert.Throws<TemplateException>(() => t.Render(J("""{"State":{}}"""), MissingKey.Error));
        Assert.Equal("template: :1:8: executing \"\" at <.State.Nope>: map has no entry for key \"Nope\"", e.Message);
    }

    [Fact]
    public void Named_templates_are_refused_with_a_clear_error()
    {
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("{{define \"x\"}}{{end}}"));
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void Tabwriter_counts_wide_runes_as_two_cells_like_dockers_copy()
    {
        Assert.Equal("名前      x\nab        y\n", new TabWriter().Format("名前\tx\nab\ty\n"));
        Assert.Equal(4, TabWriter.Width("名前"));
        Assert.Equal(5, TabWriter.Width("héllo"));
    }

    [Fact]
    public void Json_function_escapes_control_characters_like_current_go()
    {
        Assert.Equal("\"a\\bb\\fc\\u0001\\u2028\"", GoTemplate.Parse("{{json .}}").Render(J("\"a\\bb\\fc\\u0001\\u2028\"")));
    }
}
