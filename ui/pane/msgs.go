package pane

import (
	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
	"cftriage/views"
)

// The messages components send the root. Components never write root
// state; they return these (as commands) and the root acts.
type (
	// StatusMsg shows a one-line message until the next key.
	StatusMsg struct{ Text string }
	// OpenMsg asks to open a value taken from API data (a hostname, an
	// IP in event details) in its pane; the root validates it like typed
	// input. Want narrows the kind ("" kind: any).
	// NewTrail starts a trail of its own; Return names the tool that
	// Back at the start of that trail returns to (the Triage table, with
	// its cursor).
	OpenMsg struct {
		Text     string
		Want     indicator.Kind
		NewTrail bool
		Return   string
	}
	// OpenUserMsg opens a user already identified (picked from several
	// matches): only the risk score is read.
	// NewTrail starts a trail of its own (opened from a tool, like a
	// search) rather than extending the one on screen.
	OpenUserMsg struct {
		User     cloudflare.AccessUser
		NewTrail bool
		Return   string // the tool Back at the trail's start returns to
	}
	// PushDialogMsg opens a dialog over the screen; Opener is the slot id
	// its ToOpener messages go to.
	PushDialogMsg struct {
		Dialog Dialog
		Opener int
	}
	// ToMsg delivers Msg to the component with slot ID, whatever its
	// generation (a dialog's outcome for the pane that opened it).
	ToMsg struct {
		ID  int
		Msg tea.Msg
	}
	// ReloadMsg restarts the page with slot ID (its requests, fresh).
	ReloadMsg struct{ ID int }
	// SwitchToolMsg brings a tool's tab to the front by title.
	SwitchToolMsg struct{ Title string }
	// WantVerdictsMsg asks for the intel verdicts of the indicators a
	// list shows (its rows on screen). The root looks up those it does
	// not know, in bulk where it can, within a per-screen budget, off the
	// Update loop; lists read them from Context.Verdicts.
	WantVerdictsMsg struct {
		Items []indicator.Found
	}
	// OpenTrailMsg brings back an earlier trail (Context.Trails()[Index])
	// from memory, as it was.
	OpenTrailMsg struct{ Index int }
	// HelpMsg opens help on what has the focus (a dialog's ? key).
	HelpMsg struct{}
	// ConnMsg replaces the connection whole (login, demo).
	ConnMsg struct{ Conn Conn }
)

// Emit is a command that returns msg.
func Emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Status is a command showing text.
func Status(text string) tea.Cmd { return Emit(StatusMsg{Text: text}) }

// Copy puts v on the clipboard (OSC 52) and says so. One line, as the
// screen shows it: API data pasted into a shell must not carry escape
// sequences (a bracketed-paste breakout), bidi overrides or line breaks
// the analyst did not see.
func Copy(v string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(views.Sanitize(v)), Status("copied "+Clip(views.Sanitize(v), 40)))
}

// CopyText puts multi-line text (a response body) on the clipboard,
// sanitized like anything shown.
func CopyText(v, what string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(views.SanitizeMultiline(v)), Status("copied "+what))
}

// Clip cuts s to n runes with an ellipsis.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// SeenUserMsg tells the tools that a user was looked up this session
// (the Request pane offers them for a {user_id} placeholder). The root
// forwards it to every tool.
type SeenUserMsg struct{ ID, Email string }

// ConfigMsg tells the root that a component wrote the config file (the
// Request pane's saved requests): the root makes Config the session's,
// so what is written next (a login) keeps it. Components read the
// session's config but never write it.
type ConfigMsg struct{ Config *store.Config }
