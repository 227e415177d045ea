package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
)

func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

// newCase creates a case from the Case pane through its prompt.
func newCase(h *harness, name string) {
	h.t.Helper()
	if h.m.focus == focusOmni && h.m.activeTool() == nil {
		h.press("esc") // leave the search box for the tab keys
	}
	h.press("9", "n")
	h.mustSee("case name (new or existing):")
	h.typeText(name)
	h.press("enter")
	h.mustSee("Case " + name)
}

func TestPinWithoutActiveCaseSaysHow(t *testing.T) {
	h, _ := dbHarness(t)
	h.lookup(sim.IPRiskyC2)
	h.press("c")
	h.mustSee("not pinned: no active case")
	h.press("9")
	h.mustSee("no active case", "n creates a case")
}

func TestCaseCollectsPinsNotesAndResets(t *testing.T) {
	h, _ := dbHarness(t)
	newCase(h, "INC-42 phishing")
	h.mustSee("nothing pinned yet")

	h.lookup(sim.IPRiskyC2)
	sent := h.sim.Total()
	h.press("c")
	h.mustSee("pinned ip " + sim.IPRiskyC2 + " to the active case")
	if n := h.sim.Total() - sent; n != 0 {
		t.Fatalf("pinning what is on screen sent %d requests", n)
	}
	h.lookup(sim.DomainPhishing)
	h.press("c")
	h.mustSee("pinned domain " + sim.DomainPhishing)

	// A reset done while the case is active appears in it.
	openReview(h)
	fillReview(h, "INC-42 false positive", bob)
	h.press("enter")
	h.press("enter") // closes the result

	h.press("9")
	h.mustSee("Case INC-42 phishing", "2 items", sim.IPRiskyC2, sim.DomainPhishing, "risky: ", "reset", bob, "success")
	if got := strings.Join(rowOrder(h.screen(), sim.IPRiskyC2, sim.DomainPhishing, bob), ","); got != sim.IPRiskyC2+","+sim.DomainPhishing+","+bob {
		t.Fatalf("case order %s", got)
	}
	// The entry under the cursor in full: the facts and their operation.
	h.mustSee("risk types: ", "(IP overview, ")

	// N writes a note; esc with text asks once more; ctrl+s saves.
	h.press("N")
	if _, ok := h.topDialog().(*noteDialog); !ok {
		t.Fatalf("N opened no note editor:\n%s", h.screen())
	}
	h.typeText("Blocked at the proxy.")
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.typeText("Ticket **SEC-9**.")
	h.press("esc")
	h.mustSee("esc again discards")
	h.send(ctrl('s'))
	if h.topDialog() != nil {
		t.Fatal("ctrl+s left the editor open")
	}
	h.mustSee("note added", "1 note", "Blocked at the proxy.")

	// x exports; the extension picks the format; the file is 0600.
	dir := t.TempDir()
	for _, name := range []string{"case.md", "case.json", "case.stix.json"} {
		path := filepath.Join(dir, name)
		h.press("x")
		h.mustSee("export to")
		h.clearField()
		h.typeText(path)
		h.press("enter")
		h.mustSee("written to " + path)
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
		b, _ := os.ReadFile(path)
		switch name {
		case "case.md":
			for _, want := range []string{"INC-42 phishing", "203[.]0[.]113[.]66", "Blocked at the proxy.", "SEC-9", "risk reset"} {
				if !strings.Contains(string(b), want) {
					t.Errorf("the Markdown export lacks %q:\n%s", want, b)
				}
			}
		case "case.stix.json":
			var bundle struct {
				Type    string           `json:"type"`
				Objects []map[string]any `json:"objects"`
			}
			if err := json.Unmarshal(b, &bundle); err != nil || bundle.Type != "bundle" || len(bundle.Objects) < 3 {
				t.Errorf("the STIX export is not a bundle (%v):\n%s", err, b)
			}
		case "case.json":
			if !json.Valid(b) || !strings.Contains(string(b), sim.DomainPhishing) {
				t.Errorf("the JSON export:\n%s", b)
			}
		}
	}
	// An existing file is never overwritten.
	h.press("x")
	h.clearField()
	h.typeText(filepath.Join(dir, "case.md"))
	h.press("enter")
	h.mustSee("export failed")

	// Enter on an item re-opens it; Back returns to the case.
	h.press("g", "enter")
	h.mustSee("ip " + sim.IPRiskyC2)
	h.press("esc")
	h.mustSee("Case INC-42 phishing")
}

func TestCaseSwitchesBetweenCases(t *testing.T) {
	h, _ := dbHarness(t)
	newCase(h, "first")
	h.lookup(sim.IPRiskyC2)
	h.press("c")
	newCase(h, "second")
	h.mustSee("nothing pinned yet")
	h.press("n")
	h.mustSee("cases: first")
	h.typeText("first")
	h.press("enter")
	h.mustSee("switched to case first", "Case first", sim.IPRiskyC2)
	cs, err := h.sess.DB.Cases()
	if err != nil || len(cs) != 2 {
		t.Fatalf("cases %v, %v", cs, err)
	}
}

func TestNoteEditorKeepsTheTextWhenSavingFails(t *testing.T) {
	h, _ := dbHarness(t)
	newCase(h, "notes")
	h.press("N")
	h.typeText("important finding")
	// The database goes away under the console: the note cannot be kept,
	// and the editor comes back with it.
	h.sess.DB.Close()
	h.send(ctrl('s'))
	h.mustSee("note not saved")
	d, ok := h.topDialog().(*noteDialog)
	if !ok || d.ta.Value() != "important finding" {
		t.Fatalf("the editor did not come back with the text (%T)", h.topDialog())
	}
}

func TestTriageRunGoesToTheCase(t *testing.T) {
	h, _ := dbHarness(t)
	newCase(h, "triage run")
	h.press("7")
	h.send(tea.PasteMsg{Content: "seen " + sim.IPRiskyC2 + " and hxxp://" + sim.DomainPhishing + "/login"})
	h.press("r")
	h.mustSee("risky")
	h.press("c")
	h.mustSee("pinned 3 results to the active case")
	h.press("9")
	h.mustSee(sim.IPRiskyC2, sim.DomainPhishing)
}
