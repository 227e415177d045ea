package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/views"
)

type lipStyle = lipgloss.Style

// dialogEntry is an open overlay: a pane.Dialog with its slot and the
// slot id of what opened it.
type dialogEntry struct {
	d      pane.Dialog
	slot   *pane.Slot
	opener int
}

func (m *Model) pushPaneDialog(d pane.Dialog, opener int) tea.Cmd {
	e := &dialogEntry{d: d, slot: m.newSlot(), opener: opener}
	m.dialogs = append(m.dialogs, e)
	if s, ok := d.(pane.Starter); ok {
		return s.Start(m.dialogCtx(e))
	}
	return nil
}

// dialogCtx is a dialog's context: the whole screen.
func (m *Model) dialogCtx(e *dialogEntry) *pane.Context {
	return m.ctx(e.slot, m.w, m.h, true)
}

func (m *Model) updateDialog(msg tea.KeyPressMsg) tea.Cmd {
	return m.updateDialogEntry(m.dialogs[len(m.dialogs)-1], msg)
}

// updateDialogEntry gives msg to a dialog; a dialog that is done is
// closed at once, wherever it now sits (it may have opened another).
func (m *Model) updateDialogEntry(e *dialogEntry, msg tea.Msg) tea.Cmd {
	cmd, done := e.d.Update(m.dialogCtx(e), msg)
	if done {
		m.closeEntry(e)
	}
	return cmd
}

func (m *Model) closeEntry(e *dialogEntry) {
	for i := len(m.dialogs) - 1; i >= 0; i-- {
		if m.dialogs[i] == e {
			e.slot.Cancel()
			m.dialogs = append(m.dialogs[:i], m.dialogs[i+1:]...)
			return
		}
	}
}

func (m *Model) topDialog() *dialogEntry {
	if n := len(m.dialogs); n > 0 {
		return m.dialogs[n-1]
	}
	return nil
}

func (e *dialogEntry) view(m *Model) string { return e.d.View(m.dialogCtx(e)) }

func (e *dialogEntry) bindings(m *Model) []Binding { return e.d.Bindings(m.dialogCtx(e)) }

// helpOpen reports that the help overlay is on top.
func (m *Model) helpOpen() bool {
	if e := m.topDialog(); e != nil {
		_, ok := e.d.(*helpDialog)
		return ok
	}
	return false
}

// routePaste gives a paste to the top dialog or the active tool; ok=false
// leaves it to the omnibox.
func (m *Model) routePaste(msg tea.PasteMsg) (tea.Cmd, bool) {
	if e := m.topDialog(); e != nil {
		return m.updateDialogEntry(e, msg), true
	}
	if t := m.activeTool(); t != nil {
		return t.t.Update(m.toolCtx(t), msg), true
	}
	return nil, false
}

// openHelp shows the keys of what has the focus right now: the global
// keys and the bindings of the dialog, tool, pane or search box that
// would take the next key — read from the same lists the footer reads,
// so help cannot drift from behaviour.
func (m *Model) openHelp() {
	d := &helpDialog{}
	// Read with help on top: the Request pane lists every binding then.
	m.pushPaneDialog(d, 0)
	d.groups = m.helpGroups()
}

// describedDialog is the dialog help describes: the top one that is not
// help itself.
func (m *Model) describedDialog() *dialogEntry {
	for i := len(m.dialogs) - 1; i >= 0; i-- {
		if _, ok := m.dialogs[i].d.(*helpDialog); !ok {
			return m.dialogs[i]
		}
	}
	return nil
}

// helpDialog is the key map of where the analyst is. It scrolls when it
// does not fit (80×24); any other key closes it.
type helpDialog struct {
	groups []views.HelpGroup
	offset int
}

func (d *helpDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	kmsg, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	k := ctx.Keys
	_, maxOff := views.HelpScroll(d.groups, ctx.Width, ctx.Height, 0, ctx.Theme)
	switch {
	case maxOff > 0 && key.Matches(kmsg, k.Down.Binding):
		d.offset = min(maxOff, d.offset+1)
	case maxOff > 0 && key.Matches(kmsg, k.Up.Binding):
		d.offset = max(0, d.offset-1)
	case maxOff > 0 && key.Matches(kmsg, k.PageDown.Binding):
		d.offset = min(maxOff, d.offset+ctx.Height/2)
	case maxOff > 0 && key.Matches(kmsg, k.PageUp.Binding):
		d.offset = max(0, d.offset-ctx.Height/2)
	default:
		return nil, true
	}
	return nil, false
}

