package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
	"cftriage/views"
)

type pageKind int

const (
	kindIP pageKind = iota
	kindDomain
	kindUser
	kindASN
)

var (
	kindNames  = map[pageKind]string{kindIP: "IP", kindDomain: "domain", kindUser: "user", kindASN: "ASN"}
	kindTitles = map[pageKind]string{kindIP: "IP", kindDomain: "Domain", kindUser: "User", kindASN: "ASN"}
)

// body is what differs between panes: what a page asks for, how it takes
// keys, and how it renders. Bodies mutate only inside Update (through
// key handling or result application).
type body interface {
	start(m *Model, p *page) []tea.Cmd
	key(m *Model, p *page, msg tea.KeyPressMsg) tea.Cmd
	render(m *Model, p *page, w, h int) string
	// crumb is the breadcrumb label, e.g. "ip 203.0.113.7".
	crumb() string
	// copyValue is what `y` copies: the value under the cursor.
	copyValue() string
	// hints are the page's own keys for the footer and help.
	hints(m *Model) []Binding
	clamp(m *Model)
	// stopLoading marks what is still loading as canceled; it reports
	// whether the page has its main result and so stays on screen.
	stopLoading() (keep bool)
}

// textCapturer is a body that sometimes takes typed text (a filter).
type textCapturer interface{ capturing() bool }

// page is one screen of the drill-down stack.
type page struct {
	id   int
	kind pageKind
	body body

	// ctx is canceled on Back/Esc or when the page is reloaded; gen
	// tells results of an earlier load from the current one.
	ctx     context.Context
	cancel  context.CancelFunc
	gen     int
	pending int
}

func (p *page) capturesText() bool {
	if c, ok := p.body.(textCapturer); ok {
		return c.capturing()
	}
	return false
}

func (p *page) start(m *Model) []tea.Cmd { return p.body.start(m, p) }
func (p *page) clamp(m *Model)           { p.body.clamp(m) }

func (p *page) handleKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Copy.Binding) {
		if v := p.body.copyValue(); v != "" {
			m.status = "copied " + clip(views.Sanitize(v), 40)
			return copyCmd(v)
		}
		return nil
	}
	return p.body.key(m, p, msg)
}

// resultMsg carries a finished request back to Update. apply mutates the
// page that asked; it runs only if that page is still on the stack and
// was not reloaded since (gen), so a superseded result is dropped.
type resultMsg struct {
	pid, gen int
	quota    cloudflare.Quota
	apply    func(m *Model) tea.Cmd
}

func (m *Model) applyResult(r resultMsg) tea.Cmd {
	if r.quota.Known {
		m.quota = r.quota
	}
	p := m.findPage(r.pid)
	if p == nil || p.gen != r.gen {
		return nil
	}
	p.pending--
	return r.apply(m)
}

// fetch runs work in a command under the page's context. work does the
// I/O and returns the function that applies its result in Update.
func (m *Model) fetch(p *page, work func(ctx context.Context, c *cloudflare.Client) func(m *Model) tea.Cmd) tea.Cmd {
	p.pending++
	ctx, c, id, gen := p.ctx, m.s.Client, p.id, p.gen
	return func() tea.Msg {
		apply := work(ctx, c)
		return resultMsg{pid: id, gen: gen, quota: c.Quota(), apply: apply}
	}
}

// listState is a cursor and scroll offset; it lives in the page so Back
// restores both.
type listState struct{ cursor, offset int }

// move handles the list keys; it reports whether the key was one.
func (l *listState) move(m *Model, msg tea.KeyPressMsg, n int) bool {
	k := m.keys
	h := m.listHeight()
	switch {
	case key.Matches(msg, k.Up.Binding):
		l.cursor--
	case key.Matches(msg, k.Down.Binding):
		l.cursor++
	case key.Matches(msg, k.PageUp.Binding):
		l.cursor -= h
	case key.Matches(msg, k.PageDown.Binding):
		l.cursor += h
	case key.Matches(msg, k.Top.Binding):
		l.cursor = 0
	case key.Matches(msg, k.Bottom.Binding):
		l.cursor = n - 1
	default:
		return false
	}
	l.fit(n, h)
	return true
}

func (l *listState) fit(n, h int) {
	l.cursor = max(0, min(l.cursor, n-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, n-1))
}

func (l *listState) atEnd(n int) bool { return n > 0 && l.cursor >= n-1 }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// copyCmd puts v on the clipboard (OSC 52). The text is sanitized like
// anything shown: API data pasted into a shell must not carry escape
// sequences (a bracketed-paste breakout) or bidi overrides.
func copyCmd(v string) tea.Cmd { return tea.SetClipboard(views.SanitizeMultiline(v)) }
