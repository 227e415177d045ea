package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

type (
	// caseMsg is the active case as read (rep nil: none is active).
	caseMsg struct {
		rep    *actions.CaseReport
		others []string
		err    error
	}
	// pinnedMsg is the outcome of c (an item pinned) or of the note
	// editor (a note added); note is the text to give back on failure.
	pinnedMsg struct {
		entry store.CaseEntry
		note  string
		err   error
	}
	// caseSwitchedMsg is the outcome of n (a case created or switched to).
	caseSwitchedMsg struct {
		c       store.Case
		created bool
		err     error
	}
	caseExportedMsg struct {
		path string
		err  error
	}
	// noteSaveMsg is the note editor's text, for the Case pane to add.
	noteSaveMsg struct{ text string }
)

// caseTool is the Case pane: the active case's pinned items, notes and
// the audited writes done while it was active, in order. n creates or
// switches cases, N (or e) writes a note, x exports.
type caseTool struct {
	rep    *actions.CaseReport
	others []string
	rows   []views.CaseRow
	// refs maps a row to its entry (>= 0) or write (-1 - index).
	refs []int
	list pane.List
	main part
	mask bool

	prompt linePrompt // "case" or "export"
}

func newCaseTool() *caseTool {
	return &caseTool{prompt: newLinePrompt(1024)}
}

func (t *caseTool) Title() string          { return "Case" }
func (t *caseTool) Capturing() bool        { return t.prompt.open }
func (t *caseTool) Shutdown()              {}
func (t *caseTool) Resize(c *pane.Context) { t.list.Fit(len(t.rows), t.tableRows(c)) }

func (t *caseTool) tableRows(c *pane.Context) int { return max(1, c.Height*2/3-4) }

// Activate reads the active case again: pins made from the panes and
// writes done since come in.
func (t *caseTool) Activate(c *pane.Context) tea.Cmd { return t.load(c) }

func caseDB(c *pane.Context) *store.DB {
	if c.Session == nil || c.Session.DB == nil {
		return nil
	}
	return c.Session.DB
}

func (t *caseTool) load(c *pane.Context) tea.Cmd {
	db := caseDB(c)
	if db == nil {
		return nil
	}
	t.main.start()
	audit, org := auditPath(c), c.Conn.AccountName
	return c.Do(func(context.Context) tea.Msg {
		var others []string
		cases, err := db.Cases()
		if err != nil {
			return caseMsg{err: err}
		}
		active := ""
		for _, cs := range cases {
			if cs.Active && active == "" {
				active = cs.Name
			} else {
				others = append(others, cs.Name)
			}
		}
		if active == "" {
			return caseMsg{others: others}
		}
		rep, err := actions.LoadCase(db, active, audit, org, false)
		if err != nil {
			return caseMsg{others: others, err: err}
		}
		return caseMsg{rep: &rep, others: others}
	})
}

func (t *caseTool) Update(c *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case caseMsg:
		t.main.finish(msg.err)
		t.others = msg.others
		if msg.err == nil {
			t.setReport(msg.rep)
		}
		t.Resize(c)
	case pinnedMsg:
		if msg.err != nil {
			if msg.note != "" {
				// Nothing typed is lost: the editor comes back with it.
				return tea.Batch(pane.Status("note not saved: "+caseErrText(msg.err)), t.noteEditor(c, msg.note))
			}
			return pane.Status("not pinned: " + caseErrText(msg.err))
		}
		what := "note added"
		if msg.entry.Type == store.EntryItem {
			what = "pinned " + msg.entry.Kind + " " + msg.entry.Indicator
		}
		return tea.Batch(pane.Status(what+" to the active case"), t.load(c))
	case noteSaveMsg:
		return t.addNote(c, msg.text)
	case caseSwitchedMsg:
		if msg.err != nil {
			return pane.Status(caseErrText(msg.err))
		}
		t.list = pane.List{}
		word := "switched to"
		if msg.created {
			word = "created"
		}
		return tea.Batch(pane.Status(word+" case "+views.Sanitize(msg.c.Name)), t.load(c))
	case caseExportedMsg:
		if msg.err != nil {
			return pane.Status("export failed: " + errText(msg.err))
		}
		return pane.Status("written to " + msg.path)
	case tea.PasteMsg:
		cmd, _ := t.prompt.Update(msg, c.Width)
		return cmd
	case tea.KeyPressMsg:
		if cmd, ok := t.prompt.Update(msg, c.Width); ok {
			return cmd
		}
		lc := *c
		lc.ListHeight = t.tableRows(c)
		t.list.Move(&lc, msg, len(t.rows))
	}
	return nil
}

func caseErrText(err error) string {
	if errors.Is(err, store.ErrNoActiveCase) {
		return "no active case: 9 opens the Case pane, n there creates one"
	}
	return errText(err)
}

