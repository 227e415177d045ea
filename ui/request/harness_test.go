package request

import (
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
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
	"cftriage/ui/pane"
	"cftriage/views"
)

// fixedNow pins the simulator's dataset and the console's clock so
// rendered screens are reproducible.
var fixedNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

const (
	opIP    = "ip-intelligence-get-ip-overview"
	opReset = "dlp-zt-risk-score-reset-user"
)

// harness plays the root's part for the Request pane, the way the
// contract in ui/pane says the root routes: ctrl+c; an open dialog
// takes every key; the pane's bindings (a reason instead of acting, a
// handler, or fall through); typing to a capturing pane; then the global
// keys; the rest to Update. Commands run synchronously in the test
// goroutine; results are delivered by slot and generation. The screen is
// the console's: header, tabs, the pane, and the footer (or the status
// that replaces it until the next key), dialogs and help over it.
type harness struct {
	t    testing.TB
	sim  *sim.Sim
	stub *writeStub // in front of sim: the raw write it lacks
	srv  *httptest.Server
	sess *actions.Session

	tool *Tool
	slot *pane.Slot
	km   pane.KeyMap
	th   views.Theme
	// color paints the screen (NO_COLOR otherwise, as the goldens are).
	color bool
	w, h  int

	dialogs []*openDialog
	nextID  int
	status  string
	help    bool
	quit    bool
	// away is where a global key took the analyst off the Request tab
	// ("" while on it).
	away      string
	clipboard string
	quota     cloudflare.Quota
}

type openDialog struct {
	d      pane.Dialog
	slot   *pane.Slot
	opener int
}

// newHarness is the console on the Request tab against the simulator
// over HTTP, with history, config and audit in temporary directories
// (never the analyst's own).
func newHarness(t testing.TB, w, h int) *harness {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
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
		Audit:     store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl")),
		ConfigDir: t.TempDir(),
	}
	hs := &harness{t: t, sim: s, stub: stub, srv: srv, sess: sess, km: pane.DefaultKeyMap(), th: views.NewTheme(true, true),
		w: w, h: h, slot: pane.NewSlot(1), nextID: 1}
	hs.tool = New(hs.ctx())
	hs.run(hs.tool.Activate(hs.ctx()))
	return hs
}

// conn is the session as the pane may see it.
func (h *harness) conn() pane.Conn {
	s := h.sess
	return pane.Conn{Client: s.Client, Profile: s.Profile, AccountID: s.AccountID, AccountName: s.AccountName,
		Demo: s.Demo, ReadOnly: s.ReadOnly, ReadOnlyReason: s.ReadOnlyReason, Suggestions: s.Suggestions}
}

// toolHeight is the pane's area: the screen less header, tabs, footer.
func (h *harness) toolHeight() int { return max(1, h.h-3) }

func (h *harness) base() pane.Context {
	return pane.Context{Theme: h.th, Keys: &h.km, Width: h.w, Height: h.toolHeight(),
		ListHeight: max(1, (h.h-5)/2), Focused: true, Conn: h.conn(), Session: h.sess,
		Now: func() time.Time { return fixedNow }}
}

func (h *harness) ctx() *pane.Context { return h.base().WithSlot(h.slot) }

// dctx is a dialog's context: the whole screen.
func (h *harness) dctx(d *openDialog) *pane.Context {
	c := h.base()
	c.Height = h.h
	return c.WithSlot(d.slot)
}

// send delivers a message and runs every command it leads to.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	h.run(h.sendNoRun(msg))
}

// sendNoRun delivers a message and returns its command unrun, so a test
// can interleave other input before the "network" answers.
func (h *harness) sendNoRun(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.w, h.h = msg.Width, msg.Height
		h.tool.Resize(h.ctx())
		return nil
	case tea.BackgroundColorMsg:
		h.th = views.NewTheme(msg.IsDark(), !h.color)
		h.tool.Resize(h.ctx())
		return nil
	case tea.KeyPressMsg:
		return h.routeKey(msg)
	case tea.PasteMsg:
		if d := h.topDialog(); d != nil {
			cmd, done := d.d.Update(h.dctx(d), msg)
			if done {
				h.closeDialog(d)
			}
			return cmd
		}
		if h.away != "" {
			return nil
		}
		return h.tool.Update(h.ctx(), msg)
	}
	return h.deliver(msg)
}

func (h *harness) topDialog() *openDialog {
	if n := len(h.dialogs); n > 0 {
		return h.dialogs[n-1]
	}
	return nil
}

