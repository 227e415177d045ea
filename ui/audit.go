package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// auditReadLimit bounds how many records the pane reads (from the end of
// the file, so the cost does not grow with the log).
const auditReadLimit = 1000

type (
	// auditReadMsg is a read of the log, and when it was asked for, a
	// verify of the same file right after it.
	auditReadMsg struct {
		recs    []store.AuditRecord
		err     error
		again   bool
		rep     store.VerifyReport
		verrErr error
	}
	auditVerifyMsg struct {
		rep store.VerifyReport
		err error
	}
)

// auditTool is the Audit pane: the recent audited actions, one row per
// attempt, newest first; Enter shows an attempt's records, v verifies
// the chain. Reading and verifying the file happen in commands. A
// re-read restarts the slot, so a verify still in flight (which
// describes the file before the read) is dropped.
type auditTool struct {
	entries []store.AuditEntry
	records int
	list    pane.List
	loading bool
	err     error

	verifying bool
	verify    *store.VerifyReport
	verifyErr error

	verifyKey Binding
}

func newAuditTool() *auditTool {
	return &auditTool{verifyKey: bind("verify chain", "v")}
}

func (t *auditTool) Title() string        { return "Audit" }
func (t *auditTool) Capturing() bool      { return false }
func (t *auditTool) Shutdown()            {}
func (t *auditTool) Resize(*pane.Context) {}

// Activate re-reads the log: a reset may have happened since.
func (t *auditTool) Activate(ctx *pane.Context) tea.Cmd { return t.reload(ctx) }

func auditPath(ctx *pane.Context) string {
	if ctx.Session == nil || ctx.Session.Audit == nil {
		return ""
	}
	return ctx.Session.Audit.Path()
}

// errNoAudit says there is no log to read.
type errNoAudit struct{}

func (errNoAudit) Error() string { return "no audit log is configured" }

// reload re-reads the log. The file may have changed since the last
// verify, so its result cannot stand: when one was shown (or was on its
// way) the chain is verified again in the same command, right after the
// read, so the list and the verdict describe the same file; otherwise
// the pane goes back to "v verifies".
func (t *auditTool) reload(ctx *pane.Context) tea.Cmd {
	again := t.verify != nil || t.verifyErr != nil || t.verifying
	t.verify, t.verifyErr, t.verifying = nil, nil, again
	path := auditPath(ctx)
	if path == "" {
		t.err, t.verifying = errNoAudit{}, false
		return nil
	}
	t.loading = true
	return ctx.Do(func(context.Context) tea.Msg {
		recs, err := store.ReadAudit(path, auditReadLimit)
		msg := auditReadMsg{recs: recs, err: err, again: again}
		if again {
			msg.rep, msg.verrErr = store.VerifyAudit(path)
		}
		return msg
	})
}

func (t *auditTool) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case auditReadMsg:
		t.loading = false
		var cmd tea.Cmd
		if msg.again {
			cmd = t.setVerify(msg.rep, msg.verrErr)
		}
		if msg.err != nil {
			t.err = msg.err
			return cmd
		}
		t.err = nil
		t.records = len(msg.recs)
		t.entries = store.GroupAudit(msg.recs)
		t.list.Fit(len(t.entries), ctx.ListHeight)
		return cmd
	case auditVerifyMsg:
		return t.setVerify(msg.rep, msg.err)
	case tea.KeyPressMsg:
		t.list.Move(ctx, msg, len(t.entries))
	}
	return nil
}

// setVerify shows a verify result.
func (t *auditTool) setVerify(rep store.VerifyReport, err error) tea.Cmd {
	t.verifying = false
	if err != nil {
		t.verifyErr = err
		return nil
	}
	t.verify = &rep
	if rep.OK {
		return pane.Status("audit log verified")
	}
	return nil
}

func (t *auditTool) startVerify(ctx *pane.Context) tea.Cmd {
	path := auditPath(ctx)
	if path == "" {
		t.verifyErr = errNoAudit{}
		return nil
	}
	t.verifying, t.verify, t.verifyErr = true, nil, nil
	return ctx.Do(func(context.Context) tea.Msg {
		rep, err := store.VerifyAudit(path)
		return auditVerifyMsg{rep, err}
	})
}

