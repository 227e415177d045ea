package cli

import (
	"os"
	"path/filepath"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestOutputFileNeverOverwrites: -o of triage and of case export never
// replaces an existing file (nor keeps its wider mode, nor follows a
// symlink planted at the path); triage says so before it sends anything,
// so no quota is spent on results that could not be written.
func TestOutputFileNeverOverwrites(t *testing.T) {
	f := newFixture(t, sim.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "alert.txt")
	if err := os.WriteFile(in, []byte("203.0.113.66\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "report.md")
	if err := os.WriteFile(existing, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "elsewhere.md")
	if err := os.WriteFile(target, []byte("keep me too"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	check := func(path, want string) {
		t.Helper()
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Errorf("%s was overwritten: %q", path, b)
		}
	}

	for _, out := range []string{existing, link} {
		r := f.run(t, "", "triage", in, "--format", "md", "-o", out)
		if r.code != ExitUsage {
			t.Errorf("triage -o %s over an existing file: exit %d\n%s", filepath.Base(out), r.code, r.stderr)
		}
		if f.sim.Total() != 0 {
			t.Errorf("triage -o over an existing file sent %d requests", f.sim.Total())
		}
	}
	check(existing, "keep me")
	check(target, "keep me too")

	if r := f.run(t, "", "case", "new", "INC-1"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, out := range []string{existing, link} {
		if r := f.run(t, "", "case", "export", "INC-1", "--format", "md", "-o", out); r.code != ExitUsage {
			t.Errorf("case export -o %s over an existing file: exit %d\n%s", filepath.Base(out), r.code, r.stderr)
		}
	}
	check(existing, "keep me")
	check(target, "keep me too")

	// A new path is written, 0600.
	fresh := filepath.Join(dir, "new.md")
	if r := f.run(t, "", "triage", in, "--format", "md", "-o", fresh); r.code != ExitOK && r.code != ExitTriageRisky {
		t.Fatalf("triage -o new file: exit %d\n%s", r.code, r.stderr)
	}
	assertMode(t, fresh, 0o600)
}
