package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

func TestCaseCommands(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "case", "add", sim.IPRiskyC2); r.code != ExitUsage || !strings.Contains(r.stderr, "no active case") {
		t.Fatalf("add without a case: %d %q", r.code, r.stderr)
	}
	if f.sim.Total() != 0 {
		t.Fatalf("add without a case sent %d requests", f.sim.Total())
	}
	if r := f.run(t, "", "case", "new", "INC-9"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := f.run(t, "", "case", "new", "INC-9"); r.code != ExitUsage {
		t.Errorf("duplicate case: %d", r.code)
	}
	if r := f.run(t, "", "case", "add", sim.IPRiskyC2, "not an indicator!"); r.code != ExitUsage || f.sim.Total() != 0 {
		t.Errorf("a bad indicator: exit %d, %d requests (want 2, none)", r.code, f.sim.Total())
	}
	r := f.run(t, "", "case", "add", sim.IPRiskyC2, sim.DomainPhishing, sim.EmailFewEvents)
	if r.code != 0 || strings.Count(r.stdout, "Pinned ") != 3 {
		t.Fatalf("add: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := f.run(t, "", "case", "note", "blocked", "at", "the", "gateway"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-9 reset", "--yes"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = f.run(t, "", "case", "list", "--json")
	var list struct {
		Cases []map[string]any `json:"cases"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Cases) != 1 || list.Cases[0]["items"] != float64(3) || list.Cases[0]["active"] != true {
		t.Errorf("case list --json: %v %s", err, r.stdout)
	}
	r = f.run(t, "", "case", "show", "INC-9")
	for _, want := range []string{"Case INC-9", sim.IPRiskyC2, "note: blocked at the gateway", "risk reset of " + sim.EmailFewEvents + ": success", "INC-9 reset"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("case show lacks %q:\n%s", want, r.stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "case.md")
	if r := f.run(t, "", "case", "export", "INC-9", "--format", "md", "-o", out); r.code != 0 {
		t.Fatal(r.stderr)
	}
	assertMode(t, out, 0o600)
	md, _ := os.ReadFile(out)
	if !strings.Contains(string(md), "## Summary") || strings.Contains(string(md), sim.IPRiskyC2) {
		t.Errorf("exported Markdown:\n%s", md)
	}
	for _, format := range []string{"json", "stix"} {
		r := f.run(t, "", "case", "export", "INC-9", "--format", format, "--mask-pii")
		if r.code != 0 || !json.Valid([]byte(r.stdout)) {
			t.Errorf("export %s: %d %q", format, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "@") {
			t.Errorf("export %s --mask-pii has an @", format)
		}
	}
	if r := f.run(t, "", "case", "export", "INC-9", "--format", "pdf"); r.code != ExitUsage {
		t.Errorf("--format pdf: %d", r.code)
	}
	if r := f.run(t, "", "case", "show", "nope"); r.code != ExitNotFound {
		t.Errorf("unknown case: %d %q", r.code, r.stderr)
	}
	if r := f.run(t, "", "case", "use", "nope"); r.code != ExitNotFound {
		t.Errorf("use unknown case: %d", r.code)
	}
}
