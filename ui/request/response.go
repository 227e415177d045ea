package request

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

// response is the last answer and where the analyst is in it. The body
// is prepared (pretty-printed, sanitized, split) once when it arrives;
// scrolling only moves top.
type response struct {
	method, url string
	status      int
	duration    time.Duration
	header      http.Header
	body        *respBody
	err         string

	top, xoff   int
	showHeaders bool
	headerTop   int

	search    string
	searching bool
	searchIn  textinput.Model
	matches   []int
	match     int
}

// newResponse builds the viewer state from what Send returned.
func newResponse(method, url string, ex *cloudflare.Exchange, body *respBody, err error) *response {
	r := &response{method: method, url: url, match: -1}
	if err != nil {
		r.err = actions.Explain(err)
	}
	if actions.TimedOut(err) && !actions.IsWrite(method) {
		r.err += " Press ctrl+r to send it again." // a read: safe to repeat
	}
	if ex != nil {
		r.status, r.duration, r.header, r.body = ex.StatusCode, ex.Duration, ex.Header, body
		if ex.URL != "" {
			r.url = ex.URL
		}
	}
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		switch {
		case ex != nil && ce.Kind == cloudflare.KindBadRequest:
			// The status and body say it all; a generic message would
			// only hide a line of the body.
			r.err = ""
		case actions.IsWrite(method) && actions.OutcomeOf(err) == actions.OutcomeUnknown:
			r.err = "OUTCOME UNKNOWN: the " + method + " may or may not have been applied; it was not retried (audited as unknown). " + r.err
		}
	}
	return r
}

func (r *response) summary() string {
	if r.status == 0 {
		if r.err != "" {
			return "failed: " + r.err
		}
		return "no response"
	}
	s := strconv.Itoa(r.status) + " " + http.StatusText(r.status)
	if r.duration > 0 {
		s += " · " + strconv.FormatInt(r.duration.Milliseconds(), 10) + " ms"
	}
	if r.body != nil {
		s += " · " + strconv.Itoa(r.body.Lines()) + " lines"
	}
	return s
}

func (r *response) empty() bool { return r.body == nil || r.body.Lines() == 0 }

func (t *Tool) responseView() views.ResponseView {
	if t.sending {
		return views.ResponseView{Pending: true, Method: t.methodName(), URL: t.resolved}
	}
	r := t.resp
	if r == nil {
		return views.ResponseView{Hint: "No response yet — ctrl+r sends the request.", Match: -1}
	}
	v := views.ResponseView{
		Method: r.method, URL: r.url, Status: r.status, Duration: r.duration, Header: r.header,
		Err: r.err, Focused: t.focus == views.FocusResponse,
		Top: r.top, XOff: r.xoff, ShowHeaders: r.showHeaders, HeaderTop: r.headerTop,
		Search: r.search, Matches: r.matches, Match: r.match, MatchesCapped: len(r.matches) >= maxSearchMatches,
		Notice: t.notice, NoticeErr: t.noticeErr,
	}
	if r.body != nil { // a nil *respBody would be a non-nil interface
		v.Body = r.body
	}
	if r.searching {
		v.SearchInput = r.searchIn.View()
	}
	return v
}

// responseSize is the area the viewer gets at the current layout.
func (t *Tool) responseSize() (int, int) {
	if t.wide(t.w) {
		return views.SideRightWidth(t.editorWidth(t.w), t.w), t.h
	}
	return t.w, t.h
}

func (t *Tool) pageRows() int {
	w, h := t.responseSize()
	return views.ResponseBodyRows(t.responseView(), w, h)
}

// clampScroll keeps the body (or header list) window inside the content.
func (t *Tool) clampScroll() {
	r := t.resp
	if r == nil {
		return
	}
	rows := t.pageRows()
	r.top = max(0, min(r.top, r.body.Lines()-rows))
	r.headerTop = max(0, min(r.headerTop, len(r.header)-rows))
	r.xoff = max(0, r.xoff)
}

// responseKey is a key for the viewer that no binding took: the
// scrolling pairs.
func (t *Tool) responseKey(msg tea.KeyPressMsg) {
	r := t.resp
	if r == nil || t.sending {
		return
	}
	k := t.keys
	rows := t.pageRows()
	scroll := func(d int) {
		if r.showHeaders {
			r.headerTop += d
		} else {
			r.top += d
		}
	}
	switch {
	case matches(msg, k.ScrollDown):
		scroll(1)
	case matches(msg, k.ScrollUp):
		scroll(-1)
	case matches(msg, k.PageDown):
		scroll(max(1, rows-1))
	case matches(msg, k.PageUp):
		scroll(-max(1, rows-1))
	case matches(msg, k.Top):
		r.top, r.headerTop = 0, 0
	case matches(msg, k.Bottom):
		scroll(1 << 30)
	case matches(msg, k.Right):
		r.xoff += 8
	case matches(msg, k.Left):
		r.xoff -= 8
	case matches(msg, k.NextMatch):
		t.jumpMatch(1)
	case matches(msg, k.PrevMatch):
		t.jumpMatch(-1)
	default:
		return
	}
	t.clampScroll()
}

func (t *Tool) startSearch() {
	r := t.resp
	r.searching = true
	r.showHeaders = false
	r.searchIn = textinput.New()
	r.searchIn.Prompt = "/"
	r.searchIn.Placeholder = "search the body"
	r.searchIn.CharLimit = 256
	r.searchIn.SetStyles(t.st)
	// Sized before anything is drawn: an input without a width shows
	// only the first letter of its placeholder ("/s").
	w, _ := t.responseSize()
	r.searchIn.SetWidth(max(8, w-2))
	r.searchIn.SetValue(r.search)
	r.searchIn.CursorEnd()
	r.searchIn.Focus()
}

// runSearch is enter in the search box.
func (t *Tool) runSearch() {
	r := t.resp
	r.searching = false
	r.search = r.searchIn.Value()
	r.matches = r.body.Search(r.search)
	r.match = -1
	if len(r.matches) > 0 {
		// The first match at or below the top of the window.
		r.match = 0
		for i, off := range r.matches {
			if r.body.LineOf(off) >= r.top {
				r.match = i
				break
			}
		}
		t.showMatch()
	}
}

func (t *Tool) jumpMatch(d int) {
	r := t.resp
	if len(r.matches) == 0 {
		return
	}
	r.match = (r.match + d + len(r.matches)) % len(r.matches)
	t.showMatch()
}

// showMatch scrolls so the current match is on screen, a few lines below
// the top for context.
func (t *Tool) showMatch() {
	r := t.resp
	if r.match < 0 || r.match >= len(r.matches) {
		return
	}
	line := r.body.LineOf(r.matches[r.match])
	rows := t.pageRows()
	if line < r.top || line >= r.top+rows {
		r.top = max(0, line-min(3, rows/3))
	}
	// Horizontally: bring the match column into view when it is off.
	w, _ := t.responseSize()
	start := r.matches[r.match]
	col := start - r.body.LineStart(line)
	cw := max(1, w-len(strconv.Itoa(r.body.Lines()))-2)
	if col < r.xoff || col >= r.xoff+cw {
		r.xoff = max(0, col-cw/3)
	}
	t.clampScroll()
}

// copyBody is y in the viewer.
func (t *Tool) copyBody() tea.Cmd {
	r := t.resp
	t.setNotice("copied the body ("+strconv.Itoa(r.body.Lines())+" lines)", false)
	return tea.SetClipboard(views.SanitizeMultiline(r.body.Text()))
}
