namespace Skiff.Cli.Tests.Templates;

/// <summary>One template run: over <see cref="Data"/>, or (Table) over rows with a header map as docker's table.</summary>
public sealed record OracleCase(string Template, string Data = OracleCases.Container, bool MissingKeyError = false,
    bool Table = false, string[]? Rows = null, string? Headers = null)
{
    public override string ToString() => (Table ? "table " : MissingKeyError ? "missingkey=error " : "") + Template;
}

/// <summary>Templates docker users write, and the corners of Go's semantics, compared with Go's own text/template.</summary>
public static class OracleCases
{
    public const string Container = """
    {
      "Id": "4f66ad9a0b2e1c3d5e7f90a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4d5e",
      "Name": "/web-1",
      "Created": "2024-05-01T10:00:00.123456789Z",
      "Path": "sh", "Args": ["-c", "sleep 1000"],
      "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 4242, "ExitCode": 0,
                "StartedAt": "2024-05-01T10:00:01Z", "Health": null},
      "Config": {"Hostname": "4f66ad9a0b2e", "Env": ["PATH=/usr/bin:/bin", "A=1", "B=2", "C=3"],
                 "Cmd": ["sh", "-c", "sleep 1000"], "Entrypoint": null, "Image": "busybox:latest",
                 "Labels": {"com.example.k": "v1", "maintainer": "me <me@example.com>", "empty": ""},
                 "ExposedPorts": {"80/tcp": {}}, "Tty": false, "StopSignal": "SIGTERM"},
      "HostConfig": {"Binds": null, "Memory": 0, "NanoCpus": 1500000000, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}},
      "Mounts": [{"Type": "bind", "Source": "/srv/data", "Destination": "/data", "RW": true},
                 {"Type": "volume", "Name": "cache", "Source": "/var/lib/skiff/volumes/cache/_data", "Destination": "/cache", "RW": false}],
      "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2", "Gateway": "172.17.0.1", "Aliases": null},
                                       "backend": {"IPAddress": "10.1.0.5", "Gateway": "10.1.0.1", "Aliases": ["web", "w1"]}},
                          "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}},
      "Empty": [], "EmptyMap": {}, "Zero": 0, "F": 1.5, "Big": 1234567.5, "Small": 0.00001, "Neg": -2.5,
      "Whole": 2.0, "Huge": 100000000000000000000, "Unicode": "héllo 世界", "Html": "<b>&amp;</b>",
      "Nested": [[1, 2], [3]], "Mixed": [1, "a", null, true, {"k": "v"}]
    }
    """;

    const string Ps1 = """{"Command":"\"sh -c 'sleep 1000'\"","CreatedAt":"2024-05-01 10:00:00 +0000 UTC","ID":"4f66ad9a0b2e","Image":"busybox","Labels":"com.example.k=v1,maintainer=me","LocalVolumes":"1","Mounts":"cache","Names":"web-1","Networks":"bridge,backend","Ports":"0.0.0.0:8080->80/tcp","RunningFor":"2 hours ago","Size":"0B","State":"running","Status":"Up 2 hours"}""";
    const string Ps2 = """{"Command":"\"nginx -g 'daemon of…\"","CreatedAt":"2024-05-01 09:00:00 +0000 UTC","ID":"9a0b2e4f66ad","Image":"nginx:1.25-alpine-with-a-long-name","Labels":"","LocalVolumes":"0","Mounts":"","Names":"frontend-proxy-long-name","Networks":"bridge","Ports":"","RunningFor":"3 hours ago","Size":"1.09kB","State":"exited","Status":"Exited (0) 5 minutes ago"}""";
    const string PsHeaders = """{"ID":"CONTAINER ID","Names":"NAMES","Image":"IMAGE","Command":"COMMAND","CreatedAt":"CREATED AT","RunningFor":"CREATED","Ports":"PORTS","State":"STATE","Status":"STATUS","Size":"SIZE","Labels":"LABELS","Mounts":"MOUNTS","LocalVolumes":"LOCAL VOLUMES","Networks":"NETWORKS"}""";

    static OracleCase T(string template, string[]? rows = null) =>
        new(template, Table: true, Rows: rows ?? [Ps1, Ps2], Headers: PsHeaders);

