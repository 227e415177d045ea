package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestAPIPlaceholderSaysWhatToReplace: a path copied from the docs with
// its <user_id> (or a contract {placeholder}) left in is a usage error
// that names the placeholder, before anything is sent.
func TestAPIPlaceholderSaysWhatToReplace(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for path, ph := range map[string]string{
		"/accounts/{account_id}/zt_risk_scoring/<user_id>/reset": "<user_id>",
		"/accounts/{account_id}/zt_risk_scoring/{user_id}/reset": "{user_id}",
		"/accounts/{account_id}/intel/asn/%7Basn%7D":             "%7Basn%7D",
	} {
		r := f.run(t, "", "api", "POST", path, "--yes")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "replace "+ph+" with a value") {
			t.Errorf("%s: exit %d, stderr %q", path, r.code, r.stderr)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if len(f.auditRecords(t)) != 0 {
		t.Fatal("a refused path was audited")
	}
}

// TestAPIBodyErrorHasLineAndColumn: a bad --body says where, inline or
// from a file.
func TestAPIBodyErrorHasLineAndColumn(t *testing.T) {
	f := newFixture(t, sim.Options{})
	file := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(file, []byte("{\n  \"a\": [1,\n  ]\n}"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ body, want string }{
		{"{\"a\":\n1,,}", "--body: invalid JSON at 2:3:"},
		{"@" + file, "--body @" + file + ": invalid JSON at 3:3:"},
		{`{"a":`, "--body: invalid JSON at 1:6: unexpected end of JSON input"},
	} {
		r := f.run(t, "", "api", "POST", "/accounts/{account_id}/x", "--body", tc.body, "--yes")
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("--body %q: exit %d, stderr %q, want %q", tc.body, r.code, r.stderr, tc.want)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestReadmeDemoExamplesRun runs every headless example of the README
// that uses --demo, as written, and wants each to succeed.
func TestReadmeDemoExamplesRun(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, sim.Options{})
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "go run . ")
		if !ok || !strings.Contains(cmd, "--demo") {
			continue
		}
		args := shellWords(t, cmd)
		if _, headless := commands[args[0]]; !headless || args[0] == "sim" {
			continue // the console, or a server that runs until stopped
		}
		n++
		if r := f.run(t, "", args...); r.code != ExitOK {
			t.Errorf("README example %q: exit %d, stderr %q", line, r.code, r.stderr)
		}
	}
	if n < 5 {
		t.Fatalf("found only %d --demo examples in the README", n)
	}
}

// shellWords splits a README command line as sh would for the quoting
// the examples use ('…', "…"), up to a # comment.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				t.Fatalf("unbalanced quote in %q", s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			return words
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
