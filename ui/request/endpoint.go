package request

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/ui/pane"
	"cftriage/views"
)

// userPlaceholder is the placeholder the users looked up this session
// can fill.
const userPlaceholder = "{user_id}"

// endpointKey is a key typed into the endpoint that no binding took:
// moving in an open list, or text.
func (t *Tool) endpointKey(ctx *pane.Context, msg tea.KeyPressMsg) tea.Cmd {
	k := t.keys
	switch {
	case t.fillOpen && len(t.users) > 0:
		switch {
		case matches(msg, k.Suggest):
			t.fillIdx = (t.fillIdx + 1) % len(t.users)
			return nil
		case matches(msg, k.SuggestUp):
			t.fillIdx = (t.fillIdx - 1 + len(t.users)) % len(t.users)
			return nil
		}
	case t.suggOpen && len(t.sugg) > 0:
		switch {
		case matches(msg, k.Suggest):
			t.suggIdx = (t.suggIdx + 1) % len(t.sugg)
			return nil
		case matches(msg, k.SuggestUp):
			t.suggIdx = (t.suggIdx - 1 + len(t.sugg)) % len(t.sugg)
			return nil
		}
	}
	before := t.endpoint.Value()
	var cmd tea.Cmd
	t.endpoint, cmd = t.endpoint.Update(msg)
	if t.endpoint.Value() != before {
		t.fillOpen = false
		t.openSuggestions(ctx, false)
	}
	return cmd
}

// suggest is ↓ on the endpoint: the users for a {user_id} still in the
// path when some were looked up, else the known paths.
func (t *Tool) suggest(ctx *pane.Context) {
	t.resumeEditing()
	if t.offerUsers() {
		return
	}
	t.openSuggestions(ctx, true)
}

// offerUsers opens the user list when the path has a {user_id} and
// users were looked up; it reports whether it did.
func (t *Tool) offerUsers() bool {
	if !strings.Contains(t.endpoint.Value(), userPlaceholder) || len(t.users) == 0 {
		return false
	}
	t.suggOpen, t.fillOpen, t.fillIdx = false, true, 0
	return true
}

// openSuggestions recomputes the completions; all=true opens the list
// even for an empty or complete path (the analyst asked for it).
func (t *Tool) openSuggestions(ctx *pane.Context, all bool) {
	v := strings.TrimSpace(t.endpoint.Value())
	t.sugg = actions.CompletePath(v, ctx.Conn.AccountID)
	t.suggIdx = -1
	if all && len(t.sugg) > 0 {
		t.suggIdx = 0
	}
	// A path typed in full needs no list (enter then sends it).
	path, _, _ := strings.Cut(v, "?")
	exact := false
	for _, p := range t.sugg {
		exact = exact || strings.EqualFold(path, p.Path)
	}
	t.suggOpen = len(t.sugg) > 0 && (all || (v != "" && !exact))
}

// closeList is esc on an open list: the analyst goes on typing, and the
// enter that may follow keeps them typing rather than sending.
func (t *Tool) closeList() {
	t.suggOpen, t.fillOpen = false, false
	t.held = true
}

// takeSuggestion is tab or enter with the list open: the highlighted
// path, or the first (enter never sends the half-typed path).
func (t *Tool) takeSuggestion() {
	if len(t.sugg) == 0 {
		t.suggOpen = false
		return
	}
	t.acceptSuggestion(t.sugg[max(0, t.suggIdx)])
}

func (t *Tool) acceptSuggestion(p actions.KnownPath) {
	t.endpoint.SetValue(p.Path)
	t.endpoint.CursorEnd()
	for i, mm := range methods {
		if mm == p.Method {
			t.method = i
		}
	}
	t.suggOpen = false
	// A query for the previous path is not one for this: only its own
	// parameters stay (with their values), the others go, and the
	// notice names them.
	dropped, added := t.query.forPath(p.Query)
	var notes []string
	if len(dropped) > 0 {
		var names []string
		for _, r := range dropped {
			s := r.Key
			if r.Value != "" {
				s += "=" + r.Value
			}
			names = append(names, views.Sanitize(s))
		}
		notes = append(notes, "dropped the query rows it does not take: "+strings.Join(names, ", "))
	}
	switch {
	case strings.Contains(p.Path, userPlaceholder) && t.offerUsers():
		notes = append(notes, "choose a user looked up this session for "+userPlaceholder+" (esc to type it)")
	case strings.Contains(p.Path, userPlaceholder):
		notes = append(notes, "fill in the "+userPlaceholder+" in the path (a user looked up in the User pane is offered here)")
	case strings.Contains(strings.ReplaceAll(p.Path, "{account_id}", ""), "{"):
		notes = append(notes, "fill in the {placeholder} in the path")
	case len(added) > 0:
		notes = append(notes, "query rows added for "+strings.Join(added, ", ")+": tab to Query, enter to fill one in (empty rows are not sent)")
	}
	t.setNotice(strings.Join(notes, "; "), false)
}

// takeUser fills the path's {user_id} with the highlighted user.
func (t *Tool) takeUser() {
	t.fillOpen = false
	if t.fillIdx < 0 || t.fillIdx >= len(t.users) {
		return
	}
	u := t.users[t.fillIdx]
	t.endpoint.SetValue(strings.Replace(t.endpoint.Value(), userPlaceholder, u.ID, 1))
	t.endpoint.CursorEnd()
	who := u.Email
	if who == "" {
		who = u.ID
	}
	t.setNotice("user "+views.Sanitize(who)+" filled in", false)
}

// splitEndpointQuery moves a query typed into the endpoint
// ("/x?ipv4=1.2.3.4") into query rows, where it can be seen and edited;
// a row left empty for the same name is filled rather than repeated. A
// query that does not decode stays where it is (the preview says why
// it would be refused).
func (t *Tool) splitEndpointQuery() {
	v := strings.TrimSpace(t.endpoint.Value())
	path, raw, ok := strings.Cut(v, "?")
	if !ok || strings.Contains(v, "#") {
		return
	}
	pairs, err := cloudflare.SplitQuery(raw)
	if err != nil {
		return
	}
	for _, p := range pairs {
		// A row with a blank name is refused at send time; left in the
		// path, the pair is sent as typed.
		if strings.TrimSpace(p[0]) == "" {
			return
		}
	}
	t.endpoint.SetValue(path)
	t.endpoint.CursorEnd()
	for _, p := range pairs {
		t.query.fill(p[0], p[1])
	}
	if len(pairs) > 0 {
		t.setNotice(fmt.Sprintf("the query went to the Query rows (%d)", len(pairs)), false)
	}
}

// revalidate recomputes the URL preview and the endpoint error: the
// same ResolveURL the client sends with, so what is shown is what would
// be sent (or why nothing would be).
func (t *Tool) revalidate(ctx *pane.Context) {
	t.resolved, t.endErr = "", ""
	path := strings.TrimSpace(t.endpoint.Value())
	c := ctx.Conn.Client
	if c == nil {
		t.endErr = "no API connection: set up a token or start the demo"
		return
	}
	if path == "" {
		return
	}
	full, err := c.ResolveURL(path, t.query.pairs())
	if err != nil {
		t.endErr = actions.Explain(err)
		return
	}
	t.resolved = full
}
