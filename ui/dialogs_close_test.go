package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/ui/pane"
)

// pushingDialog asks for next on any key and says done: the root must
// then remove it at once (before the next key), and show next.
type pushingDialog struct{ next pane.Dialog }

func (d *pushingDialog) Update(*pane.Context, tea.Msg) (tea.Cmd, bool) {
	if d.next == nil {
		return nil, true
	}
	return pane.Emit(pane.PushDialogMsg{Dialog: d.next}), true
}
func (d *pushingDialog) View(*pane.Context) string             { return "" }
func (d *pushingDialog) Bindings(*pane.Context) []pane.Binding { return nil }

func TestDialogDoneIsClosedWhereverItSits(t *testing.T) {
	m := New(&actions.Session{Client: &cloudflare.Client{}, Profile: "default"}, Options{NoColor: true})
	m.dialogs = nil
	a, b, c := &pushingDialog{}, &pushingDialog{}, &pushingDialog{}
	m.pushPaneDialog(a, 0)
	m.pushPaneDialog(b, 0)
	m.pushPaneDialog(c, 0)
	m.closeEntry(m.dialogs[1])
	if len(m.dialogs) != 2 || m.dialogs[0].d != a || m.dialogs[1].d != c {
		t.Fatalf("after closing the middle one: %v", m.dialogs)
	}

	// A dialog done after asking for another: gone before the next key,
	// and the new one is on top once its message is delivered.
	next := &pushingDialog{}
	m.dialogs = nil
	m.pushPaneDialog(a, 0)
	m.pushPaneDialog(&pushingDialog{next: next}, 0)
	cmd := m.updateDialog(kp("x"))
	if len(m.dialogs) != 1 || m.dialogs[0].d != a {
		t.Fatalf("the done dialog is still open: %v", m.dialogs)
	}
	m.Update(cmd())
	if len(m.dialogs) != 2 || m.dialogs[1].d != next {
		t.Fatalf("after its push: %v", m.dialogs)
	}
}