    public static readonly OracleCase[] All =
    [
        // fields and printing
        new("{{.State.Status}}"), new("{{.Name}}"), new("{{.Id}}"), new("{{.Config.Env}}"), new("{{.Config.Cmd}}"),
        new("{{.Config}}"), new("{{.Mounts}}"), new("{{.State}}"), new("{{.NetworkSettings.Networks}}"),
        new("{{.State.Pid}}"), new("{{.State.Running}}"), new("{{.State.Paused}}"), new("{{.HostConfig.NanoCpus}}"),
        new("{{.F}} {{.Big}} {{.Small}} {{.Neg}} {{.Whole}} {{.Huge}} {{.Zero}}"), new("{{.Unicode}}"), new("{{.Html}}"),
        new("{{.Nested}}"), new("{{.Mixed}}"), new("{{.Empty}}"), new("{{.EmptyMap}}"), new("{{.Config.ExposedPorts}}"),
        new("{{.Missing}}"), new("{{.Missing.Deeper}}"), new("{{.State.Missing}}"), new("{{.HostConfig.Binds}}"),
        new("{{.State.Health}}"), new("{{.HostConfig.Binds.X}}"), new("{{.}}", "\"just a string\""), new("{{.}}", "42"),
        new("{{.}}", "null"), new("{{.X}}", "null"), new("{{.}}", "[1,2.5,\"x\"]"), new("{{.}}", "{}"),
        new("{{$}}", "true"), new("{{.NetworkSettings.Ports}}"),
        // text, trimming, comments
        new("plain text"), new("a {{- .Name -}} b"), new("a  {{- \" x \" -}}  b"), new("a\n\t {{- .Name}}\n"),
        new("{{.Name -}}\n\n  end"), new("x{{/* comment */}}y"), new("x {{- /* c */ -}} y"), new("{{- /* c */}}"),
        new("{{/* multi\nline */}}ok"), new("{{-3}}"), new("{{- 3}}"), new("{{3 -}}"), new("{{ .Name }}"),
        new("{{\n.Name\n}}"), new("line1\nline2 {{.Name}}\nline3"),
        // literals
        new("{{\"esc\\t\\\"q\\\" \\u00e9 \\x41\"}}"), new("{{`raw\\n`}}"), new("{{'a'}} {{'\\n'}}"), new("{{0x1F}} {{0o17}} {{0b101}} {{010}}"),
        new("{{1e3}} {{1.5e-3}} {{3.0}} {{-5}} {{+7}} {{1_000}}"), new("{{true}} {{false}}"), new("{{1.0 | printf \"%T\"}}"),
        new("{{\"a\" | printf \"%s%s\" \"b\"}}"),
        // variables
        new("{{$x := .Name}}{{$x}}"), new("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"),
        new("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}"), new("{{$.Name}}"),
        new("{{range .Config.Env}}{{$.Name}} {{end}}"), new("{{$m := index .Mounts 0}}{{$m.Source}}"),
        new("{{$x := .Missing}}{{$x}}{{$x.Y}}"), new("{{$n := .HostConfig.Binds}}{{$n.Y}}"), new("{{$a := 1}}{{$b := 2}}{{$a}}{{$b}}"),
        // if / else if / with
        new("{{if .State.Running}}up{{else}}down{{end}}"),
        new("{{if eq .State.Status \"running\"}}R{{else if eq .State.Status \"exited\"}}E{{else}}?{{end}}"),
        new("{{if .Missing}}y{{else if .Empty}}e{{else if .Zero}}z{{else}}none{{end}}"),
        new("{{if .Config.Labels}}L{{end}}{{if .EmptyMap}}M{{end}}{{if .Config.Entrypoint}}N{{end}}{{if .F}}F{{end}}{{if \"\"}}S{{end}}"),
        new("{{with .State}}{{.Status}} {{.Pid}}{{end}}"), new("{{with .Missing}}x{{else}}none{{end}}"),
        new("{{with $x := .State.Status}}{{$x}}{{end}}"), new("{{with .Config.Labels}}{{index . \"com.example.k\"}}{{end}}"),
        new("{{if $x := .Name}}{{$x}}{{end}}"), new("{{with .State}}{{.Foo.Bar}}{{end}}"),
        // range
        new("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}"),
        new("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}"),
        new("{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}"), new("{{range $e := .Config.Env}}[{{$e}}]{{end}}"),
        new("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"),
        new("{{range $name, $net := .NetworkSettings.Networks}}{{$name}}={{$net.IPAddress}} {{end}}"),
        new("{{range .Empty}}x{{else}}empty{{end}}"), new("{{range .Missing}}x{{else}}none{{end}}"),
        new("{{range .EmptyMap}}x{{else}}nomap{{end}}"), new("{{range .Name}}{{end}}"), 
        new("{{range .Config.Env}}{{if eq . \"B=2\"}}{{break}}{{end}}{{.}} {{end}}"),
        new("{{range .Config.Env}}{{if eq . \"A=1\"}}{{continue}}{{end}}{{.}} {{end}}"),
        new("{{range $i, $e := .Config.Env}}{{if $i}},{{end}}{{$e}}{{end}}"), new("{{range .Nested}}{{range .}}{{.}}{{end}}|{{end}}"),
        new("{{range .Mixed}}{{.}},{{end}}"), new("{{range $i, $v := .Config.Labels}}{{$i}}{{end}}"),
        new("{{range $x := .Config.Env}}{{end}}{{$x}}"), new("{{range .Mounts}}{{.Name}};{{end}}"),
        new("{{range $k, $v := .NetworkSettings.Ports}}{{$k}}->{{(index $v 0).HostPort}}{{end}}"),
        // chains and parens
        new("{{(index .Mounts 0).Source}}"), new("{{(.State).Status}}"), new("{{(index .Mounts 1).Missing}}"),
        new("{{(index .Mixed 2).X}}"), new("{{(print \"a\").X}}"), new("{{len (index .Mounts 0)}}"),
        new("{{printf \"%s/%d\" (.State.Status) (len .Mounts)}}"),
        // pipelines
        new("{{.Name | printf \"%q\"}}"), new("{{.Name | len}}"), new("{{.Name | upper | lower}}"),
        new("{{.State.Status | printf \"%s-%s\" \"x\"}}"), new("{{.Config.Env | join \",\"}}"), new("{{\"x\" | .Name}}"),
        new("{{.Name | .State}}"), new("{{.Missing | print}}"), new("{{.Missing | lower}}"), new("{{.HostConfig.Binds | lower}}"),
        new("{{.State.Pid | printf \"%05d\"}}"),
        // printf
        new("{{printf \"%s is %d\" .Name .State.Pid}}"), new("{{printf \"%5s|%-5s|\" \"a\" \"b\"}}"),
        new("{{printf \"%05d %x %X %o %b %O\" 42 255 255 8 5 8}}"), new("{{printf \"%v %v %v\" .Config.Env .Config.Labels .State.Running}}"),
        new("{{printf \"%t %v\" true false}}"), new("{{printf \"%d\" \"x\"}}"), new("{{printf \"%d\"}}"), new("{{printf \"%d\" 1 2 \"s\"}}"),
        new("{{printf \"%.2f %e %g %G %E\" 3.14159 1234.5678 0.000012345 1e21 5.0}}"),
        new("{{printf \"%6.2f|%-8.3f|%+d|% d|%+.1f|%08.3f|%-08d|\" 3.14159 2.5 5 5 2.25 -3.14159 7}}"),
        new("{{printf \"%x %X % x %#x\" \"hi\" \"hi\" \"hi\" \"hi\"}}"), new("{{printf \"%q %c %U %#U\" 65 66 67 0x1F600}}"),
        new("{{printf \"%#x %#o %#b\" 255 8 5}}"), new("{{printf \"%s\" .Config.Env}}"), new("{{printf \"%d\" .Config.Env}}"),
        new("{{printf \"%v|%s|%d\" .Missing nil .Missing}}"), new("{{printf \"100%%\"}}"),
        new("{{printf \"%T %T %T %T %T %T\" 1 \"s\" .Config.Env .Config.Labels 1.5 true}}"), new("{{printf \"%T\" .Missing}}"),
        new("{{printf \"%q\" .Config.Env}}"), new("{{printf \"%v\" .Mixed}}"), new("{{printf \"%5.1s|%.3s|%.0d|\" \"abc\" \"héllo\" 0}}"),
        new("{{printf \"%x\" -255}} {{printf \"%d\" -0}} {{printf \"%5t|\" true}}"), new("{{printf \"%!\"}}"), new("{{printf \"%z\" 1}}"),
        new("{{printf \"%s\" 1.5}} {{printf \"%d\" 1.5}} {{printf \"%f\" 1}}"), new("{{printf \"%v %.3v %10.4v|\" 1e6 3.14159 2.0}}"),
        new("{{printf \"%g %g %g %g\" 100000.0 1000000.0 0.0001 0.00001}}"), new("{{printf \"%*d|%-*d|\" 5 42 4 7}}"),
        new("{{printf \"%q\" \"tab\\there \\u00e9 \\x01\"}}"), new("{{printf \"%+q\" \"é\"}}"), new("{{printf \"%#q\" \"back\"}}"),
        new("{{printf \"%6.2v|\" \"abc\"}}"), new("{{printf \"%05s|%-5d|\" \"ab\" 3}}"), new("{{printf \"%v\" .Html}}"),
        new("{{printf \"%.1f %.0f %.1f %.2f\" 0.25 2.5 0.05 1.005}}"), new("{{printf \"%e\" 0.0}} {{printf \"%g\" 0.0}} {{printf \"%v\" -0.0}}"),
        // print / println
        new("{{print 1 2 \"a\" \"b\" 3 true}}"), new("{{println 1 \"a\" .Config.Env}}"), new("{{print .Missing}}"),
        new("{{print nil}}"), new("{{print}}"), new("{{print .Config.Labels .Mounts}}"), new("{{print 1.5 2}}"),
        // comparisons
        new("{{eq 1 1}} {{eq 1 2 3 1}} {{eq \"a\" \"a\"}} {{ne .Name \"x\"}}"), new("{{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}"),
        new("{{eq 1 1.0}}"), new("{{eq .Missing \"x\"}}"), new("{{lt .Missing 1}}"), new("{{eq .Config.Env .Config.Env}}"),
        new("{{eq .State.Pid 4242}}"), new("{{eq .State.Running true}}"), new("{{lt \"a\" 1}}"), new("{{eq}}"), new("{{eq 1}}"),
        new("{{eq .HostConfig.Binds .Missing}}"), new("{{ne 1 2}} {{ne \"a\" \"a\"}}"), new("{{lt true false}}"),
        new("{{eq (index .Name 0) 47}}"), new("{{gt .State.Pid 100}} {{le .F 1.5}}"), new("{{eq .Config.Labels .Config.Labels}}"),
        // and / or / not
        new("{{and 1 0}} {{and 1 \"x\"}} {{or 0 \"\"}} {{or 0 \"y\"}} {{not 0}} {{not .Name}}"), new("{{and .Missing .Name}}"),
        new("{{or .Missing .Name}}"), new("{{if and .State.Running (eq .State.Pid 4242)}}yes{{end}}"), new("{{and}}"),
        new("{{or .Empty .EmptyMap}}"), new("{{and 1 (index .Config.Env 99)}}"), new("{{or 1 (index .Config.Env 99)}}"),
        new("{{.Name | and 1}}"), new("{{\"\" | or 0}}"), new("{{not .Missing}} {{not .Empty}} {{not .HostConfig.Binds}}"),
        // index / slice / len
        new("{{index .Config.Env 0}}"), new("{{index .Config.Env 4}}"), new("{{index .Config.Env -1}}"), new("{{index .Name 0}}"),
        new("{{index .Mounts 0 \"Source\"}}"), new("{{index . \"Name\"}}"), new("{{index .Missing 0}}"), new("{{index .Config.Env \"x\"}}"),
        new("{{index .Config.Labels \"com.example.k\"}}"), new("{{index .Config.Labels \"missing\"}}"), new("{{index .Config.Labels .Missing}}"),
        new("{{index .Config.Labels 1}}"), new("{{index .State.Pid 0}}"), new("{{index .Config.Env}}"), new("{{index .HostConfig.Binds 0}}"),
        new("{{index .Nested 0 1}}"), new("{{index .Mixed 2}}"), new("{{index .Config.Env 1.0}}"), new("{{index .Config.Env .Zero}}"),
        new("{{slice .Name 1 3}}"), new("{{slice .Config.Env 1}}"), new("{{slice .Config.Env 1 2}}"), new("{{slice .Name 5 2}}"),
        new("{{slice .Name}}"), new("{{slice .State.Pid 1}}"), new("{{slice .Name 0 99}}"), new("{{slice .Name 1 2 3}}"),
        new("{{len .Mounts}} {{len .Name}} {{len .Config.Labels}} {{len .Unicode}} {{len .Empty}}"), new("{{len 3}}"),
        new("{{len .HostConfig.Binds}}"), new("{{len .Missing}}"), new("{{len nil}}"),
        // docker functions
        new("{{join .Config.Env \",\"}}"), new("{{join (split \"a:b:c\" \":\") \"-\"}}"), new("{{split \"a,b\" \",\"}}"),
        new("{{split .Name \"\"}}"), new("{{join .Config.Labels \",\"}}"), new("{{join .Missing \",\"}}"), new("{{join .Mixed \"|\"}}"),
        new("{{join .Name \",\"}}"), new("{{split \"\" \",\"}}"), new("{{len (split \"a,b,c\" \",\")}}"),
        new("{{title \"hello world-foo_bar x.y 1a\"}}"), new("{{lower \"ABC Déf\"}} {{upper .Name}}"), new("{{pad .Name 2 3}}|"),
        new("{{pad \"\" 2 3}}|"), new("{{truncate .Id 12}}"), new("{{truncate \"ab\" 5}}|{{truncate \"ab\" 2}}|{{truncate \"ab\" 0}}|"),
        new("{{lower .State.Pid}}"), new("{{lower .Missing}}"), new("{{truncate .Name .State.Pid}}"), new("{{truncate .Name \"3\"}}"),
        new("{{pad .Name 1}}"), new("{{upper}}"), new("{{lower nil}}"), new("{{lower 3}}"), new("{{title .Config.Env}}"),
        new("{{truncate .Name 2.0}}"), new("{{truncate .Name 2.5}}"),
        // json
        new("{{json .Config}}"), new("{{json .Config.Labels}}"), new("{{json .Name}}"), new("{{json .State.Pid}}"),
        new("{{json \"<a&b>\"}}"), new("{{json .Missing}}"), new("{{json .HostConfig.Binds}}"), new("{{json (split \"a b\" \" \")}}"),
        new("{{json 1.5}} {{json 1e21}} {{json 0.0000001}} {{json 100}}"), new("{{json .Config.Env}}"), new("{{json .Mounts}}"),
        new("{{json .Mixed}}"), new("{{json .Html}}"), new("{{json \"tab\\tnl\\nq\\\"bs\\\\ \\u2028 é \\x01\"}}"),
        new("{{json .Unicode}}"), new("{{json .F}} {{json .Big}} {{json .Neg}}"), new("{{json .Empty}} {{json .EmptyMap}}"),
        new("{{json .NetworkSettings}}"), new("{{json .}}", "{\"b\":1,\"a\":[true,null]}"),
        // html / urlquery
        new("{{html \"<a href='x'>&\\\"</a>\"}}"), new("{{urlquery \"a b&c=d/é~._-\"}}"), new("{{html 1 2}}"), new("{{urlquery .Config.Env}}"),
        // parse errors
        new("{{.Name"), new("{{end}}"), new("{{if .X}}"), new("{{foo}}"), new("{{$x}}"), new("{{.Name | }}"), new("{{range}}{{end}}"),
        new("{{else}}"), new("{{\"unterminated}}"), new("{{break}}"), new("{{ .A | 3 }}"), new("{{/* unclosed"), new("{{(.A}}"),
        new("{{.A)}}"), new("{{3.X}}"), new("{{.A #}}"), new("line1\n{{.Name}}\n{{.Missing.X | foo}}"), new("{{if}}{{end}}"),
        new("{{range .A}}{{else}}{{else}}{{end}}"), new("{{with .A}}{{else if .B}}{{end}}"), new("{{$x := 1}}{{end}}"),
        new("{{1a}}"), new("{{.A.}}"), new("{{`unterminated}}"), new("{{'ab'}}"), new("{{.A}}{{/* a */ .B}}"), new("{{$x := }}"),
        new("{{\"\\q\"}}"), new("{{.A\n.B"), new("{{if .A}}\n{{else}}\n{{else if .B}}{{end}}"), new("{{range $a, $b, $c := .X}}{{end}}"),
        new("{{$x, $y := 1}}"), new("{{99999999999999999999}}"), new("{{0x}}"), new("{{.A | nil}}"), new("{{(1).X}}"), new("{{!}}"),
        new("{{.A := 1}}"), new("{{$x = 1}}"), new("{{$ := 1}}{{$}}"),
        new("{{range .Config.Env}}{{end}}{{continue}}"), new("{{if .A}}{{break}}{{end}}"),
        // execution errors
        new("{{.Name.X}}"), new("{{.Config.Env.X}}"), new("{{.State.Pid.X}}"), new("{{.Name 1}}"), new("{{nil}}"),
        new("{{.Missing 1}}"), new("{{$.Name.X}}"), new("{{(index .Mixed 0).X}}"), new("line1\n  {{.Name.X}}"),
        new("é{{.Name.X}}"), new("{{printf \"%s\" .Config.Labels.Missing.X}}"), new("{{.Config.VeryLongFieldNameIndeed.X.Y}}"),
        new("before {{index .Config.Env 9}} after"), new("{{.State.Status}} {{.Name.Y}}"), new("{{range .Config.Env}}{{.X}}{{end}}"),
        new("{{with .State}}{{.Pid.X}}{{end}}"), new("{{1 2}}"), new("{{\"a\" 1}}"), new("{{. 1}}"), new("{{$x := 1}}{{$x 2}}"),
        new("{{(1) 2}}"), new("{{true | printf \"%v\"}}"), new("{{1 | printf \"%d\"}}"),
        // missingkey=error (docker inspect's raw path)
        new("{{.Missing}}", MissingKeyError: true), new("{{.State.Missing}}", MissingKeyError: true),
        new("{{.State.Status}}", MissingKeyError: true), new("{{.HostConfig.Binds}}", MissingKeyError: true),
        new("{{$x := .Missing}}", MissingKeyError: true), new("{{.Missing.Deeper}}", MissingKeyError: true),
        new("{{index .Config.Labels \"nope\"}}", MissingKeyError: true), new("{{range .Mounts}}{{.Name}}{{end}}", MissingKeyError: true),
        new("{{with .Missing}}x{{end}}", MissingKeyError: true), new("{{.X.Y}}", "null", MissingKeyError: true),
        // tables (docker's ps --format "table ...")
        T("{{.ID}}\t{{.Names}}\t{{.Status}}"), T("{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"),
        T("{{.Names | upper}}\t{{json .Labels}}\t{{pad .Status 1 1}}\t{{truncate .ID 4}}"), T("{{.Names}}\t{{.Foo}}"),
        T("{{.Names}}"), T("{{.Names}}\t{{.Ports}}\t"), T("{{.Names}}\t{{.Labels}}\t{{.Size}}"), T("{{.ID}}\t{{.Names}}", []),
        T("{{.ID}}\t{{.Names}}\n{{.Status}}"), T("{{.Names}}: {{.Status}}"), T("{{.Names}}\t{{.Mounts}}\t{{.Networks}}"),
        T("{{.ID}}\t{{.CreatedAt}}\t{{.State}}\t{{.LocalVolumes}}"), T("{{.ID}}\t{{.Names}}\t{{.Label \"x\"}}"),
        T("{{.ID}}\t{{split .Labels \",\"}}\t{{.Names}}"), T("{{lower .ID}}\t{{title .Names}}\t{{.Status | printf \"%.4s\"}}"),
        T("{{if eq .State \"running\"}}UP{{else}}--{{end}}\t{{.Names}}"),
        // more corners: spacing, trimming, lexing
        new("{{.Name|printf \"%s!\"}}"), new("{{ .Name|len }}"), new("{{.Config.Env|len|printf \"%03d\"}}"), new("a\n{{- \"\" -}}\nb"),
        new("{{- .Name}}   \n\n"), new("   {{- .Name -}}   "), new("{{.Name}}{{/* x */}}{{.Name}}"), new("{{ /* spaced */ }}"),
        new("{{.Name}} {{- /* c */}} x"), new("{{if true -}} \n yes \n {{- end}}"), new("{{range .Config.Cmd -}}\n  [{{.}}]\n{{- end}}"),
        new("{{\"}}\"}}"), new("{{`{{`}}"), new("{{\"{{.Name}}\"}}"), new("{{.Name}}}}"), new("{{{{.Name}}"), new("{ {.Name}}"),
        new("{{.Config.Labels.maintainer}}"), new("{{.Config.Labels.com}}"), new("{{index .Config.Labels \"maintainer\" | html}}"),
        new("{{range $k, $v := .Config.ExposedPorts}}{{$k}}={{$v}}{{end}}"), new("{{$p := .NetworkSettings.Ports}}{{index $p \"80/tcp\"}}"),
        new("{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}"), new("{{range .Config.Env}}{{split . \"=\"}}{{end}}"),
        new("{{range .Config.Env}}{{index (split . \"=\") 0}} {{end}}"), new("{{with index .Config.Labels \"empty\"}}x{{else}}empty label{{end}}"),
        new("{{if not .State.Paused}}active{{end}}"), new("{{if or .State.Paused .State.Running}}busy{{end}}"),
        new("{{if and .State.Running (not .State.Paused) (gt .State.Pid 0)}}ok{{end}}"),
        new("{{range $i, $m := .Mounts}}{{if gt $i 0}}, {{end}}{{$m.Type}}{{end}}"), new("{{len .NetworkSettings.Networks}} networks"),
        new("{{range .Mounts}}{{if .RW}}rw{{else}}ro{{end}} {{end}}"), new("{{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}}"),
        new("{{printf \"%-12s|%12s|\" .State.Status .Name}}"), new("{{printf \"%.3s\" .Id}}"), new("{{printf \"%3c|%-4q|\" 'x' 'y'}}"),
        new("{{printf \"%v %d\" .State.Pid .State.Pid}} {{printf \"%x\" .State.Pid}}"), new("{{printf \"%s %v\" .Config.Labels .Config.Labels}}"),
        new("{{printf \"%08.3f|%+08d|%-+6d|% 05d\" 3.14159 42 42 42}}"), new("{{printf \"%.10g %.3g %.1g\" 123456789.0 123456.0 0.15}}"),
        new("{{printf \"%g %v %v %v\" 1e20 1e21 123456789.0 0.000001}}"), new("{{printf \"%e %E %.2e\" 123456.789 0.000123 9.999}}"),
        new("{{printf \"%v\" .Huge}} {{.Small}} {{printf \"%f\" .Small}}"), new("{{printf \"%5.2f%%\" 12.345}}"),
        new("{{printf \"%d %s\" 1}}"), new("{{printf \"%-5v|%5v|\" .Config.Env true}}"),
        new("{{printf \"%6.3v|%-6.2v|\" 3.14159 \"abcdef\"}}"), new("{{printf \"%#v\" 5}}"), new("{{printf \"%c%c\" 0x4e16 0x754c}}"),
        new("{{printf \"%q\" \"\\u2028\\u00a0\\ufeff\"}}"), new("{{printf \"%b\" -5}}"),
        new("{{print \"a\" 1 2 \"b\" nil .Missing}}"), new("{{println}}"), new("{{print 1.0 2.50 -0.5}}"),
        new("{{slice .Config.Env 0 0}}|{{slice .Name 6}}|{{slice .Name 7}}"), new("{{slice .Config.Env 2 1}}"),
        new("{{index .Unicode 1}} {{len (slice .Unicode 1 3)}}"), new("{{eq (slice .Name 0 1) \"/\"}}"),
        new("{{upper .Unicode}} {{title .Unicode}} {{lower \"ÀÉÎ\"}}"), new("{{truncate .Unicode 2}}"), new("{{pad .Unicode 0 1}}|"),
        new("{{join (split .Unicode \"\") \"|\"}}"), new("{{json (split .Unicode \" \")}}"), new("{{len .Unicode}} {{printf \"%-10s|\" .Unicode}}"),
        new("{{eq .F 1.5}} {{lt .Neg .F}} {{eq .Whole 2.0}} {{eq .Zero 0}}"), new("{{eq .F 1}}"), new("{{eq .Huge .Huge}}"),
        new("{{if .Small}}small{{end}} {{if .Neg}}neg{{end}} {{if .Whole}}w{{end}}"), new("{{and .F .Zero}} {{or .Zero .F}}"),
        new("{{$x := 0}}{{range .Config.Env}}{{$x = .}}{{end}}{{$x}}"), new("{{range $i, $_ := .Config.Env}}{{$i}}{{end}}"),
        new("{{$i := 99}}{{range $i, $e := .Empty}}{{end}}{{$i}}"), new("{{range $k, $v := .Config.Labels}}{{if eq $k \"empty\"}}{{continue}}{{end}}{{$k}} {{end}}"),
        new("{{range .Nested}}{{range .}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}};{{end}}"), new("{{with .State}}{{$.Name}}{{.Pid}}{{end}}"),
        new("{{with $s := .State}}{{with $s.Pid}}{{.}}{{$s.Status}}{{end}}{{end}}"),
        new("{{if .A}}{{else}}{{end}}"), new("{{if true}}{{end}}x"), new("{{range .Config.Env}}{{end}}"), new("{{range .Config.Env}}{{.}}{{else}}no{{end}}"),
        new("{{with .F}}{{printf \"%.1f\" .}}{{end}}"), new("{{if eq .State.Status \"exited\" \"running\"}}in{{end}}"),
        new("{{.Config.Env | printf \"%v %v\" .Name}}"), new("{{json .Config.Labels | len}}"), new("{{. | printf \"%T\"}}"),
        new("{{(.).Name}}"), new("{{(index .Mounts 0 | print)}}"), new("{{print (print 1) (print 2)}}"), new("{{((.Name))}}"),
        new("{{.Name | print | print | len}}"), new("{{print .Name | print .Id | len}}"), new("{{.Config.Env | index}}"),
        new("{{index .Config.Env | print}}"), new("{{.Missing.Deeper | print}}"), new("{{print (.Missing)}}"), new("{{json (.Missing)}}"),
        new("{{$.Missing.X}}"), new("{{.State | len}}"), new("{{else if}}"), new("{{end x}}"), new("{{if .A}}{{end x}}"),
        new("{{range .A}}{{break x}}{{end}}"), new("{{.A | $x}}"), new("{{$x := 1 | $x}}"), new("{{(1|2)}}"), new("{{1 | 2}}"),
        new("{{.Name | \"x\"}}"), new("{{\"a\" \"b\"}}"), new("{{\"\\a\\b\\f\\v\\0\"}}"), new("{{'\\''}} {{'\"'}} {{'\\x41'}} {{'\\u00e9'}}"),
        new("{{0x_1F}} {{0b_1}} {{1__0}}"), new("{{1_}}"), new("{{.5}} {{-.5}} {{5.}}"),
        new("{{$ }}"), new("{{$.}}"), new("{{.Name.Foo.Bar}}"), new("{{$x:=1}}{{$x}}"), new("{{$x:= 1}}{{$x}}"), new("{{$x :=1}}{{$x}}"),
        new("{{\n  if .State.Running\n}}R{{\n  end\n}}"), new("{{range\t.Config.Cmd}}{{.}}{{end}}"), new("{{ .Name\r\n}}"),
        new("text\nmore {{.Missing.X.Y}}"), new("1\n2\n3{{.Name.X}}"), new("{{.Name}}\n{{.Name.X}}"), new("{{if .A}}\n{{.B}"),
        new("{{\"a\"\n}}"), new("{{/*\n*/}}x{{.Name.X}}"), new("x\n{{/* c */}}\n{{.Name.X}}"),
        new("{{range $i, $e := .Config.Env}}{{$i}}{{end}}", MissingKeyError: true), new("{{index . \"Missing\"}}", MissingKeyError: true),
        new("{{.Config.Labels.nope}}", MissingKeyError: true), new("{{if .Missing}}x{{end}}", MissingKeyError: true),
        new("{{$.Missing}}", MissingKeyError: true), new("{{(index .Mounts 0).Name}}", MissingKeyError: true),
        new("{{(index .Mounts 1).Name}}", MissingKeyError: true), new("{{.HostConfig.Binds.X}}", MissingKeyError: true),
        // more tables
        T("{{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}", [Ps2, Ps1, Ps2]), T("x\t{{.Names}}"), T("{{.Names}}\t\t{{.ID}}"),
        T("\t{{.Names}}"), T("{{.Status}}"), T("{{.Names}}\t{{.Status}}", [Ps1]),
        T("{{.ID}}\t{{.Names}}\t{{if .Ports}}{{.Ports}}{{else}}-{{end}}"), T("{{.Command}}\t{{.Names}}"),
        T("{{.Names}} ({{.ID}})\t{{.Status}}"), T("{{printf \"%-20s\" .Names}}\t{{.Status}}"),
        T("{{.ID}}\t{{.Names}}\t{{.Size}}\t{{.Labels}}"), T("{{range split .Networks \",\"}}{{.}}\t{{end}}"),
        T("{{.Names}}\t{{.Nope.X}}"), T("{{.Names}}\t{{len .Names}}"), T("{{.ID}}\t{{index .Names 0}}"),
        T("{{.ID}}\t{{slice .Names 0 3}}"), T("{{.ID}}\t{{.Names | printf \"%q\"}}"), T("{{json .}}"),
    ];
}