// setReport lays the case out as rows: entries in order, then the
// writes done while it was active (they come from the audit log).
func (t *caseTool) setReport(r *actions.CaseReport) {
	t.rep, t.rows, t.refs = r, nil, nil
	if r == nil {
		return
	}
	for i, e := range r.Entries {
		row := views.CaseRow{Time: e.Added.UTC().Format("2006-01-02 15:04"), Kind: e.Kind, What: e.Indicator, Verdict: e.Verdict, Risky: e.Risky}
		if e.Type == store.EntryNote {
			first, _, _ := strings.Cut(strings.TrimSpace(e.Note), "\n")
			row.Kind, row.What, row.Verdict = "note", first, ""
		} else if e.Kind == actions.KindASN {
			row.What = "AS" + e.Indicator
		}
		t.rows, t.refs = append(t.rows, row), append(t.refs, i)
	}
	for i, w := range r.Writes {
		kind := "reset"
		if strings.Contains(w.Action, "revoke") {
			kind = "revoke"
		}
		t.rows = append(t.rows, views.CaseRow{Time: w.Time.UTC().Format("2006-01-02 15:04"), Kind: kind, What: w.Target, Verdict: w.Outcome})
		t.refs = append(t.refs, -1-i)
	}
}

// detail is the entry under the cursor in full: an item's facts (each
// with the operation it came from), a note's text, a write's record.
func (t *caseTool) detail() []string {
	if t.rep == nil || len(t.refs) == 0 {
		return nil
	}
	ref := t.refs[t.list.Cursor]
	if ref < 0 {
		w := t.rep.Writes[-1-ref]
		out := []string{fmt.Sprintf("%s of %s at %s: %s", w.Action, w.Target, w.Time.Format("2006-01-02 15:04:05"), w.Outcome)}
		if w.Reason != "" {
			out = append(out, "reason: "+w.Reason)
		}
		return append(out, "attempt "+w.AttemptID)
	}
	e := t.rep.Entries[ref]
	if e.Type == store.EntryNote {
		return strings.Split(strings.TrimSpace(e.Note), "\n")
	}
	var out []string
	for _, f := range e.Facts {
		out = append(out, fmt.Sprintf("%s: %s  (%s, %s)", f.Label, f.Value, f.Operation, f.Fetched.Format("2006-01-02 15:04")))
	}
	if len(out) == 0 {
		out = append(out, "no key facts in the pinned answers")
	}
	return out
}

var caseKeys = struct{ Switch, Note, Edit, Export, Mask Binding }{
	Switch: bind("new or switch case", "n"),
	Note:   bind("write a note", "N"),
	Edit:   bind("write a note", "e"),
	Export: bind("export md/json/stix", "x"),
	Mask:   bind("mask PII in exports", "m"),
}

func (t *caseTool) Bindings(c *pane.Context) []Binding {
	k := c.Keys
	if t.prompt.open {
		label := map[string]string{"case": "create or switch", "export": "export"}[t.prompt.For]
		return t.prompt.Bindings(k, label, func() tea.Cmd { return t.submitPrompt(c) })
	}
	noDB := ""
	if caseDB(c) == nil {
		noDB = "no local database"
	}
	sw := caseKeys.Switch.Does(func() tea.Cmd { t.prompt.Open("case", "case name (new or existing):", ""); return nil }).Disabled(noDB)
	note := caseKeys.Note.Does(func() tea.Cmd { return t.noteEditor(c, "") }).Disabled(noDB)
	edit := caseKeys.Edit.Does(func() tea.Cmd { return t.noteEditor(c, "") }).Disabled(noDB).Hidden()
	export := caseKeys.Export.Does(func() tea.Cmd {
		t.prompt.Open("export", "export to (.md .json .stix.json):", "case-"+fileSafe(t.rep.Name)+".md")
		return nil
	}).Disabled(noDB)
	mask := caseKeys.Mask.Does(func() tea.Cmd {
		t.mask = !t.mask
		if t.mask {
			return pane.Status("exports mask user emails and names")
		}
		return pane.Status("exports keep user emails and names")
	}).Hidden()
	if t.rep == nil {
		note.Why, edit.Why, export.Why = "no active case: n creates one", "no active case: n creates one", "no active case: n creates one"
	}
	open := k.Open.As("open the item").Does(func() tea.Cmd {
		e := t.rep.Entries[t.refs[t.list.Cursor]]
		text := e.Indicator
		if e.Kind == actions.KindASN {
			text = "AS" + text
		}
		return pane.Emit(pane.OpenMsg{Text: text, NewTrail: true, Return: t.Title()})
	})
	if r, ok := t.currentRef(); !ok || r < 0 || t.rep.Entries[r].Type != store.EntryItem {
		open.Why = "not a pinned item"
	}
	refresh := k.Refresh.As("read again").Does(func() tea.Cmd { return t.load(c) }).Disabled(noDB)
	bs := []Binding{k.Up, k.Down, k.PageUp.Hidden(), k.PageDown.Hidden(), k.Top.Hidden(), k.Bottom.Hidden(), open, sw, note, edit, export, mask, refresh}
	return bs
}

func (t *caseTool) currentRef() (int, bool) {
	if len(t.refs) == 0 || t.rep == nil {
		return 0, false
	}
	return t.refs[t.list.Cursor], true
}

// fileSafe is a case name usable in a file name.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
	return strings.Trim(s, "-")
}