func (h *harness) closeDialog(d *openDialog) {
	h.dialogs = slices.DeleteFunc(h.dialogs, func(o *openDialog) bool { return o == d })
	d.slot.Cancel()
}

func (h *harness) routeKey(msg tea.KeyPressMsg) tea.Cmd {
	k := h.km
	if matches(msg, k.ForceQuit) {
		h.quit = true
		h.tool.Shutdown()
		h.slot.Cancel() // the console drops the pane's requests: a write must live on
		return nil
	}
	if h.help {
		h.help = false
		return nil
	}
	if d := h.topDialog(); d != nil {
		cmd, done := d.d.Update(h.dctx(d), msg)
		if done {
			h.closeDialog(d)
		}
		return cmd
	}
	h.status = ""
	if h.away != "" {
		if matches(msg, k.Tab4) {
			h.away = ""
			return h.tool.Activate(h.ctx())
		}
		return nil
	}
	ctx := h.ctx()
	if b, ok := pane.Find(h.tool.Bindings(ctx), msg); ok {
		switch {
		case b.Why != "":
			h.status = b.Help().Desc + " disabled: " + b.Why
			return nil
		case b.Do != nil:
			return b.Do()
		}
	}
	if h.tool.Capturing() {
		return h.tool.Update(ctx, msg)
	}
	switch {
	case matches(msg, k.Quit):
		h.quit = true
		h.tool.Shutdown()
		return nil
	case matches(msg, k.Help):
		h.help = true
		return nil
	case matches(msg, k.Omnibox):
		h.away = "search"
		return nil
	case matches(msg, k.Back):
		h.away = "back"
		return nil
	case matches(msg, k.Tab1), matches(msg, k.Tab2), matches(msg, k.Tab3):
		h.away = "pane " + msg.String()
		return nil
	case matches(msg, k.Tab5):
		h.away = "audit"
		return nil
	case matches(msg, k.Tab4):
		return h.tool.Activate(ctx)
	}
	return h.tool.Update(ctx, msg)
}

// deliver routes a command's message as the root does.
func (h *harness) deliver(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pane.Result:
		if msg.Quota.Known {
			h.quota = msg.Quota
		}
		if msg.ID == h.slot.ID {
			if msg.Gen != h.slot.Gen {
				return nil
			}
			h.slot.Pending--
			return h.tool.Update(h.ctx(), msg.Msg)
		}
		for _, d := range h.dialogs {
			if d.slot.ID == msg.ID && d.slot.Gen == msg.Gen {
				d.slot.Pending--
				cmd, done := d.d.Update(h.dctx(d), msg.Msg)
				if done {
					h.closeDialog(d)
				}
				return cmd
			}
		}
	case pane.ToMsg:
		if msg.ID == h.slot.ID {
			return h.tool.Update(h.ctx(), msg.Msg)
		}
	case pane.PushDialogMsg:
		h.nextID++
		h.dialogs = append(h.dialogs, &openDialog{d: msg.Dialog, slot: pane.NewSlot(h.nextID), opener: msg.Opener})
	case pane.StatusMsg:
		h.status = msg.Text
	case pane.SeenUserMsg:
		return h.tool.Update(h.ctx(), msg)
	case pane.ConfigMsg:
		h.sess.Config = msg.Config
	}
	return nil
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
	}
	if s, ok := clipboardText(msg); ok {
		h.clipboard = s
		return
	}
	if isTimerMsg(msg) {
		return
	}
	h.run(h.sendNoRun(msg))
}

