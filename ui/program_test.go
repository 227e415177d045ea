package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"cftriage/cloudflare/sim"
)

// TestProgramRunsLookupAndQuits runs the console as a real Bubble Tea
// program (renderer, command goroutines, spinner ticks) rather than
// through the synchronous harness: a lookup reaches the screen and q
// ends the program with the page still in the model.
func TestProgramRunsLookupAndQuits(t *testing.T) {
	h := newHarness(t, 100, 30)
	tm := teatest.NewTestModel(t, h.m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	tm.Type(sim.IPRiskyC2)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		return bytes.Contains([]byte(s), []byte("RISKY")) && bytes.Contains([]byte(s), []byte("cdn-update.test"))
	}, teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if p := final.top(); p == nil || p.Crumb() != "ip "+sim.IPRiskyC2 {
		t.Fatalf("final model has no IP page")
	}
	if h.sim.Count(opIP) != 1 {
		t.Fatalf("IP overview sent %d times", h.sim.Count(opIP))
	}
}
