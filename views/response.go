package views

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// ResponseBody is a prepared response body as the viewer draws it (the
// Request pane's document model, which also searches it): displayed lines,
// already sanitized, where a line longer than the model's chunk is cut
// into continuation lines. LineStart offsets are those search matches use.
type ResponseBody interface {
	Lines() int
	Line(i int) string
	LineStart(i int) int
	// Continued: line i continues the line above (a long line cut).
	Continued(i int) bool
	// IsJSON: the body parsed as JSON and was pretty-printed.
	IsJSON() bool
	// Size is the raw body's length in bytes.
	Size() int
}

// bodyLines is b.Lines(), 0 without a body.
func bodyLines(b ResponseBody) int {
	if b == nil {
		return 0
	}
	return b.Lines()
}

// ResponseView is what the response viewer shows. Header values and the
// URL came from the network or the analyst and are sanitized here.
type ResponseView struct {
	Method   string
	URL      string
	Status   int // 0: no response
	Duration time.Duration
	Header   http.Header
	Body     ResponseBody // nil: no body
	// Err is the client's explanation when the call failed (beside the
	// response when one arrived, instead of it otherwise).
	Err string
	// Pending is set while the request is in flight.
	Pending bool
	// Focused: the viewer takes the keys.
	Focused bool
	// Top and XOff are the scroll position of the body (first line,
	// first cell); HeaderTop that of the header list.
	Top, XOff   int
	ShowHeaders bool
	HeaderTop   int
	// Search is the last search; SearchInput the rendered search box
	// while the analyst types one ("" otherwise). Matches are byte
	// offsets into the body (LineStart's); Match is the current one (-1: none).
	Search      string
	SearchInput string
	Matches     []int
	Match       int
	// MatchesCapped: the search stopped at its cap; there may be more.
	MatchesCapped bool
	// Hint is shown when there is no response yet.
	Hint string
	// Notice is a transient message for the bottom line (copied, no
	// match); NoticeErr styles it as an error.
	Notice    string
	NoticeErr bool
}

// rsURLMax is how many lines the request line may wrap to.
const rsURLMax = 5

// rsURLLines is "METHOD URL", wrapped rather than cut at the edge.
func rsURLLines(v ResponseView, width int, th Theme) []string {
	out := wrapURLMax(Sanitize(v.Method)+" "+Sanitize(v.URL), width, rsURLMax)
	for i := range out {
		out[i] = paint(th.Muted, out[i])
	}
	return out
}

// rsChrome is the number of rows above and below the body window.
func rsChrome(v ResponseView, width int) (top, bottom int) {
	top = 2 + len(rsURLLines(v, width, PlainTheme())) // status, URL, section tabs
	if v.Err != "" {
		top += min(3, len(wrap(Sanitize(v.Err), max(width-2, 1))))
	}
	return top, 1
}

// ResponseBodyRows is how many body (or header) lines the viewer shows
// in a width×height area; the ui pages and clamps scrolling with it.
func ResponseBodyRows(v ResponseView, width, height int) int {
	t, b := rsChrome(v, width)
	return max(1, height-t-b)
}

// ResponseHeaderLines is the number of lines of the header list.
func ResponseHeaderLines(v ResponseView) int { return len(rsHeaderKeys(v.Header)) }

func rsHeaderKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RenderResponse draws the response viewer, exactly width×height.
func RenderResponse(v ResponseView, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if v.Pending {
		lines := []string{paint(th.Accent, "Sending "+Sanitize(v.Method)+" …")}
		for _, l := range wrapURLMax(Sanitize(v.URL), width, rsURLMax) {
			lines = append(lines, paint(th.Muted, l))
		}
		return block(lines, width, height)
	}
	if v.Status == 0 && v.Body == nil {
		if v.Err != "" {
			box := ErrorBox("Request failed", v.Err, width, th)
			return block(splitLines(box), width, height)
		}
		hint := v.Hint
		if hint == "" {
			hint = "No response yet."
		}
		return block([]string{paint(th.Muted, Sanitize(hint))}, width, height)
	}
	lines := make([]string, 0, height)
	lines = append(lines, rsStatusLine(v, width, th))
	lines = append(lines, rsURLLines(v, width, th)...)
	if v.Err != "" {
		el := wrap(Sanitize(v.Err), max(width-2, 1))
		if len(el) > 3 {
			el = el[:3]
			el[2] = clip(el[2]+" "+ellipsis, width-2)
		}
		for _, l := range el {
			lines = append(lines, paint(th.Error, "✗ ")+paint(th.Warn, l))
		}
	}
	rows := ResponseBodyRows(v, width, height)
	lines = append(lines, rsSectionLine(v, rows, width, th))
	if v.ShowHeaders {
		lines = append(lines, rsHeaderLines(v, rows, width, th)...)
	} else {
		lines = append(lines, rsBodyLines(v, rows, width, th)...)
	}
	for len(lines) < height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:height-1], rsSearchLine(v, width, th))
	return block(lines, width, height)
}

