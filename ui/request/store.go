package request

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// historyShown is how many history entries the picker lists.
const historyShown = 200

// The saved-request and history messages.
type (
	// savedAs: the save dialog stored the editor under a name.
	savedAs struct{ name string }
	// historyLoaded: the picker's entries, read off the Update loop.
	historyLoaded struct {
		hist []store.HistoryEntry
		err  error
	}
	// recallMsg: the picker's choice, to load into the editor.
	recallMsg struct{ entry pickEntry }
	// deletedMsg: the picker deleted a saved request.
	deletedMsg struct{ name string }
	// configSaved: a config write finished (in a dialog's command).
	configSaved struct {
		cfg *store.Config
		err error
	}
)

// savedRequest is the editor as a saved request (credential headers
// cannot be in it: rows refuse them, and the store drops them again).
func (t *Tool) savedRequest(name string) store.SavedRequest {
	b := t.body
	b.checkNow()
	body := b.Text()
	if b.checkBlank {
		body = ""
	}
	return store.SavedRequest{
		Name:   name,
		Method: t.methodName(),
		Path:   strings.TrimSpace(t.endpoint.Value()),
		Query:  t.query.pairs(),
		Header: store.StripAuthHeaders(t.headers.pairs()),
		Body:   body,
	}
}

// saveConfig writes cfg off the Update loop; the answer (configSaved)
// comes back to whoever's context ran it, which then hands the written
// config to the root (pane.ConfigMsg): components never write the
// session.
func saveConfig(ctx *pane.Context, cfg *store.Config) tea.Cmd {
	var dir string
	var guard *store.Guard
	if ctx.Session != nil {
		dir, guard = ctx.Session.ConfigDir, ctx.Session.Guard
	}
	return ctx.Do(func(context.Context) tea.Msg {
		d, err := dir, error(nil)
		if d == "" {
			d, err = store.ConfigDir()
		}
		if err == nil {
			err = cfg.Save(d, guard)
		}
		return configSaved{cfg: cfg, err: err}
	})
}

func sessionConfig(s *actions.Session) *store.Config {
	if s == nil {
		return nil
	}
	return s.Config
}

// openSave is ctrl+s: the name dialog.
func (t *Tool) openSave(ctx *pane.Context) tea.Cmd {
	if t.rowEditing() {
		t.setNotice("finish editing the row first", true)
		return nil
	}
	if strings.TrimSpace(t.endpoint.Value()) == "" {
		t.setNotice("nothing to save: type an endpoint first", true)
		return nil
	}
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "e.g. whois lookup"
	in.CharLimit = 80
	in.SetStyles(t.st)
	in.SetWidth(40)
	in.Focus()
	d := &saveDialog{opener: ctx.ID(), in: in, req: t.savedRequest(""),
		save: bind("save", "enter"), cancel: bind("cancel", "esc")}
	return pane.Emit(pane.PushDialogMsg{Dialog: d, Opener: ctx.ID()})
}

// saveDialog asks for the name to save the editor under.
type saveDialog struct {
	opener       int
	in           textinput.Model
	req          store.SavedRequest
	err          string
	saving       bool
	name         string
	save, cancel Binding
}

func (d *saveDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case configSaved:
		d.saving = false
		if msg.err != nil {
			d.err = "not saved: " + msg.err.Error()
			return nil, false
		}
		return tea.Batch(pane.Emit(pane.ConfigMsg{Config: msg.cfg}), pane.Emit(pane.ToMsg{ID: d.opener, Msg: savedAs{name: d.name}})), true
	case tea.PasteMsg:
		var cmd tea.Cmd
		d.in, cmd = d.in.Update(msg)
		return cmd, false
	case tea.KeyPressMsg:
		if d.saving {
			return nil, false
		}
		switch {
		case key.Matches(msg, d.cancel.Binding):
			return nil, true
		case key.Matches(msg, d.save.Binding):
			name := strings.TrimSpace(d.in.Value())
			if name == "" {
				d.err = "give the request a name"
				return nil, false
			}
			cfg := sessionConfig(ctx.Session).Clone()
			r := d.req
			r.Name = name
			if err := cfg.SaveRequest(r); err != nil {
				d.err = err.Error()
				return nil, false
			}
			d.saving, d.name = true, name
			return saveConfig(ctx, cfg), false
		}
		var cmd tea.Cmd
		d.in, cmd = d.in.Update(msg)
		d.err = ""
		return cmd, false
	}
	return nil, false
}

func (d *saveDialog) View(ctx *pane.Context) string {
	note := ""
	if cfg := sessionConfig(ctx.Session); cfg != nil {
		if name := strings.TrimSpace(d.in.Value()); name != "" && cfg.Request(name) != nil {
			note = "replaces the saved request of that name"
		}
	}
	if d.saving {
		note = "saving …"
	}
	return views.RenderSaveRequest(d.in.View(), note, d.err, ctx.Width, ctx.Theme)
}

func (d *saveDialog) Bindings(ctx *pane.Context) []Binding { return []Binding{d.save, d.cancel} }

// pickEntry is a saved request or a history entry.
type pickEntry struct {
	saved *store.SavedRequest
	hist  *store.HistoryEntry
}

// openPicker is ctrl+o: the history is read first (a local file), then
// the list opens with the saved requests above it.
func (t *Tool) openPicker(ctx *pane.Context) tea.Cmd {
	dirFn := historyDir(ctx.Session)
	return ctx.Do(func(context.Context) tea.Msg {
		dir, err := dirFn()
		var hist []store.HistoryEntry
		if err == nil {
			hist, err = store.LoadHistory(dir, historyShown)
		}
		return historyLoaded{hist: hist, err: err}
	})
}

