package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/store"
	"cftriage/views"
)

// historyShown is how many history entries the picker lists.
const historyShown = 200

// savedRequest is the editor as a saved request (credential headers
// cannot be in it: rows refuse them, and the store drops them again).
func (t *requestTool) savedRequest(name string) store.SavedRequest {
	b := t.currentBody()
	body := b.text
	if b.blank {
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

// saveConfig writes cfg in a command and, once written, makes it the
// session's saved requests; done runs after that, in Update.
func saveConfig(m *Model, cfg *store.Config, done func(m *Model, err error)) tea.Cmd {
	dir := m.s.ConfigDir
	return toolCmd(func() func(*Model) tea.Cmd {
		d, err := dir, error(nil)
		if d == "" {
			d, err = store.ConfigDir()
		}
		if err == nil {
			err = cfg.Save(d)
		}
		return func(m *Model) tea.Cmd {
			if err == nil {
				if m.s.Config == nil {
					m.s.Config = &store.Config{Profiles: cfg.Profiles}
				}
				m.s.Config.SavedRequests = cfg.SavedRequests
			}
			done(m, err)
			return nil
		}
	})
}

func (t *requestTool) openSave(m *Model) {
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		t.setNotice("finish editing the row first", true)
		return
	}
	if strings.TrimSpace(t.endpoint.Value()) == "" {
		t.setNotice("nothing to save: type an endpoint first", true)
		return
	}
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "e.g. whois lookup"
	in.CharLimit = 80
	in.SetStyles(inputStyles(m.th))
	in.SetWidth(40)
	in.Focus()
	m.pushDialog(&saveRequestDialog{t: t, in: in})
}

// saveRequestDialog asks for the name to save the editor under.
type saveRequestDialog struct {
	t      *requestTool
	in     textinput.Model
	err    string
	saving bool
}

func (d *saveRequestDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if d.saving {
		return nil, false
	}
	switch msg.String() {
	case "esc":
		return nil, true
	case "enter":
		name := strings.TrimSpace(d.in.Value())
		if name == "" {
			d.err = "give the request a name"
			return nil, false
		}
		cfg := m.s.Config.Clone()
		if err := cfg.SaveRequest(d.t.savedRequest(name)); err != nil {
			d.err = err.Error()
			return nil, false
		}
		d.saving = true
		t := d.t
		return saveConfig(m, cfg, func(m *Model, err error) {
			d.saving = false
			if err != nil {
				d.err = "not saved: " + err.Error()
				return
			}
			m.closeDialog(d)
			t.setNotice("saved as "+views.Sanitize(name), false)
			t.relayout(m)
		}), false
	}
	var cmd tea.Cmd
	d.in, cmd = d.in.Update(msg)
	d.err = ""
	return cmd, false
}

func (d *saveRequestDialog) paste(m *Model, msg tea.PasteMsg) tea.Cmd {
	var cmd tea.Cmd
	d.in, cmd = d.in.Update(msg)
	return cmd
}

func (d *saveRequestDialog) render(m *Model, w, h int) string {
	note := ""
	if name := strings.TrimSpace(d.in.Value()); name != "" && m.s.Config != nil && m.s.Config.Request(name) != nil {
		note = "replaces the saved request of that name"
	}
	if d.saving {
		note = "saving …"
	}
	return views.RenderSaveRequest(d.in.View(), note, d.err, w, m.th)
}

func (d *saveRequestDialog) hints(m *Model) []Binding {
	return []Binding{bind("save", "enter"), bind("cancel", "esc")}
}

// pickEntry is a saved request or a history entry.
type pickEntry struct {
	saved *store.SavedRequest
	hist  *store.HistoryEntry
}

func (t *requestTool) openPicker(m *Model) tea.Cmd {
	d := &pickRequestDialog{t: t, loading: true}
	if m.s.Config != nil {
		for i := range m.s.Config.SavedRequests {
			r := m.s.Config.SavedRequests[i]
			d.items = append(d.items, pickEntry{saved: &r})
		}
	}
	m.pushDialog(d)
	dirFn := t.historyDir
	return toolCmd(func() func(*Model) tea.Cmd {
		var hist []store.HistoryEntry
		dir, err := dirFn()
		if err == nil {
			hist, err = store.LoadHistory(dir, historyShown)
		}
		return func(m *Model) tea.Cmd {
			d.loading = false
			if err != nil {
				d.err = "history: " + err.Error()
			}
			for i := range hist {
				d.items = append(d.items, pickEntry{hist: &hist[i]})
			}
			return nil
		}
	})
}

// pickRequestDialog lists saved requests, then history, newest first.
type pickRequestDialog struct {
	t       *requestTool
	items   []pickEntry
	cursor  int
	loading bool
	err     string
}

func (d *pickRequestDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	defer d.t.relayout(m) // a request loaded into the editor
	k := m.keys
	switch {
	case key.Matches(msg, k.Up.Binding):
		d.cursor = max(0, d.cursor-1)
	case key.Matches(msg, k.Down.Binding):
		d.cursor = max(0, min(len(d.items)-1, d.cursor+1))
	case key.Matches(msg, k.Top.Binding):
		d.cursor = 0
	case key.Matches(msg, k.Bottom.Binding):
		d.cursor = max(0, len(d.items)-1)
	case msg.String() == "enter":
		if d.cursor < len(d.items) {
			d.t.recall(m, d.items[d.cursor])
			return nil, true
		}
	case msg.String() == "d" || msg.String() == "delete":
		if d.cursor < len(d.items) && d.items[d.cursor].saved != nil {
			name := d.items[d.cursor].saved.Name
			cfg := m.s.Config.Clone()
			cfg.DeleteRequest(name)
			return saveConfig(m, cfg, func(m *Model, err error) {
				if err != nil {
					d.err = "not deleted: " + err.Error()
					return
				}
				for i, it := range d.items {
					if it.saved != nil && it.saved.Name == name {
						d.items = append(d.items[:i], d.items[i+1:]...)
						break
					}
				}
				d.cursor = max(0, min(d.cursor, len(d.items)-1))
				d.t.setNotice("deleted "+views.Sanitize(name), false)
				d.t.relayout(m)
			}), false
		}
		d.err = "only saved requests can be deleted"
	case msg.String() == "esc" || msg.String() == "q":
		return nil, true
	}
	return nil, false
}

func (d *pickRequestDialog) render(m *Model, w, h int) string {
	p := views.RequestPicker{Cursor: d.cursor, Loading: d.loading, Err: d.err}
	for _, it := range d.items {
		switch {
		case it.saved != nil:
			p.Items = append(p.Items, views.PickItem{Saved: true, Name: it.saved.Name, Method: it.saved.Method, Path: it.saved.Path})
		case it.hist != nil:
			e := it.hist
			note := ""
			if e.Status > 0 {
				note = "HTTP " + strconv.Itoa(e.Status)
			} else {
				note = "no response"
			}
			if e.BodyOmitted {
				note += " · body not kept"
			}
			p.Items = append(p.Items, views.PickItem{Name: e.Time.Local().Format("01-02 15:04"), Method: e.Method, Path: e.Path, Note: note})
		}
	}
	return views.RenderRequestPicker(p, w, h, m.th)
}

func (d *pickRequestDialog) hints(m *Model) []Binding {
	del := bind("delete saved", "d")
	if d.cursor >= len(d.items) || d.items[d.cursor].saved == nil {
		del.Why = "not a saved request"
	}
	return []Binding{m.keys.Up, m.keys.Down, bind("load", "enter"), del, bind("close", "esc")}
}

// recall loads a saved request or history entry into the editor.
func (t *requestTool) recall(m *Model, e pickEntry) {
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
	for i, mm := range requestMethods {
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
	full := t.setBody(body)
	t.revalidate(m)
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
