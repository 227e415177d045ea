package ui

import (
	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/ui/pane"
	"cftriage/views"
)

// memo is what an investigation page remembers of its answers' relation
// to the cache: the main answer's (for "cached 4m ago") and the change
// reports of its parts (merged into one "changed since" block).
type memo struct {
	main    cloudflare.CacheInfo
	reports [2]*actions.ChangeReport
}

// took notes the main answer's exchange (nil: an error, nothing to say).
func (m *memo) took(ex *cloudflare.Exchange) {
	m.main = cloudflare.CacheInfo{}
	if ex != nil {
		m.main = ex.Cache
	}
}

// view renders the memo lines above the page's own view.
func (m *memo) view(ctx *pane.Context, render func(h int) string) string {
	v := views.Memo{Cached: m.main.Hit, Age: m.main.Age(ctx.Now())}
	if r := actions.Merge(m.reports[:]...); r != nil {
		v.Compared, v.Since = true, r.Since
		for _, c := range r.Changes {
			v.Changes = append(v.Changes, c.Describe())
		}
	}
	return views.WithMemo(views.MemoLines(v, ctx.Now(), ctx.Width, ctx.Theme), ctx.Width, ctx.Height, render)
}

// answered keeps the exchanges of answers that succeeded (what c pins).
func answered(exs ...*cloudflare.Exchange) []*cloudflare.Exchange {
	var out []*cloudflare.Exchange
	for _, ex := range exs {
		if ex != nil && ex.StatusCode >= 200 && ex.StatusCode < 300 {
			out = append(out, ex)
		}
	}
	return out
}
