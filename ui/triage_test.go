package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

const triageAlert = `beacon 203.0.113[.]66:443 → hxxps://login-micros0ft-support[.]example/owa
also 192.0.2.10; acme-corp.example; bob.martin[@]acme-corp.example; report.pdf`

func (h *harness) triagePane() *triageTool { return h.m.tools[3].t.(*triageTool) }

func TestTriagePanePasteRunOpenAndBack(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7")
	h.mustSee("Bulk triage", "Paste an alert")
	h.send(tea.PasteMsg{Content: triageAlert})
	h.mustSee("pasted text (2 lines)", "found 2 ip, 2 domain, 1 url, 1 email", "report.pdf")
	if h.sim.Total() != 0 {
		t.Fatal("pasting sent requests")
	}
	h.press("r")
	h.mustSee("6 looked up with", "Results")
	// Most severe first.
	lines := strings.Split(h.screen(), "\n")
	first := ""
	for _, l := range lines {
		if strings.Contains(l, "▸") {
			first = l
		}
	}
	if !strings.Contains(first, "risky") {
		t.Fatalf("cursor row is not a risky one: %q\n%s", first, h.screen())
	}
	// Filter, then open a row in its pane; Back returns to the table.
	h.press("/")
	h.typeText("192.0")
	h.press("enter")
	h.mustSee("filter 192.0", "1 of 6")
	h.press("enter")
	h.mustSee("ip 192.0.2.10")
	h.press("esc")
	h.mustSee("Bulk triage", "filter 192.0")
	// A second run of the same input costs nothing more than the first
	// did (the cache, when it is on, makes it zero).
	if n := h.sim.Total(); n == 0 {
		t.Fatal("no requests for a run")
	}
}

// pump runs commands the way Bubble Tea does — each in a goroutine, their
// messages back through Update on the test goroutine — for flows whose
// commands block (a run with slow answers), which the synchronous
// harness cannot drive.
type pump struct {
	h    *harness
	msgs chan tea.Msg
}

func newPump(h *harness) *pump { return &pump{h: h, msgs: make(chan tea.Msg, 1024)} }

func (p *pump) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { p.msgs <- cmd() }()
}

// until delivers messages until cond holds (or fails after 10s).
func (p *pump) until(cond func() bool) {
	p.h.t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-p.msgs:
			switch msg := msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					p.run(c)
				}
			default:
				if isTimerMsg(msg) {
					continue
				}
				if _, ok := clipboardText(msg); ok {
					continue
				}
				_, next := p.h.m.Update(msg)
				p.run(next)
			}
		case <-deadline:
			p.h.t.Fatalf("timed out waiting:\n%s", p.h.screen())
		}
	}
}

func TestTriagePaneStopKeepsWhatIsDone(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7")
	var b strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "198.51.100.%d\n", i)
	}
	h.send(tea.PasteMsg{Content: b.String()})
	h.sim.Inject(sim.Fault{Op: opIP, After: 3, Latency: time.Hour})
	p := newPump(h)
	p.run(h.sendNoRun(kp("r")))
	tt := h.triagePane()
	p.until(func() bool { return len(tt.recs) >= 3 })
	h.mustSee("esc stops")
	_, cmd := h.m.Update(kp("esc")) // stop
	p.run(cmd)
	p.until(func() bool { return !tt.running })
	h.mustSee("stopped", "(r runs them all again)")
	if len(tt.recs) != 3 {
		t.Fatalf("after stop: %d records, want the 3 answered", len(tt.recs))
	}
	for _, r := range tt.recs {
		if r.Verdict == actions.VerdictError {
			t.Fatalf("a stopped lookup became an error row: %+v", r)
		}
	}
}

func TestTriagePaneExport(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7")
	h.send(tea.PasteMsg{Content: triageAlert})
	h.press("r", "e")
	h.mustSee("export to")
	dir := t.TempDir()
	path := filepath.Join(dir, "t.md")
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the suggested name
	h.typeText(path)
	h.press("enter")
	h.mustSee("written to " + path)
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), `203.0.113\[.\]66`) {
		t.Fatalf("export: %v\n%s", err, b)
	}
}

// A terminal pastes line breaks as CR: the count still says two lines.
func TestTriagePaneCountsCRLines(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7")
	h.send(tea.PasteMsg{Content: "203.0.113.66\r192.0.2.10\r"})
	h.mustSee("pasted text (2 lines)", "found 2 ip")
}

func TestTriagePaneBadFile(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7", "o")
	h.typeText("/does/not/exist.txt")
	h.press("enter")
	h.mustSee("✗")
	if h.sim.Total() != 0 {
		t.Fatal("a missing file sent requests")
	}
}

func BenchmarkTriageTable(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			m := New(&actions.Session{Client: &cloudflare.Client{}, Profile: "default"}, Options{NoColor: true, Now: func() time.Time { return fixedNow }})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			m.switchTool(3)
			e := m.activeTool()
			tt := e.t.(*triageTool)
			verdicts := []string{"risky", "clean", "unknown", "error"}
			evs := make([]any, n)
			for i := range evs {
				s := float64(i%100) / 100
				evs[i] = actions.TriageRecord{Indicator: fmt.Sprintf("host-%d.evil.example", i), Kind: "domain",
					Verdict: verdicts[i%4], RiskScore: &s, RiskTypes: []string{"Phishing"}, Categories: []string{}}
			}
			tt.source = "pasted text"
			tt.events(m.toolCtx(e), triageEventsMsg{evs: evs})
			tt.list.Cursor = n / 2
			pressLoop(b, m)
		})
	}
}

// With a filter on, the export holds what the table shows, and says so.
func TestTriagePaneExportsTheFilteredRows(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "7")
	h.send(tea.PasteMsg{Content: triageAlert})
	h.press("r", "/")
	h.typeText("192.0")
	h.press("enter", "e")
	path := filepath.Join(t.TempDir(), "f.csv")
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	h.typeText(path)
	h.press("enter")
	h.mustSee("the 1 result the filter shows")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(strings.TrimSpace(string(b)), "\n"); lines != 1 || !strings.Contains(string(b), "192.0.2.10") {
		t.Fatalf("filtered export:\n%s", b)
	}
}
