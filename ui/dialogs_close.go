package ui

// closeDialog removes d wherever it sits in the dialog stack: a dialog
// may have pushed another before it is done, and results that close one
// arrive after the key that started them.
func (m *Model) closeDialog(d dialog) {
	for i := len(m.dialogs) - 1; i >= 0; i-- {
		if m.dialogs[i] == d {
			m.dialogs = append(m.dialogs[:i], m.dialogs[i+1:]...)
			return
		}
	}
}