func (t *auditTool) View(ctx *pane.Context) string {
	return views.RenderAudit(views.AuditPane{
		Path:      auditPath(ctx),
		Entries:   t.entries,
		Records:   t.records,
		Limit:     auditReadLimit,
		Cursor:    t.list.Cursor,
		Offset:    t.list.Offset,
		Focused:   true,
		Loading:   t.loading,
		Err:       errText(t.err),
		Verifying: t.verifying,
		Verify:    t.verify,
		VerifyErr: errText(t.verifyErr),
	}, ctx.Width, ctx.Height, ctx.Theme)
}

func (t *auditTool) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	open := k.Open.As("record details").Does(func() tea.Cmd {
		return pane.Emit(pane.PushDialogMsg{Dialog: &auditDetailDialog{e: t.entries[t.list.Cursor]}})
	})
	if len(t.entries) == 0 {
		open.Why = "no audited actions"
	}
	v := t.verifyKey.Does(func() tea.Cmd { return t.startVerify(ctx) })
	if t.verifying {
		v.Why = "verifying"
	}
	refresh := k.Refresh.Does(func() tea.Cmd {
		// A re-read supersedes a verify in flight (it described the file
		// before the read): restart the slot so its answer is dropped.
		return t.reread(ctx)
	})
	cp := k.Copy.As("copy attempt id").Does(func() tea.Cmd {
		return pane.Copy(t.entries[t.list.Cursor].Rec().AttemptID)
	})
	if len(t.entries) == 0 || t.entries[t.list.Cursor].Rec() == nil || t.entries[t.list.Cursor].Rec().AttemptID == "" {
		cp.Why = "no attempt id on this row"
	}
	return append(listBindings(ctx), open, v, refresh, cp)
}

// reread is a refresh: it restarts the tool's slot first, so an answer
// still on its way for the old file is dropped.
func (t *auditTool) reread(ctx *pane.Context) tea.Cmd {
	ctx.Restart()
	return t.reload(ctx)
}

// auditDetailDialog shows one attempt's records in full.
type auditDetailDialog struct {
	e      store.AuditEntry
	offset int
}

func (d *auditDetailDialog) size(ctx *pane.Context) (int, int) {
	bw, bh := min(ctx.Width-4, 100), ctx.Height-2
	if bw < 30 || bh < 6 {
		bw, bh = ctx.Width, ctx.Height
	}
	return bw, min(bh, views.AuditDetailHeight(d.e, bw))
}

func (d *auditDetailDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	kmsg, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	b, ok := pane.Find(d.Bindings(ctx), kmsg)
	switch {
	case !ok:
		return nil, false
	case b.Why != "":
		return pane.Status(b.Help().Desc + " disabled: " + b.Why), false
	case b.Do == nil:
		return nil, true // close
	}
	return b.Do(), false
}

func (d *auditDetailDialog) View(ctx *pane.Context) string {
	bw, bh := d.size(ctx)
	return views.AuditDetail(d.e, d.offset, bw, bh, ctx.Theme)
}

func (d *auditDetailDialog) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	bw, bh := d.size(ctx)
	most := max(0, views.AuditDetailHeight(d.e, bw)-bh)
	scroll := func(f func() int) func() tea.Cmd {
		return func() tea.Cmd { d.offset = max(0, min(f(), most)); return nil }
	}
	step := max(1, bh-3)
	cp := k.Copy.As("copy attempt id").Does(func() tea.Cmd { return pane.Copy(d.e.Rec().AttemptID) })
	if r := d.e.Rec(); r == nil || r.AttemptID == "" {
		cp.Why = "this attempt has no id"
	}
	return []Binding{
		k.Up.As("scroll").Does(scroll(func() int { return d.offset - 1 })),
		k.Down.As("scroll").Does(scroll(func() int { return d.offset + 1 })),
		k.PageUp.Does(scroll(func() int { return d.offset - step })).Hidden(),
		k.PageDown.Does(scroll(func() int { return d.offset + step })).Hidden(),
		k.Top.Does(scroll(func() int { return 0 })).Hidden(),
		k.Bottom.Does(scroll(func() int { return most })).Hidden(),
		cp,
		bind("close", "esc", "backspace", "q", "enter"),
	}
}
