package views

import (
	"net/url"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// HeaderInfo is what the top line shows.
type HeaderInfo struct {
	Profile, Account string
	Demo, ReadOnly   bool
	Quota            string // e.g. "1187/1200 · 4m12s" or ""
	Busy             string // spinner and text, or ""
}

// Header renders the one-line header: product, badges, profile and
// account on the left; activity and quota on the right. When the line is
// too narrow, the quota goes first, then the account, then the profile
// (which says whose credentials are in use); the badges and the
// activity stay longest.
func Header(h HeaderInfo, width int, th Theme) string {
	if width <= 0 {
		return ""
	}
	type seg struct {
		text  string
		right bool
		prio  int // lower goes first when space is short
	}
	segs := []seg{{text: paint(th.Title, "cftriage"), prio: 9}}
	if h.Demo {
		segs = append(segs, seg{text: paint(th.BadgeDemo, " DEMO "), prio: 8})
	}
	if h.ReadOnly {
		segs = append(segs, seg{text: paint(th.BadgeReadOnly, " READ-ONLY "), prio: 8})
	}
	if p := Sanitize(h.Profile); p != "" {
		segs = append(segs, seg{text: paint(th.Muted, "profile ") + paint(th.Value, p), prio: 6})
	}
	if a := Sanitize(h.Account); a != "" {
		segs = append(segs, seg{text: paint(th.Muted, "account ") + paint(th.Value, a), prio: 4})
	}
	if b := Sanitize(h.Busy); b != "" {
		segs = append(segs, seg{text: paint(th.Accent, b), right: true, prio: 7})
	}
	if q := Sanitize(h.Quota); q != "" {
		segs = append(segs, seg{text: paint(th.Muted, "quota ") + paint(th.Value, q), right: true, prio: 3})
	}
	render := func(drop int) (string, string) {
		var l, r []string
		for _, s := range segs {
			if s.prio < drop {
				continue
			}
			if s.right {
				r = append(r, s.text)
			} else {
				l = append(l, s.text)
			}
		}
		return strings.Join(l, "  "), strings.Join(r, "  ")
	}
	for drop := 0; drop <= 9; drop++ {
		l, r := render(drop)
		lw, rw := ansi.StringWidth(l), ansi.StringWidth(r)
		gap := 0
		if r != "" {
			gap = 2
		}
		if lw+gap+rw <= width {
			return l + strings.Repeat(" ", width-lw-rw) + r
		}
	}
	l, r := render(9)
	return fit(l+"  "+r, width)
}

// Tabs renders the pane tabs on one line. When they do not fit, the
// names shorten to their first word ("6 Risky") and lose their padding,
// then the tabs not active show their key alone: every tab keeps its
// key on screen.
func Tabs(names []string, active int, width int, th Theme) string {
	render := func(short func(i int, n string) string, pad string) (string, int) {
		parts := make([]string, len(names))
		w := 0
		for i, n := range names {
			n = short(i, Sanitize(n))
			if i == active {
				parts[i] = paint(th.TabActive, "["+n+"]")
			} else {
				parts[i] = paint(th.Tab, pad+n+pad)
			}
			w += ansi.StringWidth(n) + 2*len(pad) + 1
			if i == active {
				w += 2 - 2*len(pad)
			}
		}
		return strings.Join(parts, " "), w - 1
	}
	full := func(_ int, n string) string { return n }
	firstWord := func(_ int, n string) string {
		if f := strings.Fields(n); len(f) > 2 {
			return f[0] + " " + f[1]
		}
		return n
	}
	keyOnly := func(i int, n string) string {
		if i == active {
			return n
		}
		if k, _, ok := strings.Cut(n, " "); ok {
			return k
		}
		return n
	}
	s, w := render(full, " ")
	if w > width {
		s, w = render(firstWord, "")
	}
	if w > width {
		s, _ = render(keyOnly, " ")
	}
	return fit(s, width)
}

// Breadcrumb renders the navigation stack; when too long the oldest
// items are cut on the left so the current one stays visible.
func Breadcrumb(items []string, width int, th Theme) string {
	if width <= 0 {
		return ""
	}
	sep := " › "
	plain := make([]string, len(items))
	for i, it := range items {
		plain[i] = Sanitize(it)
	}
	s := strings.Join(plain, sep)
	if ansi.StringWidth(s) > width {
		s = ansi.TruncateLeft(s, ansi.StringWidth(s)-width+1, ellipsis)
	}
	// Style the last (current) item.
	if len(plain) > 0 {
		last := plain[len(plain)-1]
		if strings.HasSuffix(s, last) {
			s = paint(th.Muted, s[:len(s)-len(last)]) + paint(th.Accent, last)
		} else {
			s = paint(th.Accent, s)
		}
	}
	return fit(s, width)
}

// KeyHint is one key binding as shown to the analyst.
type KeyHint struct {
	Key, Desc string
	Disabled  bool
	Why       string // why it is disabled
}

// Footer shows the keys that work right now on one line; disabled keys
// are left out, and "?" (help) is kept even when others must go.
func Footer(hints []KeyHint, width int, th Theme) string {
	hints = sanitizeHints(hints)
	var help *KeyHint
	for i := range hints {
		if hints[i].Key == "?" && !hints[i].Disabled {
			help = &hints[i]
		}
	}
	helpW := 0
	if help != nil {
		helpW = ansi.StringWidth(help.Key+" "+help.Desc) + 2
	}
	var parts []string
	used := 0
	for _, k := range hints {
		if k.Disabled || (help != nil && k.Key == help.Key) {
			continue
		}
		w := ansi.StringWidth(k.Key + " " + k.Desc)
		if used > 0 {
			w += 2
		}
		if used+w+helpW > width {
			break
		}
		parts = append(parts, paint(th.Key, k.Key)+" "+paint(th.Desc, k.Desc))
		used += w
	}
	if help != nil {
		parts = append(parts, paint(th.Key, help.Key)+" "+paint(th.Desc, help.Desc))
	}
	return fit(strings.Join(parts, "  "), width)
}

// sanitizeHints returns a sanitized copy (hints are the program's own
// text, but one place that never trusts a string is simpler to audit).
func sanitizeHints(hs []KeyHint) []KeyHint {
	out := make([]KeyHint, len(hs))
	for i, h := range hs {
		out[i] = KeyHint{Key: Sanitize(h.Key), Desc: Sanitize(h.Desc), Disabled: h.Disabled, Why: Sanitize(h.Why)}
	}
	return out
}

// HelpGroup is a titled set of key hints.
type HelpGroup struct {
	Title string
	Keys  []KeyHint
}

// Help renders the full help as a bordered box of at most width×height,
// groups laid out in columns; disabled keys are shown with their reason.
func Help(groups []HelpGroup, width, height int, th Theme) string {
	s, _ := HelpScroll(groups, width, height, 0, th)
	return s
}

// HelpScroll is Help scrolled down by offset lines when it does not fit;
// it returns the largest useful offset (0 when everything fits), and
// marks hidden lines above and below.
func HelpScroll(groups []HelpGroup, width, height, offset int, th Theme) (string, int) {
	lines := helpLines(groups, width, th)
	room := height - 2 // the border
	if room < 3 || len(lines) <= room {
		return box("Keys", lines, width, height, th), 0
	}
	maxOff := len(lines) - (room - 1) // one row for the "more" marker
	offset = clamp(offset, 0, maxOff)
	view := append([]string(nil), lines[offset:offset+room-1]...)
	more := "↓ more (↑/↓ scroll)"
	if offset == maxOff {
		more = "↑ more above"
	}
	view = append(view, paint(th.Muted, more))
	return box("Keys", view, width, height, th), maxOff
}

func helpLines(groups []HelpGroup, width int, th Theme) []string {
	var cols [][]string
	for _, g := range groups {
		g.Keys = sanitizeHints(g.Keys)
		lines := []string{paint(th.Title, Sanitize(g.Title))}
		kw := 0
		for _, k := range g.Keys {
			kw = max(kw, ansi.StringWidth(k.Key))
		}
		for _, k := range g.Keys {
			key := k.Key + strings.Repeat(" ", kw-ansi.StringWidth(k.Key))
			if k.Disabled {
				d := k.Desc
				if k.Why != "" {
					d += " (" + k.Why + ")"
				}
				lines = append(lines, paint(th.Muted, key+"  "+d))
			} else {
				lines = append(lines, paint(th.Key, key)+"  "+paint(th.Desc, k.Desc))
			}
		}
		cols = append(cols, lines)
	}
	return columns(cols, width-4)
}

// columns lays out blocks of lines side by side where they fit, else
// stacks them.
func columns(cols [][]string, width int) []string {
	if width <= 0 {
		return nil
	}
	var out []string
	var row [][]string
	roww := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		ws := make([]int, len(row))
		h := 0
		for i, c := range row {
			for _, l := range c {
				ws[i] = max(ws[i], ansi.StringWidth(l))
			}
			h = max(h, len(c))
		}
		for j := 0; j < h; j++ {
			var b strings.Builder
			for i, c := range row {
				if i > 0 {
					b.WriteString("   ")
				}
				l := ""
				if j < len(c) {
					l = c[j]
				}
				if i < len(row)-1 {
					l = fit(l, ws[i])
				}
				b.WriteString(l)
			}
			out = append(out, b.String())
		}
		out = append(out, "")
		row, roww = nil, 0
	}
	for _, c := range cols {
		w := 0
		for _, l := range c {
			w = max(w, ansi.StringWidth(l))
		}
		if len(row) > 0 && roww+3+w > width {
			flush()
		}
		if len(row) > 0 {
			roww += 3
		}
		row = append(row, c)
		roww += w
	}
	flush()
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// box draws lines inside a rounded border with a title, at most width
// wide and height tall; lines that do not fit end with "…".
func box(title string, lines []string, width, height int, th Theme) string {
	if width < 4 || height < 3 {
		return block(lines, max(width, 0), max(height, 0))
	}
	inner := 0
	for _, l := range lines {
		inner = max(inner, ansi.StringWidth(l))
	}
	inner = max(inner, ansi.StringWidth(title)+2)
	inner = min(inner, width-4)
	if len(lines) > height-2 {
		lines = append(lines[:height-3:height-3], paint(th.Muted, ellipsis))
	}
	b := lipgloss.RoundedBorder()
	bs := th.Border
	t := clip(" "+title+" ", inner)
	top := paint(bs, b.TopLeft+b.Top) + paint(th.Title, t) + paint(bs, strings.Repeat(b.Top, inner+1-ansi.StringWidth(t))+b.TopRight)
	out := []string{top}
	for _, l := range lines {
		out = append(out, paint(bs, b.Left)+" "+fit(l, inner)+" "+paint(bs, b.Right))
	}
	out = append(out, paint(bs, b.BottomLeft+strings.Repeat(b.Bottom, inner+2)+b.BottomRight))
	return strings.Join(out, "\n")
}

// ErrorBox renders an inline error: a title and the client's explanation,
// wrapped to width.
func ErrorBox(title, msg string, width int, th Theme) string {
	if width <= 0 {
		return ""
	}
	lines := []string{paint(th.Error, "✗ "+Sanitize(title))}
	for _, para := range strings.Split(SanitizeMultiline(msg), "\n") {
		lines = append(lines, wrap(para, max(width-4, 1))...)
	}
	return box("Error", lines, width, len(lines)+2, th)
}

// Welcome is the empty screen: what to type and, on demo, indicators
// worth trying. Exactly width×height.
func Welcome(suggestions []string, demo bool, width, height int, th Theme) string {
	lines := []string{
		paint(th.Title, "Investigate an indicator"),
		"",
		"Type or paste an IP, domain, email, ASN or URL and press Enter.",
		paint(th.Muted, "Defanged indicators (hxxp://evil[.]example) are fine."),
		"",
		"Who is risky right now? " + paint(th.Key, "6") + " opens the risky-users queue.",
	}
	if len(suggestions) > 0 {
		lines = append(lines, "")
		if demo {
			lines = append(lines, paint(th.Accent, "Demo data — try one of these (↑ in the search box picks them):"))
		} else {
			lines = append(lines, "Try:")
		}
		for _, s := range suggestions {
			lines = append(lines, "  "+paint(th.Value, Sanitize(s)))
		}
	}
	lines = append(lines, "", paint(th.Muted, "esc leaves the search box, then: 1-9 panes · ? help · q quit"))
	var wrapped []string
	for _, l := range lines {
		if ansi.StringWidth(l) > width {
			wrapped = append(wrapped, wrap(ansi.Strip(l), width)...)
		} else {
			wrapped = append(wrapped, l)
		}
	}
	return centre(wrapped, width, height)
}

// centre places lines in the middle of a width×height area, each line
// left-aligned with the others.
func centre(lines []string, width, height int) string {
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	w = min(w, width)
	left := (width - w) / 2
	top := max(0, (height-len(lines))/2)
	out := make([]string, 0, height)
	for i := 0; i < top; i++ {
		out = append(out, "")
	}
	for _, l := range lines {
		out = append(out, strings.Repeat(" ", left)+l)
	}
	return block(out, width, height)
}

// Overlay centres box over base (a rendered width×height screen).
func Overlay(base, box string, width, height int) string {
	bl := splitLines(base)
	for len(bl) < height {
		bl = append(bl, "")
	}
	bl = bl[:max(height, 0)]
	xl := splitLines(box)
	if len(xl) > height {
		xl = xl[:height]
	}
	bw := 0
	for _, l := range xl {
		bw = max(bw, ansi.StringWidth(l))
	}
	bw = min(bw, width)
	x := (width - bw) / 2
	y := (height - len(xl)) / 2
	for i, l := range xl {
		row := fit(bl[y+i], width)
		left := ansi.Cut(row, 0, x)
		right := ansi.Cut(row, x+bw, width)
		if strings.ContainsRune(left, '\x1b') {
			// The base's style at the cut must not spill into the box.
			// (Cut keeps every escape sequence of the line, so a
			// hyperlink's closing sequence is kept already.)
			left += ansi.ResetStyle
		}
		bl[y+i] = left + fit(l, bw) + right
	}
	return strings.Join(bl, "\n")
}

// Hyperlink wraps text in an OSC 8 hyperlink when the theme allows it.
// The URL is reduced to printable ASCII (anything else percent-encoded)
// so it cannot end the sequence early.
func Hyperlink(link, text string, th Theme) string {
	if !th.Links || th.NoColor || link == "" {
		return text
	}
	return ansi.SetHyperlink(safeURL(link)) + text + ansi.ResetHyperlink()
}

func safeURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f {
			b.WriteString("%" + strings.ToUpper(hex2(c)))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func hex2(c byte) string {
	const h = "0123456789abcdef"
	return string([]byte{h[c>>4], h[c&15]})
}

// DashboardURL is the Investigate page of the account's Security Center
// in the Cloudflare dashboard ("" when accountID is not a Cloudflare
// account id). The dashboard has no documented per-indicator URL, so the
// analyst lands on Investigate and searches there.
func DashboardURL(accountID string) string {
	if len(accountID) != 32 {
		return ""
	}
	for i := 0; i < len(accountID); i++ {
		c := accountID[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return ""
		}
	}
	return "https://dash.cloudflare.com/" + url.PathEscape(accountID) + "/security-center/investigate"
}