// isTimerMsg tells animation ticks (cursor blink) and terminal queries
// apart from results: driving them would loop forever.
func isTimerMsg(msg tea.Msg) bool {
	pkg := reflect.TypeOf(msg).PkgPath()
	return strings.HasSuffix(pkg, "/cursor") || strings.HasSuffix(pkg, "/textinput") || strings.HasSuffix(pkg, "bubbletea/v2")
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

// kp builds a key press as the terminal sends it.
func kp(s string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"backspace": {Code: tea.KeyBackspace},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"end":       {Code: tea.KeyEnd},
		"home":      {Code: tea.KeyHome},
		"pgdown":    {Code: tea.KeyPgDown},
		"pgup":      {Code: tea.KeyPgUp},
		"delete":    {Code: tea.KeyDelete},
		"alt+enter": {Code: tea.KeyEnter, Mod: tea.ModAlt},
		"ctrl+home": {Code: tea.KeyHome, Mod: tea.ModCtrl},
		"ctrl+end":  {Code: tea.KeyEnd, Mod: tea.ModCtrl},
		"space":     {Code: tea.KeySpace, Text: " "},
	}
	if k, ok := named[s]; ok {
		return k
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModCtrl}
	}
	if c, ok := strings.CutPrefix(s, "alt+"); ok && len(c) == 1 {
		return tea.KeyPressMsg{Code: rune(c[0]), Mod: tea.ModAlt}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("kp: " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// keys presses keys by name, one after the other.
func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
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

func hint(b pane.Binding) views.KeyHint {
	hp := b.Help()
	return views.KeyHint{Key: hp.Key, Desc: hp.Desc, Disabled: b.Why != "" || !b.Enabled(), Why: b.Why}
}

// footer is what the root's footer lists: the dialog's keys, or the
// pane's shown ones, then the global keys the pane does not bind itself
// (when it is not taking typing).
func (h *harness) footer() []views.KeyHint {
	if d := h.topDialog(); d != nil {
		var out []views.KeyHint
		for _, b := range d.d.Bindings(h.dctx(d)) {
			out = append(out, hint(b))
		}
		return out
	}
	bs := h.tool.Bindings(h.ctx())
	var out []views.KeyHint
	for _, b := range bs {
		if !b.Hide {
			out = append(out, hint(b))
		}
	}
	if !h.tool.Capturing() {
		for _, g := range []pane.Binding{h.km.Back, h.km.Help, h.km.Quit} {
			if !shadowed(g, bs) {
				out = append(out, hint(g))
			}
		}
	}
	return out
}

// shadowed reports that one of g's keys is bound by the pane (its
// binding is matched first, so g's meaning would be wrong there).
func shadowed(g pane.Binding, bs []pane.Binding) bool {
	for _, k := range g.Keys() {
		for _, b := range bs {
			if slices.Contains(b.Keys(), k) {
				return true
			}
		}
	}
	return false
}

// helpGroups is the help overlay: the global keys, and every binding of
// the pane where the analyst is (hidden ones too).
func (h *harness) helpGroups() []views.HelpGroup {
	k := h.km
	global := []views.KeyHint{{Key: "1-5", Desc: "switch pane"}, hint(k.Help), hint(k.Quit), hint(k.ForceQuit)}
	var own []views.KeyHint
	for _, b := range h.tool.Bindings(h.ctx()) {
		hk := hint(b)
		if !strings.HasPrefix(b.Why, "read-only") {
			hk.Why, hk.Disabled = "", false
		}
		own = append(own, hk)
	}
	return []views.HelpGroup{{Title: "Global", Keys: global}, {Title: "Request pane", Keys: own}}
}

// render draws the screen as the root would.
func (h *harness) render() string {
	w := h.w
	lines := []string{
		views.Header(views.HeaderInfo{Profile: h.sess.Profile, Account: h.sess.AccountName, Demo: h.sess.Demo, ReadOnly: h.sess.ReadOnly}, w, h.th),
		views.Tabs([]string{"1 IP", "2 Domain", "3 User", "4 Request", "5 Audit", "6 Risky users", "7 Triage"}, 3, w, h.th),
		h.tool.View(h.ctx()),
	}
	if h.status != "" {
		lines = append(lines, views.Notice(h.status, false, w, h.th))
	} else {
		lines = append(lines, views.Footer(h.footer(), w, h.th))
	}
	screen := strings.Join(lines, "\n")
	if h.help {
		box, _ := views.HelpScroll(h.helpGroups(), w, h.h, 0, h.th)
		return views.Overlay(screen, box, w, h.h)
	}
	if d := h.topDialog(); d != nil {
		return views.Overlay(screen, d.d.View(h.dctx(d)), w, h.h)
	}
	return screen
}

// screen is the rendered view without styling.
func (h *harness) screen() string { return ansi.Strip(h.render()) }

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

// footerLine is the screen's last line.
func (h *harness) footerLine() string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-1]
}

// screenLine is the first screen line holding s ("" when none).
func (h *harness) screenLine(s string) string {
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// golden compares the stripped screen with testdata/<test name>.golden
// (go test ./ui/request -update rewrites it), the simulator's random
// port masked by a string of the same length (so clipping and padding
// do not move).
func (h *harness) golden(t *testing.T) {
	t.Helper()
	port := h.srv.URL[strings.LastIndexByte(h.srv.URL, ':')+1:]
	golden.RequireEqual(t, strings.ReplaceAll(h.screen(), "127.0.0.1:"+port, "127.0.0.1:"+strings.Repeat("P", len(port))))
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func displayWidth(s string) int { return ansi.StringWidth(s) }