func (d *helpDialog) View(ctx *pane.Context) string {
	s, _ := views.HelpScroll(d.groups, ctx.Width, ctx.Height, d.offset, ctx.Theme)
	return s
}

func (d *helpDialog) Bindings(ctx *pane.Context) []Binding {
	b := ctx.Keys.Back.As("close help")
	b.SetHelp("any other key", "close help")
	if _, maxOff := views.HelpScroll(d.groups, ctx.Width, ctx.Height, 0, ctx.Theme); maxOff > 0 {
		return []Binding{ctx.Keys.Up.As("scroll help"), ctx.Keys.Down.As("scroll help"), b}
	}
	return []Binding{b}
}

// eventDialog shows one risk event's details; a domain or IP inside can
// be opened.
type eventDialog struct {
	ev     cloudflare.RiskEvent
	kvs    []actions.Detail
	cursor int
}

func newEventDialog(ev cloudflare.RiskEvent) *eventDialog {
	return &eventDialog{ev: ev, kvs: actions.FlattenDetails(ev.Details)}
}

func (d *eventDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	kmsg, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	b, ok := pane.Find(d.Bindings(ctx), kmsg)
	if !ok {
		return nil, false
	}
	if b.Why != "" {
		return pane.Status(b.Help().Desc + " disabled: " + b.Why), false
	}
	switch {
	case key.Matches(kmsg, ctx.Keys.Back.Binding), key.Matches(kmsg, ctx.Keys.Quit.Binding):
		return nil, true
	case key.Matches(kmsg, ctx.Keys.Open.Binding):
		return b.Do(), true
	}
	if b.Do != nil {
		return b.Do(), false
	}
	return nil, false
}

// Start asks for the intel verdicts of the domains and IPs inside the
// details, so each shows its verdict beside it once known.
func (d *eventDialog) Start(ctx *pane.Context) tea.Cmd {
	var items []indicator.Found
	for _, kv := range d.kvs {
		if f, ok := linkIndicator(kv); ok && ctx.Verdict(string(f.Type), f.Value) == "" {
			items = append(items, f)
		}
	}
	if len(items) == 0 {
		return nil
	}
	return pane.Emit(pane.WantVerdictsMsg{Items: items})
}

// linkIndicator reads a detail that links to an IP or a domain.
func linkIndicator(kv actions.Detail) (indicator.Found, bool) {
	if !kv.Link {
		return indicator.Found{}, false
	}
	ind, err := indicator.Detect(kv.Value)
	switch {
	case err != nil:
	case ind.Kind == indicator.IP:
		return indicator.Found{Type: indicator.TypeIP, Value: ind.Value, Addr: ind.Addr}, true
	case ind.Kind == indicator.Domain && ind.URL == "":
		return indicator.Found{Type: indicator.TypeDomain, Value: ind.Value}, true
	}
	return indicator.Found{}, false
}

func (d *eventDialog) View(ctx *pane.Context) string {
	marks := make([]string, len(d.kvs))
	for i, kv := range d.kvs {
		if f, ok := linkIndicator(kv); ok {
			marks[i] = ctx.Verdict(string(f.Type), f.Value)
		}
	}
	return views.EventDetails(d.ev, d.kvs, marks, d.cursor, ctx.Width, ctx.Height, ctx.Theme)
}

func (d *eventDialog) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	up := k.Up.Does(func() tea.Cmd { d.cursor = max(0, d.cursor-1); return nil })
	down := k.Down.Does(func() tea.Cmd { d.cursor = max(0, min(len(d.kvs)-1, d.cursor+1)); return nil })
	open := k.Open.As("open domain/IP").Does(func() tea.Cmd {
		return pane.Emit(pane.OpenMsg{Text: d.kvs[d.cursor].Value, Want: indicator.Unknown})
	})
	if d.cursor >= len(d.kvs) || !d.kvs[d.cursor].Link {
		open.Why = "this value is not a domain or IP"
	}
	cp := k.Copy.Does(func() tea.Cmd { return pane.Copy(d.kvs[d.cursor].Value) })
	if d.cursor >= len(d.kvs) {
		cp.Why = "no value here"
	}
	help := k.Help.Does(func() tea.Cmd { return pane.Emit(pane.HelpMsg{}) })
	return []Binding{up, down, open, cp, k.Back.As("close"), k.Quit.As("close").Hidden(), help}
}