func rsStatusLine(v ResponseView, width int, th Theme) string {
	st := th.OK
	switch {
	case v.Status >= 500 || v.Status == 0:
		st = th.Error
	case v.Status >= 400:
		st = th.Warn
	case v.Status >= 300:
		st = th.Accent
	}
	code := strconv.Itoa(v.Status) + " " + http.StatusText(v.Status)
	if v.Status == 0 {
		code = "no response"
	}
	parts := []string{paint(st, strings.TrimSpace(code))}
	if v.Duration > 0 {
		parts = append(parts, paint(th.Value, rsDuration(v.Duration)))
	}
	if v.Body != nil {
		parts = append(parts, paint(th.Value, rsBytes(v.Body.Size())))
		if ct := Sanitize(v.Header.Get("Content-Type")); ct != "" {
			ct, _, _ = strings.Cut(ct, ";")
			parts = append(parts, paint(th.Muted, ct))
		}
	}
	return fit(strings.Join(parts, paint(th.Muted, " · ")), width)
}

func rsDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatInt(d.Microseconds(), 10) + " µs"
	case d < 10*time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	default:
		return d.Round(100 * time.Millisecond).String()
	}
}

func rsBytes(n int) string {
	switch {
	case n < 1024:
		return strconv.Itoa(n) + " B"
	case n < 1024*1024:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " kB"
	default:
		return strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MB"
	}
}