// showPicker opens the picker on what was read.
func (t *Tool) showPicker(ctx *pane.Context, h historyLoaded) tea.Cmd {
	d := &pickDialog{opener: ctx.ID(),
		load: bind("load", "enter"), del: bind("delete saved", "d", "delete"), close: shownAs(bind("close", "esc", "q"), "esc")}
	if cfg := sessionConfig(ctx.Session); cfg != nil {
		for i := range cfg.SavedRequests {
			r := cfg.SavedRequests[i]
			d.items = append(d.items, pickEntry{saved: &r})
		}
	}
	if h.err != nil {
		d.err = "history: " + h.err.Error()
	}
	for i := range h.hist {
		d.items = append(d.items, pickEntry{hist: &h.hist[i]})
	}
	return pane.Emit(pane.PushDialogMsg{Dialog: d, Opener: ctx.ID()})
}

// pickDialog lists saved requests, then history, newest first.
type pickDialog struct {
	opener           int
	items            []pickEntry
	cursor           int
	err              string
	deleting         string
	load, del, close Binding
}

func (d *pickDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case configSaved:
		name := d.deleting
		d.deleting = ""
		if msg.err != nil {
			d.err = "not deleted: " + msg.err.Error()
			return nil, false
		}
		for i, it := range d.items {
			if it.saved != nil && it.saved.Name == name {
				d.items = append(d.items[:i], d.items[i+1:]...)
				break
			}
		}
		d.cursor = max(0, min(d.cursor, len(d.items)-1))
		return tea.Batch(pane.Emit(pane.ConfigMsg{Config: msg.cfg}), pane.Emit(pane.ToMsg{ID: d.opener, Msg: deletedMsg{name: name}})), false
	case tea.KeyPressMsg:
		k := ctx.Keys
		switch {
		case key.Matches(msg, k.Up.Binding):
			d.cursor = max(0, d.cursor-1)
		case key.Matches(msg, k.Down.Binding):
			d.cursor = max(0, min(len(d.items)-1, d.cursor+1))
		case key.Matches(msg, k.Top.Binding):
			d.cursor = 0
		case key.Matches(msg, k.Bottom.Binding):
			d.cursor = max(0, len(d.items)-1)
		case key.Matches(msg, d.load.Binding):
			if d.cursor < len(d.items) {
				return pane.Emit(pane.ToMsg{ID: d.opener, Msg: recallMsg{entry: d.items[d.cursor]}}), true
			}
		case key.Matches(msg, d.del.Binding):
			if d.deleting != "" {
				return nil, false
			}
			if d.cursor < len(d.items) && d.items[d.cursor].saved != nil {
				name := d.items[d.cursor].saved.Name
				cfg := sessionConfig(ctx.Session).Clone()
				cfg.DeleteRequest(name)
				d.deleting = name
				return saveConfig(ctx, cfg), false
			}
			d.err = "only saved requests can be deleted"
		case key.Matches(msg, d.close.Binding):
			return nil, true
		}
	}
	return nil, false
}

func (d *pickDialog) View(ctx *pane.Context) string {
	p := views.RequestPicker{Cursor: d.cursor, Err: d.err}
	for _, it := range d.items {
		switch {
		case it.saved != nil:
			p.Items = append(p.Items, views.PickItem{Saved: true, Name: it.saved.Name, Method: it.saved.Method, Path: it.saved.Path})
		case it.hist != nil:
			e := it.hist
			note := "no response"
			if e.Status > 0 {
				note = "HTTP " + strconv.Itoa(e.Status)
			}
			if e.BodyOmitted {
				note += " · body not kept"
			}
			p.Items = append(p.Items, views.PickItem{Name: e.Time.Local().Format("01-02 15:04"), Method: e.Method, Path: e.Path, Note: note})
		}
	}
	return views.RenderRequestPicker(p, ctx.Width, ctx.Height, ctx.Theme)
}

func (d *pickDialog) Bindings(ctx *pane.Context) []Binding {
	del := d.del
	if d.cursor >= len(d.items) || d.items[d.cursor].saved == nil {
		del = del.Disabled("not a saved request")
	}
	return []Binding{ctx.Keys.Up, ctx.Keys.Down, d.load, del, d.close}
}

// recall loads a saved request or history entry into the editor.
func (t *Tool) recall(e pickEntry) {
	var method, path, body, what string
	var query, header [][2]string
	omitted := false
	switch {
	case e.saved != nil:
		r := e.saved
		method, path, query, header, body = r.Method, r.Path, r.Query, r.Header, r.Body
		what = "loaded " + views.Sanitize(r.Name)
	case e.hist != nil:
		h := e.hist
		method, path, query, header, body = h.Method, h.Path, h.Query, h.Header, h.Body
		omitted = h.BodyOmitted
		what = "loaded from history"
	default:
		return
	}
	t.method = -1
	for i, mm := range methods {
		if strings.EqualFold(mm, method) {
			t.method = i
		}
	}
	if t.method < 0 {
		t.method = 0
		what += "; its method " + views.Sanitize(method) + " is not offered here, GET is set"
	}
	t.endpoint.SetValue(path)
	t.endpoint.CursorEnd()
	t.query.setPairs(query)
	// Never trust a file for this: credential headers are dropped again.
	t.headers.setPairs(store.StripAuthHeaders(header))
	full := t.body.SetText(body)
	t.setFocus(views.FocusEndpoint)
	switch {
	case omitted:
		t.setNotice(what+"; the body (over 256 KiB) was not kept in history", true)
	case !full:
		t.setNotice(what+"; the body was cut to the editor's 10,000 lines", true)
	default:
		t.setNotice(what, false)
	}
}
