package ui

import (
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// pkgDir is the package directory, where testdata is, whatever
// directory a test moved to (t.Chdir).
var pkgDir, _ = os.Getwd()

// fixedNow pins the simulator's dataset and the console's clock so
// rendered screens are reproducible.
var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// harness drives the root model the way Bubble Tea would, but
// synchronously: commands run in the test goroutine and their messages
// go back into Update, against the simulator over real HTTP.
type harness struct {
	t    *testing.T
	m    *Model
	sim  *sim.Sim
	stub *writeStub // in front of sim: the raw write it lacks
	srv  *httptest.Server
	sess *actions.Session
	quit bool
	// clipboard holds what the last copy command asked the terminal to copy.
	clipboard string
}

func newHarness(t *testing.T, w, h int) *harness {
	t.Helper()
	isolateHome(t)
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }})
	stub := &writeStub{next: s}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{
		BaseURL: srv.URL + "/client/v4", Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	sess := &actions.Session{
		Client: c, Demo: true, Profile: "default", AccountID: sim.DemoAccountID,
		AccountName: "Demo account (simulator)", Suggestions: sim.Suggestions(),
		Audit: store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl")),
	}
	m := New(sess, Options{NoColor: true, DarkBG: true, Now: func() time.Time { return fixedNow }})
	hs := &harness{t: t, m: m, sim: s, stub: stub, srv: srv, sess: sess}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// send delivers a message and runs every command it leads to.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// sendNoRun delivers a message and returns its command unrun, so a test
// can interleave other input before the "network" answers.
func (h *harness) sendNoRun(msg tea.Msg) tea.Cmd {
	_, cmd := h.m.Update(msg)
	return cmd
}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	}
	if s, ok := clipboardText(msg); ok {
		h.clipboard = s
		return
	}
	if isTimerMsg(msg) {
		return
	}
	_, next := h.m.Update(msg)
	h.run(next)
}

// isTimerMsg tells animation ticks (spinner, cursor blink) and terminal
// queries apart from results: driving them would loop forever.
func isTimerMsg(msg tea.Msg) bool {
	pkg := reflect.TypeOf(msg).PkgPath()
	return strings.HasSuffix(pkg, "/spinner") || strings.HasSuffix(pkg, "/cursor") ||
		strings.HasSuffix(pkg, "/textinput") || strings.HasSuffix(pkg, "bubbletea/v2")
}

// clipboardText recognises tea.SetClipboard's message by its shape.
func clipboardText(msg tea.Msg) (string, bool) {
	v := reflect.ValueOf(msg)
	if strings.HasSuffix(v.Type().PkgPath(), "bubbletea/v2") && v.Kind() == reflect.String &&
		strings.Contains(strings.ToLower(v.Type().Name()), "clipboard") {
		return v.String(), true
	}
	return "", false
}

func kp(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("kp: " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(kp(k))
	}
}

// typeText types into whatever has focus, one key per rune.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// lookup types an indicator in the search box and submits it.
func (h *harness) lookup(s string) {
	h.t.Helper()
	h.focusSearch()
	h.typeText(s)
	h.press("enter")
}

// focusSearch moves focus to the search box the way an analyst would.
func (h *harness) focusSearch() {
	h.t.Helper()
	if h.m.focus != focusOmni {
		h.press("/")
	}
}

// screen is the rendered view without styling.
func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// crumbLine is the breadcrumb as shown (the fourth line, under the search
// box), "" without a page.
func (h *harness) crumbLine() string {
	lines := strings.Split(h.screen(), "\n")
	if len(lines) < 4 {
		return ""
	}
	return strings.TrimSpace(lines[3])
}

// cursorRow is the screen line of the focused list's cursor (▸), "" when
// none is shown.
func (h *harness) cursorRow() string {
	for _, l := range strings.Split(h.screen(), "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "▸") {
			return t
		}
	}
	return ""
}

func (h *harness) mustSee(parts ...string) {
	h.t.Helper()
	sc := h.screen()
	for _, p := range parts {
		if !strings.Contains(sc, p) {
			h.t.Fatalf("screen lacks %q:\n%s", p, sc)
		}
	}
}

func (h *harness) mustNotSee(parts ...string) {
	h.t.Helper()
	sc := h.screen()
	for _, p := range parts {
		if strings.Contains(sc, p) {
			h.t.Fatalf("screen shows %q:\n%s", p, sc)
		}
	}
}

// golden compares the stripped screen with testdata/<test>/<name>.golden
// (x/exp/golden; go test ./ui -update rewrites it). A subtest already
// named after the screen holds it directly.
func (h *harness) golden(name string) {
	h.t.Helper()
	screen := h.screen()
	check := func(t *testing.T) {
		t.Helper()
		if wd, err := os.Getwd(); err == nil && wd != pkgDir {
			if err := os.Chdir(pkgDir); err != nil {
				t.Fatal(err)
			}
			defer os.Chdir(wd)
		}
		golden.RequireEqual(t, screen)
	}
	if path.Base(h.t.Name()) == name {
		check(h.t)
		return
	}
	h.t.Run(name, check)
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func displayWidth(s string) int { return ansi.StringWidth(s) }

// isolateHome points the XDG directories at temp dirs: no test reads or
// writes the developer's real config, history or audit log.
func isolateHome(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
}
