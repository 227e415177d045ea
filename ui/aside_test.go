package ui

import tea "charm.land/bubbletea/v2"

// runAside runs cmd off the test goroutine, as Bubble Tea would, and
// hands back the messages it led to (batches flattened, timers dropped)
// once every part has returned. The test goroutine stays free to press
// keys while the "network" is busy.
func runAside(cmd tea.Cmd) <-chan []tea.Msg {
	ch := make(chan []tea.Msg, 1)
	go func() { ch <- collectMsgs(cmd) }()
	return ch
}

func collectMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collectMsgs(c)...)
		}
		return out
	default:
		if isTimerMsg(msg) {
			return nil
		}
		return []tea.Msg{msg}
	}
}
