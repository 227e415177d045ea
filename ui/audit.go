package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/store"
	"cftriage/views"
)

// auditReadLimit bounds how many records the pane reads (from the end of
// the file, so the cost does not grow with the log).
const auditReadLimit = 1000

// auditTool is the Audit pane: the recent audited actions, one row per
// attempt, newest first; Enter shows an attempt's records, v verifies
// the chain. Reading and verifying the file happen in commands. A
// verify result never outlives a re-read of the file (see reload).
type auditTool struct {
	entries []views.AuditEntry
	records int
	list    listState
	loading bool
	err     string
	seq     int // the latest read; older answers are dropped

	verifying bool
	verify    *store.VerifyReport
	verifyErr string
	vseq      int

	verifyKey Binding
}

func newAuditTool(m *Model) *auditTool {
	return &auditTool{verifyKey: bind("verify chain", "v")}
}

func (t *auditTool) title() string { return "Audit" }

// activate re-reads the log: a reset may have happened since.
func (t *auditTool) activate(m *Model) tea.Cmd {
	return t.reload(m)
}

func (t *auditTool) path(m *Model) string {
	if m.s.Audit == nil {
		return ""
	}
	return m.s.Audit.Path()
}

// reload re-reads the log. The file may have changed since the last
// verify, so its result cannot stand: when one was shown (or was on its
// way) the chain is verified again in the same command, right after the
// read, so the list and the verdict describe the same file; otherwise
// the pane goes back to "v verifies".
func (t *auditTool) reload(m *Model) tea.Cmd {
	again := t.verify != nil || t.verifyErr != "" || t.verifying
	t.verify, t.verifyErr, t.verifying = nil, "", again
	t.vseq++ // a verify in flight describes the file before this read
	vseq := t.vseq
	path := t.path(m)
	if path == "" {
		t.err, t.verifying = "no audit log is configured", false
		return nil
	}
	t.seq++
	seq := t.seq
	t.loading = true
	return toolCmd(func() func(*Model) tea.Cmd {
		recs, err := store.ReadAudit(path, auditReadLimit)
		var rep store.VerifyReport
		var verr error
		if again {
			rep, verr = store.VerifyAudit(path)
		}
		return func(m *Model) tea.Cmd {
			if again && vseq == t.vseq {
				t.setVerify(m, rep, verr)
			}
			if seq != t.seq {
				return nil
			}
			t.loading = false
			if err != nil {
				t.err = errText(err)
				return nil
			}
			t.err, t.records, t.entries = "", len(recs), views.GroupAudit(recs)
			t.list.fit(len(t.entries), m.listHeight())
			return nil
		}
	})
}

// setVerify shows a verify result.
func (t *auditTool) setVerify(m *Model, rep store.VerifyReport, err error) {
	t.verifying = false
	if err != nil {
		t.verifyErr = errText(err)
		return
	}
	t.verify = &rep
	if rep.OK {
		m.status = "audit log verified"
	}
}

func (t *auditTool) startVerify(m *Model) tea.Cmd {
	path := t.path(m)
	if path == "" {
		t.verifyErr = "no audit log is configured"
		return nil
	}
	t.vseq++
	seq := t.vseq
	t.verifying, t.verify, t.verifyErr = true, nil, ""
	return toolCmd(func() func(*Model) tea.Cmd {
		rep, err := store.VerifyAudit(path)
		return func(m *Model) tea.Cmd {
			if seq == t.vseq {
				t.setVerify(m, rep, err)
			}
			return nil
		}
	})
}

func (t *auditTool) key(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	if t.list.move(m, msg, len(t.entries)) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Open.Binding):
		if t.list.cursor < len(t.entries) {
			m.pushDialog(&auditDetailDialog{e: t.entries[t.list.cursor]})
		}
		return nil, true
	case key.Matches(msg, t.verifyKey.Binding):
		return t.startVerify(m), true
	case key.Matches(msg, k.Refresh.Binding):
		return t.reload(m), true
	}
	return nil, false
}

func (t *auditTool) capturing() bool { return false }

func (t *auditTool) render(m *Model, w, h int) string {
	return views.RenderAudit(views.AuditPane{
		Path:      t.path(m),
		Entries:   t.entries,
		Records:   t.records,
		Limit:     auditReadLimit,
		Cursor:    t.list.cursor,
		Offset:    t.list.offset,
		Focused:   true,
		Loading:   t.loading,
		Err:       t.err,
		Verifying: t.verifying,
		Verify:    t.verify,
		VerifyErr: t.verifyErr,
	}, w, h, m.th)
}

func (t *auditTool) hints(m *Model) []Binding {
	k := m.keys
	open := k.Open
	open.SetHelp("enter", "record details")
	if len(t.entries) == 0 {
		open.Why = "no audited actions"
	}
	v := t.verifyKey
	if t.verifying {
		v.Why = "verifying"
	}
	// ↑/↓ and friends are in help's Lists group; the footer has room
	// for what is particular to this pane.
	return []Binding{open, v, k.Refresh}
}

// auditDetailDialog shows one attempt's records in full.
type auditDetailDialog struct {
	e      views.AuditEntry
	offset int
}

func (d *auditDetailDialog) size(m *Model) (int, int) {
	bw, bh := min(m.w-4, 100), m.h-2
	if bw < 30 || bh < 6 {
		bw, bh = m.w, m.h
	}
	return bw, min(bh, views.AuditDetailHeight(d.e, bw))
}

func (d *auditDetailDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	bw, bh := d.size(m)
	most := max(0, views.AuditDetailHeight(d.e, bw)-bh)
	switch {
	case key.Matches(msg, k.Back.Binding), key.Matches(msg, k.Quit.Binding), key.Matches(msg, k.Open.Binding):
		return nil, true
	case key.Matches(msg, k.Up.Binding):
		d.offset--
	case key.Matches(msg, k.Down.Binding):
		d.offset++
	case key.Matches(msg, k.PageUp.Binding):
		d.offset -= max(1, bh-3)
	case key.Matches(msg, k.PageDown.Binding):
		d.offset += max(1, bh-3)
	case key.Matches(msg, k.Top.Binding):
		d.offset = 0
	case key.Matches(msg, k.Bottom.Binding):
		d.offset = most
	case key.Matches(msg, k.Copy.Binding):
		if r := d.e.Rec(); r != nil && r.AttemptID != "" {
			m.status = "copied attempt id " + views.Sanitize(r.AttemptID)
			return copyCmd(r.AttemptID), false
		}
	}
	d.offset = max(0, min(d.offset, most))
	return nil, false
}

func (d *auditDetailDialog) render(m *Model, w, h int) string {
	bw, bh := d.size(m)
	return views.AuditDetail(d.e, d.offset, bw, bh, m.th)
}

func (d *auditDetailDialog) hints(m *Model) []Binding {
	c := m.keys.Copy
	c.SetHelp("y", "copy attempt id")
	back := m.keys.Back
	back.SetHelp("esc", "close")
	return []Binding{m.keys.Up, m.keys.Down, c, back}
}
