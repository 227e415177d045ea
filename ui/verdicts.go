package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
)

// Per-screen budget of the verdicts inside lists: at most one bulk
// domain request and a few IP lookups for one ask, so scrolling a long
// list never spends the quota the analyst's own lookups need.
const (
	verdictDomains = 10
	verdictIPs     = 4
)

// verdictsMsg is a batch of verdicts looked up for lists.
type verdictsMsg struct {
	recs []actions.TriageRecord
	keys []string
}

// wantVerdicts looks up the verdicts a list asked for and does not know,
// within the budget; the rest wait for the next ask (the next screen).
func (m *Model) wantVerdicts(items []indicator.Found) tea.Cmd {
	if m.s.Client == nil {
		return nil
	}
	if m.verdicts == nil {
		m.verdicts, m.verdictAsked = map[string]string{}, map[string]bool{}
	}
	var take []indicator.Found
	var keys []string
	domains, ips := 0, 0
	for _, f := range items {
		k := pane.VerdictKey(string(f.Type), f.Value)
		if _, ok := m.verdicts[k]; ok || m.verdictAsked[k] {
			continue
		}
		switch f.Type {
		case indicator.TypeDomain:
			if domains == verdictDomains {
				continue
			}
			domains++
		case indicator.TypeIP:
			if ips == verdictIPs {
				continue
			}
			ips++
		default:
			continue
		}
		m.verdictAsked[k] = true
		take = append(take, f)
		keys = append(keys, k)
	}
	if len(take) == 0 {
		return nil
	}
	if m.verdictSlot == nil {
		m.verdictSlot = m.newSlot()
	}
	ctx := m.ctx(m.verdictSlot, m.w, m.h, false)
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		sum := actions.Triage(cloudflare.WithoutHistory(c), cl, take, actions.TriageOptions{InFlight: 2, Batch: verdictDomains}, nil, nil)
		return verdictsMsg{recs: sum.Records, keys: keys}
	})
}

// takeVerdicts stores what came back; what failed may be asked again.
func (m *Model) takeVerdicts(v verdictsMsg) {
	for _, k := range v.keys {
		delete(m.verdictAsked, k)
	}
	for _, r := range v.recs {
		if r.Verdict == actions.VerdictError {
			continue
		}
		m.verdicts[pane.VerdictKey(r.Kind, r.Indicator)] = r.Verdict
	}
}
