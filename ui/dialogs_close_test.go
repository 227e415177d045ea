package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// pushingDialog pushes next and says done: updateDialog must then
// remove it, not the dialog on top.
type pushingDialog struct{ next dialog }

func (d *pushingDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	m.pushDialog(d.next)
	return nil, true
}
func (d *pushingDialog) render(m *Model, w, h int) string { return "" }
func (d *pushingDialog) hints(m *Model) []Binding         { return nil }

func TestCloseDialogRemovesThatDialogWhereverItSits(t *testing.T) {
	m := &Model{}
	a, b, c := &pushingDialog{}, &pushingDialog{}, &pushingDialog{}
	m.pushDialog(a)
	m.pushDialog(b)
	m.pushDialog(c)
	m.closeDialog(b)
	if len(m.dialogs) != 2 || m.dialogs[0].legacy != a || m.dialogs[1].legacy != c {
		t.Fatalf("after closing the middle one: %v", m.dialogs)
	}
	m.closeDialog(b) // already gone: nothing else may go
	if len(m.dialogs) != 2 {
		t.Fatalf("closing a closed dialog removed another: %v", m.dialogs)
	}

	// A dialog done after pushing another leaves the new one on top.
	next := &pushingDialog{}
	m.dialogs = nil
	m.pushDialog(a)
	m.pushDialog(&pushingDialog{next: next})
	m.updateDialog(kp("x"))
	if len(m.dialogs) != 2 || m.dialogs[0].legacy != a || m.dialogs[1].legacy != next {
		t.Fatalf("after a dialog pushed another and closed: %v", m.dialogs)
	}
}
