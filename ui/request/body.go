package request

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/atotto/clipboard"

	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
)

// syncCheckMax is the largest body checked as JSON on every change; a
// bigger one is checked once the typing pauses, off the Update loop, so
// a key never costs a parse of the whole body.
const syncCheckMax = 64 << 10

// The steps of the JSON check of a big body.
type (
	// checkDue: the pause after rev has passed.
	checkDue struct{ rev int }
	// checkDone: the check of rev.
	checkDone struct {
		rev   int
		err   string
		blank bool
	}
	// clipboardRead: ctrl+v's text (or why there is none).
	clipboardRead struct {
		text string
		err  error
	}
)

// checkBody checks a changed body: at once when it is small, else after
// a pause in the typing (a check of a body changed meanwhile is not
// applied, and another is started).
func (t *Tool) checkBody(ctx *pane.Context) tea.Cmd {
	b := t.body
	if b.checked() {
		return nil
	}
	if b.size <= syncCheckMax {
		b.checkNow()
		return nil
	}
	if t.checking {
		return nil
	}
	t.checking = true
	return t.waitForPause(ctx)
}

func (t *Tool) waitForPause(ctx *pane.Context) tea.Cmd {
	rev, pause := t.body.rev, t.checkPause
	return ctx.Do(func(c context.Context) tea.Msg {
		if pause > 0 {
			tm := time.NewTimer(pause)
			defer tm.Stop()
			select {
			case <-tm.C:
			case <-c.Done():
			}
		}
		return checkDue{rev: rev}
	})
}

// bodyResult takes a step of the check.
func (t *Tool) bodyResult(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	b := t.body
	switch msg := msg.(type) {
	case checkDue:
		switch {
		case b.checked():
			t.checking = false
		case msg.rev != b.rev: // typed during the pause: wait again
			return t.waitForPause(ctx)
		default:
			text, rev := b.Text(), b.rev
			return ctx.Do(func(context.Context) tea.Msg {
				return checkDone{rev: rev, err: jsonError(text), blank: strings.TrimSpace(text) == ""}
			})
		}
	case checkDone:
		if msg.rev == b.rev {
			b.setCheck(msg.rev, msg.err, msg.blank)
		}
		if b.checked() {
			t.checking = false
			return nil
		}
		return t.waitForPause(ctx)
	case clipboardRead:
		if msg.err != nil {
			t.setNotice("no paste: the clipboard cannot be read here ("+msg.err.Error()+"); use the terminal's paste", true)
			return nil
		}
		if !t.body.insert(msg.text) {
			t.setNotice("the paste was cut to the editor's 10,000 lines", true)
		}
	}
	return nil
}

// readClipboard is ctrl+v in the body: the system clipboard, read off
// the Update loop (a terminal's own paste arrives as a paste instead).
func (t *Tool) readClipboard(ctx *pane.Context) tea.Cmd {
	return ctx.Do(func(context.Context) tea.Msg {
		s, err := clipboard.ReadAll()
		return clipboardRead{text: s, err: err}
	})
}

// formatBody pretty-prints the body when it is valid JSON.
func (t *Tool) formatBody() {
	b := t.body
	b.checkNow()
	if b.checkBlank {
		t.setNotice("the body is empty: nothing to format", false)
		return
	}
	if b.checkErr != "" {
		t.setNotice("cannot format: "+b.checkErr, true)
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(strings.TrimSpace(b.Text())), "", "  "); err != nil {
		t.setNotice("cannot format: "+err.Error(), true)
		return
	}
	if bytes.Count(buf.Bytes(), []byte("\n"))+1 > bodyMaxLines {
		t.setNotice(fmt.Sprintf("formatted, the body would exceed the editor's %d lines; left as is", bodyMaxLines), true)
		return
	}
	b.SetText(buf.String())
	// Indenting valid JSON keeps it valid: no need to parse it again.
	b.setCheck(b.rev, "", false)
	t.setNotice("body formatted", false)
}
