// Command oracle renders templates with Go's real text/template, the way docker's CLI sets it up, so the
// C# engine's output can be compared with it. Input (file named by the first argument): a JSON array of cases
// {"template", "data", "missingkeyerror", "table", "rows", "headers"}. Output on stdout: a JSON array of
// {"output", "error"} in the same order.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
	"text/template"
)

type testCase struct {
	Template        string            `json:"template"`
	Data            json.RawMessage   `json:"data"`
	MissingKeyError bool              `json:"missingkeyerror"`
	Table           bool              `json:"table"`
	Rows            []json.RawMessage `json:"rows"`
	Headers         map[string]string `json:"headers"`
}

type result struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// The functions docker's templates package adds (written from its documented behaviour).
var dockerFuncs = template.FuncMap{
	"json": func(v any) string {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		if err := e.Encode(v); err != nil {
			panic(err)
		}
		return strings.TrimSpace(b.String())
	},
	"split": strings.Split,
	"join":  join,
	"title": strings.Title,
	"lower": strings.ToLower,
	"upper": strings.ToUpper,
	"pad": func(s string, prefix, suffix int) string {
		if s == "" {
			return s
		}
		return strings.Repeat(" ", prefix) + s + strings.Repeat(" ", suffix)
	},
	"truncate": func(s string, n int) string {
		if len(s) < n {
			return s
		}
		return s[:n]
	},
}

var headerFuncs = template.FuncMap{
	"json":     func(v string) string { return v },
	"split":    func(v string, _ string) string { return v },
	"join":     func(v string, _ string) string { return v },
	"title":    func(v string) string { return v },
	"lower":    func(v string) string { return v },
	"upper":    func(v string) string { return v },
	"truncate": func(v string, _ int) string { return v },
}

func join(elems any, sep string) (string, error) {
	if elems == nil {
		return "", nil
	}
	if ss, ok := elems.([]string); ok {
		return strings.Join(ss, sep), nil
	}
	rv := reflect.ValueOf(elems)
	switch rv.Kind() {
	case reflect.Array, reflect.Slice:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(rv.Index(i).Interface())
		}
		return strings.Join(parts, sep), nil
	case reflect.Map:
		var parts []string
		for _, k := range rv.MapKeys() {
			parts = append(parts, fmt.Sprint(rv.MapIndex(k).Interface()))
		}
		sort.Strings(parts)
		return strings.Join(parts, sep), nil
	}
	return "", fmt.Errorf("expected slice, got %T", elems)
}

// decode reads JSON as docker's typed structs would hold it: integers as int, other numbers as float64.
func decode(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		panic(err)
	}
	return numbers(v)
}

func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil && !strings.ContainsAny(string(x), ".eE") {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}

func run(c testCase) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r.Error = fmt.Sprint("panic: ", p)
		}
	}()
	t, err := template.New("").Funcs(dockerFuncs).Parse(c.Template)
	if err != nil {
		return result{Error: err.Error()}
	}
	if c.MissingKeyError {
		t = t.Option("missingkey=error")
	}
	if !c.Table {
		var b bytes.Buffer
		err := t.Execute(&b, decode(c.Data))
		r := result{Output: b.String()}
		if err != nil {
			r.Error = err.Error()
		}
		return r
	}
	var body bytes.Buffer
	for _, row := range c.Rows {
		if err := t.Execute(&body, decode(row)); err != nil {
			return result{Error: err.Error()}
		}
		body.WriteString("\n")
	}
	var out bytes.Buffer
	tw := tabwriter.NewWriter(&out, 10, 1, 3, ' ', 0)
	_ = t.Funcs(headerFuncs).Execute(tw, c.Headers)
	_, _ = tw.Write([]byte{'\n'})
	_, _ = body.WriteTo(tw)
	_ = tw.Flush()
	return result{Output: out.String()}
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	if err := e.Encode(results); err != nil {
		panic(err)
	}
}
