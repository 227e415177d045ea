package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

const alert = `Subject: [ALERT] beacon detected
src 10.0.0.5 -> 203.0.113[.]66:443 (hxxps://login-micros0ft-support[.]example/owa)
also contacted 192.0.2.10, acme-corp.example; user bob.martin[@]acme-corp.example
attachment invoice.pdf, dropper setup.exe v1.2.3
`

func TestTriageFromStdinAsJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, alert, "triage", "--json")
	if r.code != ExitOK {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	var rep struct {
		Results []map[string]any `json:"results"`
		Total   int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if rep.Results[0]["verdict"] != "risky" {
		t.Fatalf("not most severe first: %v", rep.Results[0])
	}
	got := map[string]string{}
	for _, res := range rep.Results {
		got[res["kind"].(string)+":"+res["indicator"].(string)] = res["verdict"].(string)
	}
	for k, v := range map[string]string{
		"ip:203.0.113.66": "risky", "ip:192.0.2.10": "clean", "ip:10.0.0.5": "unknown",
		"domain:login-micros0ft-support.example": "risky", "email:bob.martin@acme-corp.example": "risky",
		"url:https://login-micros0ft-support.example/owa": "risky",
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["domain:invoice.pdf"]; ok {
		t.Error("a file name was looked up")
	}
	if !strings.Contains(r.stderr, "found ") || !strings.Contains(r.stderr, "skipped") {
		t.Errorf("stderr lacks the counts and what was skipped:\n%s", r.stderr)
	}
	// The two domains go in one bulk request, never one by one.
	if b, d := f.sim.Count("domain-intelligence-get-multiple-domain-details"), f.sim.Count("domain-intelligence-get-domain-details"); b != 1 || d != 0 {
		t.Errorf("%d bulk and %d single domain requests, want 1 and 0", b, d)
	}
}

func TestTriageFileFormatsAndExitCodes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "alert.txt")
	if err := os.WriteFile(in, []byte(alert), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.md")
	r := f.run(t, "", "triage", in, "--format", "md", "-o", out, "--fail-on", "risky")
	if r.code != ExitTriageRisky {
		t.Fatalf("--fail-on risky with risky indicators: exit %d\n%s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("-o file mode %v, want 0600", st.Mode().Perm())
	}
	if md := string(b); !strings.Contains(md, `203.0.113\[.\]66`) || strings.Contains(md, "203.0.113.66") {
		t.Errorf("markdown not defanged:\n%s", md)
	}
	if r.stdout != "" {
		t.Errorf("-o still wrote stdout: %q", r.stdout)
	}

	r = f.run(t, "", "triage", in, "--format", "csv")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "indicator,kind,verdict,riskScore,") {
		t.Fatalf("csv: exit %d\n%s", r.code, r.stdout)
	}

	// A lookup failing: exit 7, the others still in the output.
	f.sim.Inject(sim.Fault{Op: opIP, Status: 403})
	// --no-cache: the runs above left the answers in the cache.
	r = f.run(t, "", "triage", in, "--format", "ndjson", "--no-cache")
	if r.code != ExitTriageIncomplete {
		t.Fatalf("failed lookups: exit %d\n%s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n < 5 || !strings.Contains(r.stdout, `"verdict":"error"`) {
		t.Fatalf("ndjson with errors:\n%s", r.stdout)
	}
}

func TestTriageBadInputSendsNothing(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"triage", "--format", "xml"},
		{"triage", "--fail-on", "clean"},
		{"triage", "/does/not/exist"},
		{"triage", "a", "b"},
	} {
		r := f.run(t, "203.0.113.66", args...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, r.code, ExitUsage, r.stderr)
		}
	}
	r := f.run(t, strings.Repeat("x", 1<<20+1), "triage", "-")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "1 MiB") {
		t.Errorf("over 1 MiB: exit %d, %s", r.code, r.stderr)
	}
	if f.sim.Total() != 0 {
		t.Fatalf("%d requests sent for bad input", f.sim.Total())
	}
}