// submitPrompt creates or switches to the named case, or writes the
// export to the named file (its extension picks the format).
func (t *caseTool) submitPrompt(c *pane.Context) tea.Cmd {
	v := t.prompt.Take()
	db := caseDB(c)
	if t.prompt.For == "case" {
		if err := store.CheckCaseName(v); err != nil {
			return pane.Status(err.Error())
		}
		return c.Do(func(context.Context) tea.Msg {
			if _, err := db.CaseByName(v); err == nil {
				cs, err := db.ActivateCase(v)
				return caseSwitchedMsg{c: cs, err: err}
			}
			cs, err := db.CreateCase(v)
			return caseSwitchedMsg{c: cs, created: true, err: err}
		})
	}
	if v == "" {
		return pane.Status("no path given")
	}
	if strings.HasPrefix(v, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			v = filepath.Join(home, v[2:])
		}
	}
	format := exportFormat(v)
	if format == "" {
		return pane.Status("export: name the file .md, .json or .stix.json")
	}
	name, audit, org, mask := t.rep.Name, auditPath(c), c.Conn.AccountName, t.mask
	return c.Do(func(context.Context) tea.Msg {
		rep, err := actions.LoadCase(db, name, audit, org, mask)
		if err != nil {
			return caseExportedMsg{path: v, err: err}
		}
		b, err := actions.Export(rep, format)
		if err != nil {
			return caseExportedMsg{path: v, err: err}
		}
		// 0600 and never over an existing file: a case holds what was
		// investigated.
		f, err := os.OpenFile(v, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return caseExportedMsg{path: v, err: err}
		}
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return caseExportedMsg{path: v, err: err}
	})
}

// exportFormat is the format a file name asks for: .md, .json, and
// .stix.json (or .stix) for a STIX bundle.
func exportFormat(path string) string {
	p := strings.ToLower(path)
	switch {
	case strings.HasSuffix(p, ".stix.json"), strings.HasSuffix(p, ".stix"):
		return actions.FormatSTIX
	case strings.HasSuffix(p, ".json"):
		return actions.FormatJSON
	case strings.HasSuffix(p, ".md"), strings.HasSuffix(p, ".markdown"):
		return actions.FormatMarkdown
	}
	return ""
}

// noteEditor opens the note editor over the screen; its text comes back
// to this pane as a noteSaveMsg.
func (t *caseTool) noteEditor(c *pane.Context, text string) tea.Cmd {
	name := ""
	if t.rep != nil {
		name = t.rep.Name
	}
	return pane.Emit(pane.PushDialogMsg{Dialog: newNoteDialog(name, text, c.ID()), Opener: c.ID()})
}

func (t *caseTool) addNote(c *pane.Context, text string) tea.Cmd {
	db := caseDB(c)
	if db == nil {
		return pane.Status("no local database: the note cannot be kept")
	}
	return c.Do(func(context.Context) tea.Msg {
		e, err := actions.AddNote(db, text)
		return pinnedMsg{entry: e, note: text, err: err}
	})
}

func (t *caseTool) View(c *pane.Context) string {
	p := views.CasePane{Others: t.others, Rows: t.rows, Cursor: t.list.Cursor, Offset: t.list.Offset,
		Loading: t.main.loading, Err: errText(t.main.err), Mask: t.mask, Detail: t.detail()}
	if caseDB(c) == nil {
		p.Err = "no local database: cases are not kept"
	}
	if t.rep != nil {
		p.Name, p.Created = t.rep.Name, t.rep.Created.UTC().Format("2006-01-02 15:04")
	}
	if t.prompt.open {
		p.PromptLabel = t.prompt.Label
		p.Prompt = t.prompt.View(c.Width)
	}
	return views.RenderCase(p, c.Width, c.Height, c.Theme)
}

// caseTool finds the Case pane among the tools (c pins through it).
func (m *Model) caseTool() *toolEntry {
	for _, t := range m.tools {
		if _, ok := t.t.(*caseTool); ok {
			return t
		}
	}
	return nil
}

// pinBinding is the global c: the page on top says what it shows
// (pane.Pinner) and the Case pane pins it to the active case.
func (m *Model) pinBinding() Binding {
	b := m.keys.Pin
	p, ct := m.top(), m.caseTool()
	var pin pane.Pin
	switch {
	case p == nil:
		return b.Disabled("nothing on screen to pin")
	case ct == nil || m.s.DB == nil:
		return b.Disabled("no local database: cases are not kept")
	case p.slot.Pending > 0:
		return b.Disabled("still loading")
	}
	pn, ok := p.Page.(pane.Pinner)
	if !ok {
		return b.Disabled("this pane has nothing to pin")
	}
	pin, why := pn.Pin()
	if why != "" {
		return b.Disabled(why)
	}
	db, account := m.s.DB, m.s.AccountID
	return b.Does(func() tea.Cmd {
		return m.toolCtx(ct).Do(func(context.Context) tea.Msg {
			e, err := actions.PinAnswers(db, pin.Kind, pin.Indicator, account, pin.Answers...)
			return pinnedMsg{entry: e, err: err}
		})
	})
}
