package views

import (
	"strconv"
	"time"
)

// Memo is what a pane says about its answer's memory: how old it is
// when it came from the cache, and what changed since the previous
// answer kept for the same indicator.
type Memo struct {
	Cached bool
	Age    time.Duration // of the cached answer
	// Compared is set when a fresh answer was compared with an earlier
	// one fetched at Since; Changes are the differences in words
	// (actions.Change.Describe), none when nothing changed.
	Compared bool
	Since    time.Time
	Changes  []string
}

// memoMaxChanges bounds the block: the pane below must stay readable.
const memoMaxChanges = 6

// MemoLines renders m as the lines shown above a pane (none when there
// is nothing to say). API text in Changes is sanitized here.
func MemoLines(m Memo, now time.Time, width int, th Theme) []string {
	var out []string
	if m.Cached {
		out = append(out, fit(paint(th.Muted, "cached "+AgeText(m.Age)+" · ctrl+r fetches it fresh"), width))
	}
	if !m.Compared {
		return out
	}
	when := m.Since.UTC().Format("2006-01-02 15:04") + " (" + AgeText(now.Sub(m.Since)) + ")"
	if len(m.Changes) == 0 {
		return append(out, fit(paint(th.Muted, "unchanged since "+when), width))
	}
	out = append(out, fit(paint(th.Warn, "changed since "+when), width))
	for i, c := range m.Changes {
		if i == memoMaxChanges-1 && len(m.Changes) > memoMaxChanges {
			out = append(out, fit(paint(th.Muted, "  … "+strconv.Itoa(len(m.Changes)-i)+" more changes"), width))
			break
		}
		out = append(out, fit("  • "+paint(th.Value, Sanitize(c)), width))
	}
	return out
}

// AgeText is a short age: "just now", "4m ago", "3h ago", "2d ago".
func AgeText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
}

// WithMemo puts the memo lines above a pane rendered into the rows left
// (render gets that height); the result is exactly width×height.
func WithMemo(lines []string, width, height int, render func(h int) string) string {
	if len(lines) == 0 {
		return render(height)
	}
	if len(lines) > height/2 {
		lines = lines[:max(0, height/2)]
	}
	body := render(height - len(lines))
	out := append(append([]string(nil), lines...), splitLines(body)...)
	return block(out, width, height)
}
