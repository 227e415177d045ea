package cli

import (
	"flag"
	"io"
	"reflect"
	"testing"
)

func TestReorderArgs(t *testing.T) {
	newFS := func() (*flag.FlagSet, *bool, *string, *multiFlag) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		j := fs.Bool("json", false, "")
		r := fs.String("reason", "", "")
		var q multiFlag
		fs.Var(&q, "query", "")
		return fs, j, r, &q
	}
	tests := []struct {
		name   string
		args   []string
		json   bool
		reason string
		query  []string
		pos    []string
	}{
		{"flags after positional", []string{"1.2.3.4", "--json"}, true, "", nil, []string{"1.2.3.4"}},
		{"flags before", []string{"--json", "1.2.3.4"}, true, "", nil, []string{"1.2.3.4"}},
		{"value flag after positional", []string{"a@b.c", "--reason", "ticket 1", "--json"}, true, "ticket 1", nil, []string{"a@b.c"}},
		{"value with =", []string{"a@b.c", "--reason=x y"}, false, "x y", nil, []string{"a@b.c"}},
		{"value that looks like a flag", []string{"a@b.c", "--reason", "-1"}, false, "-1", nil, []string{"a@b.c"}},
		{"repeated flag between positionals", []string{"GET", "--query", "a=1", "/p", "--query", "b=2"}, false, "", []string{"a=1", "b=2"}, []string{"GET", "/p"}},
		{"double dash ends flags", []string{"x", "--", "--json", "-y"}, false, "", nil, []string{"x", "--json", "-y"}},
		{"single dash is positional", []string{"-"}, false, "", nil, []string{"-"}},
		{"bool with explicit value", []string{"--json=false", "x"}, false, "", nil, []string{"x"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, j, r, q := newFS()
			if err := fs.Parse(reorderArgs(fs, tc.args)); err != nil {
				t.Fatal(err)
			}
			if *j != tc.json || *r != tc.reason {
				t.Errorf("json=%v reason=%q, want %v %q", *j, *r, tc.json, tc.reason)
			}
			if !reflect.DeepEqual([]string(*q), tc.query) {
				t.Errorf("query = %q, want %q", *q, tc.query)
			}
			if got := fs.Args(); !reflect.DeepEqual(got, tc.pos) && !(len(got) == 0 && len(tc.pos) == 0) {
				t.Errorf("positionals = %q, want %q", got, tc.pos)
			}
		})
	}
}

func TestReorderArgsUnknownFlagIsReported(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(reorderArgs(fs, []string{"x", "--nope"})); err == nil {
		t.Fatal("unknown flag after a positional was accepted")
	}
}

func TestFirstPositional(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.String("profile", "", "")
	fs.Bool("json", false, "")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"ip", "x"}, 0},
		{[]string{"--profile", "ip", "domain"}, 2}, // "ip" is the profile's value
		{[]string{"--json", "ip"}, 1},
		{[]string{"--profile=p", "--json"}, -1},
		{[]string{"--json", "--", "ip"}, 2},
		{nil, -1},
	} {
		if got := firstPositional(fs, tc.args); got != tc.want {
			t.Errorf("firstPositional(%q) = %d, want %d", tc.args, got, tc.want)
		}
	}
}

func TestEscapeTerminalRunes(t *testing.T) {
	in := []byte("{\"a\":\"x\u009b2Jy\u202ez\u007f\"}")
	got := string(escapeTerminalRunes(in))
	want := `{"a":"x\u009b2Jy\u202ez\u007f"}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	plain := []byte(`{"a":"héllo"}`)
	if got := escapeTerminalRunes(plain); string(got) != string(plain) {
		t.Fatalf("plain text changed: %s", got)
	}
}
