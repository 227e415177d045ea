package ui

import (
	"context"
	"os"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
)

// Run starts the console on the terminal and returns when the analyst
// quits or ctx ends.
func Run(ctx context.Context, s *actions.Session) error {
	noColor := os.Getenv("NO_COLOR") != ""
	m := New(s, Options{NoColor: noColor, DarkBG: true})
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, err := p.Run()
	m.cancelAll()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	return err
}