func rsSectionLine(v ResponseView, rows, width int, th Theme) string {
	n := bodyLines(v.Body)
	bodyTab := "Body (" + thousands(n) + " lines)"
	if n == 0 {
		bodyTab = "Body (empty)"
	}
	hdrTab := "Headers (" + strconv.Itoa(len(v.Header)) + ")"
	tab := func(s string, on bool) string {
		if on {
			return paint(th.TabActive, s)
		}
		return paint(th.Tab, s)
	}
	left := tab(bodyTab, !v.ShowHeaders) + paint(th.Muted, " │ ") + tab(hdrTab, v.ShowHeaders)
	var pos string
	if v.ShowHeaders {
		if k := len(v.Header); k > rows {
			pos = strconv.Itoa(v.HeaderTop+1) + "-" + strconv.Itoa(min(k, v.HeaderTop+rows)) + "/" + strconv.Itoa(k)
		}
	} else if n > rows {
		pos = "lines " + thousands(v.Top+1) + "-" + thousands(min(n, v.Top+rows)) + " of " + thousands(n)
		if v.XOff > 0 {
			pos += " · col " + strconv.Itoa(v.XOff+1)
		}
	}
	if pos == "" {
		return fit(left, width)
	}
	right := paint(th.Muted, pos)
	gap := width - rsWidth(left) - rsWidth(right)
	if gap < 1 {
		return fit(left, width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// rsWidth is the cell width of a styled string.
func rsWidth(s string) int { return ansi.StringWidth(s) }

func rsSearchLine(v ResponseView, width int, th Theme) string {
	if v.SearchInput != "" {
		return fit(v.SearchInput, width)
	}
	if v.Notice != "" {
		mark, st := paint(th.OK, "✓ "), th.Value
		if v.NoticeErr {
			mark, st = paint(th.Error, "✗ "), th.Warn
		}
		return fit(mark+paint(st, Sanitize(v.Notice)), width)
	}
	if v.Search == "" {
		return fit("", width)
	}
	q := paint(th.Muted, "search ") + paint(th.Value, Sanitize(v.Search)) + paint(th.Muted, " · ")
	switch {
	case len(v.Matches) == 0:
		return fit(q+paint(th.Warn, "no match"), width)
	case v.Match >= 0:
		s := strconv.Itoa(v.Match+1) + " of " + thousands(len(v.Matches))
		if v.MatchesCapped {
			s += "+"
		}
		return fit(q+paint(th.Value, s)+paint(th.Muted, " · n/N next/previous"), width)
	default:
		return fit(q+paint(th.Value, thousands(len(v.Matches))+" matches"), width)
	}
}

func rsHeaderLines(v ResponseView, rows, width int, th Theme) []string {
	keys := rsHeaderKeys(v.Header)
	out := make([]string, 0, rows)
	for i := v.HeaderTop; i < len(keys) && len(out) < rows; i++ {
		k := keys[i]
		val := Sanitize(strings.Join(v.Header[k], ", "))
		out = append(out, clip(paint(th.JSONKey, Sanitize(k))+paint(th.JSONPunct, ": ")+paint(th.Value, val), width))
	}
	if len(keys) == 0 {
		out = append(out, paint(th.Muted, "no headers"))
	}
	return out
}

// segment kinds of a highlighted line.
const (
	rsPlain = iota
	rsKey
	rsString
	rsNumber
	rsBool
	rsNull
	rsPunct
)

// Extra palette entries after the token kinds.
const (
	rsMatch = rsPunct + 1 + iota
	rsCurrent
	rsKinds
)

type rsSeg struct {
	start, end int
	kind       int
}

// rsPalette holds each style's opening and closing sequences, computed
// once per frame: painting every token through lipgloss would cost more
// than the rest of the frame.
type rsPalette [rsKinds]struct{ pre, suf string }

func rsMakePalette(th Theme) *rsPalette {
	var p rsPalette
	for k := 0; k < rsKinds; k++ {
		st := rsSegStyle(k, th)
		out := paint(st, "\x00")
		if i := strings.IndexByte(out, 0); i >= 0 {
			p[k].pre, p[k].suf = out[:i], out[i+1:]
		}
	}
	return &p
}

func rsBodyLines(v ResponseView, rows, width int, th Theme) []string {
	b := v.Body
	n := bodyLines(b)
	if n == 0 {
		return []string{paint(th.Muted, "(empty body)")}
	}
	gw := len(strconv.Itoa(n)) + 1
	cw := max(1, width-gw-1)
	qlen := len(Sanitize(v.Search))
	cur := -1
	if v.Match >= 0 && v.Match < len(v.Matches) {
		cur = v.Matches[v.Match]
	}
	out := make([]string, 0, rows)
	pal := rsMakePalette(th)
	gutterPre := rsMakeGutter(th)
	var segs []rsSeg
	for i := max(0, v.Top); i < n && len(out) < rows; i++ {
		line := b.Line(i)
		start := b.LineStart(i)
		end := start + len(line)
		gutter := strings.Repeat(" ", gw)
		if !b.Continued(i) {
			num := strconv.Itoa(i + 1)
			gutter = strings.Repeat(" ", gw-len(num)) + num
		}
		segs = segs[:0]
		if b.IsJSON() && !b.Continued(i) {
			segs = rsJSONSegments(line, segs)
		} else {
			segs = append(segs, rsSeg{0, len(line), rsPlain})
		}
		var ms [][2]int
		if qlen > 0 && len(v.Matches) > 0 {
			j := sort.SearchInts(v.Matches, start-qlen+1)
			for ; j < len(v.Matches) && v.Matches[j] < end; j++ {
				ms = append(ms, [2]int{v.Matches[j] - start, v.Matches[j] - start + qlen})
			}
		}
		text := rsPaintWindow(line, segs, ms, cur-start, v.XOff, cw, pal)
		out = append(out, gutterPre.pre+gutter+gutterPre.suf+" "+text)
	}
	return out
}

func rsSegStyle(kind int, th Theme) lipgloss.Style {
	switch kind {
	case rsKey:
		return th.JSONKey
	case rsString:
		return th.JSONString
	case rsNumber:
		return th.JSONNumber
	case rsBool:
		return th.JSONBool
	case rsNull:
		return th.JSONNull
	case rsPunct:
		return th.JSONPunct
	case rsMatch:
		return th.Match
	case rsCurrent:
		return th.Cursor
	}
	return th.Value
}

// rsPaintWindow styles line by its segments, marks search matches (the
// current one, starting at byte cur, stands out), and keeps only the
// cells [xoff, xoff+w).
func rsPaintWindow(line string, segs []rsSeg, matches [][2]int, cur, xoff, w int, pal *rsPalette) string {
	var b strings.Builder
	b.Grow(w + 64)
	col := 0 // cells consumed so far
	used := 0
	put := func(s string, kind int) {
		if s == "" {
			return
		}
		b.WriteString(pal[kind].pre)
		b.WriteString(s)
		b.WriteString(pal[kind].suf)
	}
	emit := func(s string, st int) {
		if s == "" || used >= w {
			return
		}
		// Drop what lies left of the window, keep what fits in it.
		sw := width(s)
		if col+sw <= xoff {
			col += sw
			return
		}
		if col < xoff || used+sw > w {
			var kept strings.Builder
			kw := 0
			for _, r := range s {
				rw := width(string(r))
				if col < xoff {
					col += rw
					if col > xoff { // a wide rune cut by the left edge
						kept.WriteByte(' ')
						kw++
					}
					continue
				}
				if used+kw+rw > w {
					break
				}
				kept.WriteRune(r)
				kw += rw
				col += rw
			}
			put(kept.String(), st)
			used += kw
			return
		}
		put(s, st)
		col += sw
		used += sw
	}
	mi := 0
	for _, sg := range segs {
		pos := sg.start
		for pos < sg.end {
			for mi < len(matches) && matches[mi][1] <= pos {
				mi++
			}
			st := sg.kind
			next := sg.end
			if mi < len(matches) {
				m := matches[mi]
				if m[0] <= pos {
					st = rsMatch
					if m[0] == cur {
						st = rsCurrent
					}
					next = min(sg.end, m[1])
				} else {
					next = min(sg.end, m[0])
				}
			}
			emit(line[pos:next], st)
			pos = next
		}
	}
	return b.String()
}

// rsJSONSegments splits one line of pretty-printed JSON into tokens for
// highlighting. It is forgiving: anything it does not recognise is
// plain text.
func rsJSONSegments(line string, out []rsSeg) []rsSeg {
	n := len(line)
	for i := 0; i < n; {
		c := line[i]
		switch {
		case c == ' ':
			j := i
			for j < n && line[j] == ' ' {
				j++
			}
			out = append(out, rsSeg{i, j, rsPlain})
			i = j
		case c == '"':
			j := i + 1
			for j < n {
				if line[j] == '\\' {
					j += 2
					continue
				}
				j++
				if line[j-1] == '"' {
					break
				}
			}
			j = min(j, n)
			kind := rsString
			k := j
			for k < n && line[k] == ' ' {
				k++
			}
			if k < n && line[k] == ':' {
				kind = rsKey
			}
			out = append(out, rsSeg{i, j, kind})
			i = j
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < n && strings.IndexByte("0123456789.eE+-", line[j]) >= 0 {
				j++
			}
			out = append(out, rsSeg{i, j, rsNumber})
			i = j
		case strings.HasPrefix(line[i:], "true"):
			out = append(out, rsSeg{i, i + 4, rsBool})
			i += 4
		case strings.HasPrefix(line[i:], "false"):
			out = append(out, rsSeg{i, i + 5, rsBool})
			i += 5
		case strings.HasPrefix(line[i:], "null"):
			out = append(out, rsSeg{i, i + 4, rsNull})
			i += 4
		case strings.IndexByte("{}[],:", c) >= 0:
			out = append(out, rsSeg{i, i + 1, rsPunct})
			i++
		default:
			j := i + 1
			for j < n && strings.IndexByte(" \"{}[],:", line[j]) < 0 {
				j++
			}
			out = append(out, rsSeg{i, j, rsPlain})
			i = j
		}
	}
	return out
}

// rsMakeGutter is the line-number style's opening and closing sequences.
func rsMakeGutter(th Theme) struct{ pre, suf string } {
	out := paint(th.LineNo, "\x00")
	i := strings.IndexByte(out, 0)
	if i < 0 {
		return struct{ pre, suf string }{}
	}
	return struct{ pre, suf string }{out[:i], out[i+1:]}
}
