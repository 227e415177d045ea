package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
)

var (
	kindNames  = map[pane.Kind]string{pane.KindIP: "IP", pane.KindDomain: "domain", pane.KindUser: "user", pane.KindASN: "ASN"}
	kindTitles = map[pane.Kind]string{pane.KindIP: "IP", pane.KindDomain: "Domain", pane.KindUser: "User", pane.KindASN: "ASN"}
)

// page is one entry of a trail: an investigation component and the
// slot the root routes its results by.
type page struct {
	pane.Page
	slot *pane.Slot
	// path is the trail up to and including this page, as it was when
	// the page was opened: a tab key that brings the page back restores
	// this path, so the breadcrumb stays a true path.
	path []*page
	// returnTo is the tool Back returns to from this page when it starts
	// its trail (opened from the Triage table).
	returnTo string
}

// maxStack bounds a trail: a long session must not keep every page
// (some hold 10,000 events) alive. maxTrails bounds the earlier trails.
const (
	maxStack  = 64
	maxTrails = 20
)

// push puts a page on the current trail and starts its lookup.
func (m *Model) push(p *page) tea.Cmd {
	p.slot = m.newSlot()
	m.stack = append(m.stack, p)
	m.trimStack()
	p.path = append([]*page(nil), m.stack...)
	m.latest[p.Kind()] = p
	m.leaveTool()
	m.setFocus(focusPage)
	return tea.Batch(m.reload(p), m.spin.Tick)
}

// newTrail keeps the current trail among the earlier ones and starts an
// empty one: a lookup typed in the search box is not a drill-down.
func (m *Model) newTrail() {
	if len(m.stack) == 0 {
		return
	}
	m.trails = append(m.trails, m.stack)
	if len(m.trails) > maxTrails {
		m.trails = m.trails[1:]
	}
	m.stack = nil
}

// trimStack forgets the oldest pages beyond maxStack.
func (m *Model) trimStack() {
	for len(m.stack) > maxStack {
		m.stack = m.stack[1:]
	}
}

// reload (re)starts every request of a page under a fresh slot
// generation: answers to the previous load are dropped.
func (m *Model) reload(p *page) tea.Cmd {
	p.slot.Restart()
	return tea.Batch(p.Start(m.pageCtx(p)), m.spin.Tick)
}

// refresh reloads a page from the API, never the cache (ctrl+r).
func (m *Model) refresh(p *page) tea.Cmd {
	p.slot.Restart()
	ctx := m.pageCtx(p)
	ctx.Fresh = true
	return tea.Batch(p.Start(ctx), m.spin.Tick)
}

// findPage returns the page with slot id on any trail or kept for a tab,
// or nil when it is gone: its late results are then dropped.
func (m *Model) findPage(id int) *page {
	for _, p := range m.allPages() {
		if p.slot.ID == id {
			return p
		}
	}
	return nil
}

func (m *Model) allPages() []*page {
	out := append([]*page(nil), m.stack...)
	for _, t := range m.trails {
		out = append(out, t...)
	}
	for _, p := range m.latest {
		out = append(out, p)
	}
	return out
}

// back cancels the top page's lookup if one runs, else pops it. The
// page below comes back from memory, with its scroll position.
func (m *Model) back() tea.Cmd {
	p := m.top()
	if p == nil {
		return nil
	}
	if p.slot.Pending > 0 {
		p.slot.Cancel()
		if p.StopLoading() {
			// The page has its main result: drop only what is still
			// loading (more records, subnets) and stay.
			p.slot.Restart()
			m.status = "canceled"
			return nil
		}
		m.stack = m.stack[:len(m.stack)-1]
		if m.latest[p.Kind()] == p {
			delete(m.latest, p.Kind()) // nothing loaded: nothing to bring back
		}
		m.status = "lookup canceled"
		if m.top() == nil {
			m.setFocus(focusOmni)
		}
		return nil
	}
	if p.Escape(m.pageCtx(p)) {
		return nil
	}
	if len(m.stack) == 1 {
		if p.returnTo != "" {
			for i, t := range m.tools {
				if t.title() == p.returnTo {
					return m.switchTool(i)
				}
			}
		}
		m.status = "this is the start of the path: / searches, q quits"
		return nil
	}
	m.stack = m.stack[:len(m.stack)-1]
	return nil
}

// switchTab brings back the most recent page of a kind, from memory.
// When it is on the current trail the trail goes back to it; otherwise
// the trail it was opened on comes back. Nothing is pushed twice. A page
// whose lookup failed is looked up again: an old error (a rate limit
// "retry in 4m") must not come back as if it were current.
func (m *Model) switchTab(k pane.Kind) tea.Cmd {
	m.leaveTool()
	p := m.latest[k]
	if p == nil {
		m.setFocus(focusOmni)
		m.status = fmt.Sprintf("no %s yet: type one in the search box", kindNames[k])
		return nil
	}
	m.setFocus(focusPage)
	if i := indexOf(m.stack, p); i >= 0 {
		m.stack = m.stack[:i+1]
	} else {
		m.newTrail()
		m.stack = append([]*page(nil), p.path...)
	}
	p.slot.Revive()
	if p.Failed() && p.slot.Pending == 0 {
		return m.reload(p)
	}
	return nil
}

func indexOf(ps []*page, p *page) int {
	for i, q := range ps {
		if q == p {
			return i
		}
	}
	return -1
}

// trailCrumbs are the earlier trails as breadcrumbs, newest first.
func (m *Model) trailCrumbs() []string {
	out := make([]string, 0, len(m.trails))
	for i := len(m.trails) - 1; i >= 0; i-- {
		names := make([]string, len(m.trails[i]))
		for j, p := range m.trails[i] {
			names[j] = p.Crumb()
		}
		out = append(out, strings.Join(names, " › "))
	}
	return out
}

// openTrail brings back earlier trail i (newest first) from memory; the
// current one joins the earlier trails.
func (m *Model) openTrail(i int) tea.Cmd {
	n := len(m.trails) - 1 - i
	if n < 0 || n >= len(m.trails) {
		return nil
	}
	t := m.trails[n]
	m.trails = append(m.trails[:n], m.trails[n+1:]...)
	m.newTrail()
	m.stack = t
	m.leaveTool()
	m.setFocus(focusPage)
	if p := m.top(); p != nil {
		p.slot.Revive()
	}
	return nil
}
