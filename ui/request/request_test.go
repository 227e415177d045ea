package request

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/store"
	"cftriage/views"
)

// setEndpoint clears the endpoint field and types p into it, as an
// analyst would (enter starts typing, ctrl+u deletes to the start of
// the line). It leaves the field typing, with the completion list
// closed, so ctrl+r sends and tab moves on.
func (h *harness) setEndpoint(p string) {
	h.t.Helper()
	t := h.tool
	if t.focus != views.FocusEndpoint {
		t.setFocus(views.FocusEndpoint)
	}
	if !t.editing {
		h.keys("enter")
	}
	h.keys("ctrl+e", "ctrl+u")
	h.typeText(p)
	if t.suggOpen {
		h.keys("esc") // close the completion list, stay in the field
	}
	if t.suggOpen || !t.editing {
		h.t.Fatalf("endpoint: list open %v, typing %v", t.suggOpen, t.editing)
	}
	t.held = false // the enter after closing the list is tested on its own
}

// editBody moves to the body and starts typing in it (enter on it).
func (h *harness) editBody() {
	h.t.Helper()
	h.tool.setFocus(views.FocusBody)
	h.keys("enter")
	if !h.tool.editing {
		h.t.Fatal("enter on the body did not start typing")
	}
}

// addRow adds a query parameter or header through the row editor.
func (h *harness) addRow(f views.RequestFocus, k, v string) {
	h.t.Helper()
	h.tool.setFocus(f)
	h.keys("a")
	h.typeText(k)
	h.keys("tab")
	h.typeText(v)
	h.keys("enter")
}

func TestRequestRowsAddedEditedRemoved(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.setEndpoint("/accounts/{account_id}/intel/dns")
	h.keys("tab") // endpoint → query
	if tl.focus != views.FocusQuery {
		t.Fatalf("tab from the endpoint went to %v", tl.focus)
	}
	h.keys("a")
	if !tl.Capturing() {
		t.Fatal("editing a row does not capture typing")
	}
	h.typeText("ipv4")
	h.keys("tab")
	h.typeText(sim.IPRiskyC2)
	h.keys("enter")
	h.addRow(views.FocusQuery, "page", "2")
	h.mustSee("Query (2)", "ipv4 = "+sim.IPRiskyC2, "page = 2")
	// The URL preview follows the rows.
	if !strings.HasSuffix(tl.resolved, "/intel/dns?ipv4="+sim.IPRiskyC2+"&page=2") {
		t.Fatalf("preview %q", tl.resolved)
	}
	h.mustSee("?ipv4=" + sim.IPRiskyC2 + "&page=2")
	// Edit the second row's value.
	h.keys("e", "tab", "backspace")
	h.typeText("3")
	h.keys("enter")
	h.mustSee("page = 3")
	h.mustNotSee("page = 2")
	// Delete the first.
	h.keys("k", "d")
	h.mustSee("Query (1)", "page = 3")
	h.mustNotSee("ipv4 = ")
	if got := tl.query.pairs(); len(got) != 1 || got[0] != [2]string{"page", "3"} {
		t.Fatalf("rows = %v", got)
	}
	// A row without a name is not kept; esc drops the unfinished row.
	h.keys("a", "tab")
	h.typeText("orphan")
	h.keys("enter")
	h.mustSee("a name is required")
	h.keys("esc")
	if len(tl.query.rows) != 1 || tl.Capturing() {
		t.Fatalf("cancelled row kept: %v", tl.query.rows)
	}
	// Headers work the same way.
	h.addRow(views.FocusHeaders, "X-Request-Note", "SOC-4411")
	h.mustSee("Headers (1)", "X-Request-Note: SOC-4411")
	if h.sim.Total() != 0 {
		t.Fatal("editing sent a request")
	}
}

func TestRequestBodyValidatesAsYouTypeAndFormats(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.editBody()
	h.typeText(`{"a": 1,`)
	h.mustSee("invalid JSON at 1:9: unexpected end of JSON input")
	h.keys("enter")
	h.typeText(`"b": }`)
	h.mustSee("invalid JSON at 2:6: invalid character '}' looking for beginning of value")
	// ctrl+l refuses to format invalid JSON and says why.
	h.keys("ctrl+l")
	h.mustSee("cannot format")
	h.keys("backspace")
	h.typeText(`[true,null,"x"]}`)
	h.mustSee("valid JSON")
	h.mustNotSee("invalid JSON")
	h.keys("ctrl+l")
	want := "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null,\n    \"x\"\n  ]\n}"
	if got := tl.body.Text(); got != want {
		t.Fatalf("formatted body = %q, want %q", got, want)
	}
	h.mustSee("body formatted", `"b": [`)
	// A body is refused before sending while it is invalid.
	h.keys("ctrl+e")
	h.typeText(",")
	h.setEndpoint("/accounts")
	h.keys("ctrl+r")
	h.mustSee("the body is not valid JSON")
	if tl.focus != views.FocusBody {
		t.Fatalf("focus %v after a refused body, want the body", tl.focus)
	}
	if h.sim.Total() != 0 {
		t.Fatal("a request was sent with an invalid body")
	}
}

func TestJSONErrorPositions(t *testing.T) {
	cases := map[string]string{
		"":               "",
		"  \n ":          "",
		`{"a":[1,2]}`:    "",
		"{\n  \"é\": x}": "invalid JSON at 2:8:",
		"[1,2":           "invalid JSON at 1:5: unexpected end",
		`{"a":1} {}`:     "invalid JSON at 1:9: invalid character '{' after top-level value",
	}
	for in, want := range cases {
		got := jsonError(in)
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("jsonError(%q) = %q, want prefix %q", in, got, want)
		}
	}
}

func TestRequestGetSendsAtOnceAndShowsTheResponse(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.setEndpoint("/accounts/{account_id}/intel/ip")
	h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
	h.keys("ctrl+r")
	if got := h.sim.Count(opIP); got != 1 {
		t.Fatalf("IP overview sent %d times, want 1", got)
	}
	h.mustSee("200 OK", `"ip": "`+sim.IPRiskyC2+`"`, "Body (")
	tl := h.tool
	if tl.focus != views.FocusResponse || tl.resp == nil {
		t.Fatal("the response did not take the focus")
	}
	if !h.quota.Known {
		t.Fatal("the send's result carried no quota for the header")
	}
	// The GET was kept in history, without the token.
	dir, _ := store.StateDir()
	hist, err := store.LoadHistory(dir, 0)
	if err != nil || len(hist) != 1 {
		t.Fatalf("history = %v, %v", hist, err)
	}
	e := hist[0]
	if e.Method != "GET" || e.Path != "/accounts/{account_id}/intel/ip" || len(e.Query) != 1 || e.Query[0][1] != sim.IPRiskyC2 || e.Status != 200 {
		t.Fatalf("history entry = %+v", e)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, store.HistoryFile))
	if strings.Contains(string(raw), sim.DemoToken) {
		t.Fatal("the token is in the history file")
	}
	// Headers view and back.
	h.keys("H")
	h.mustSee("Content-Type: application/json")
	h.keys("H")
	// esc returns to the editor, where a summary of the response stays.
	h.keys("esc")
	h.mustSee("response 200 OK")
	if tl.focus == views.FocusResponse {
		t.Fatal("esc did not return to the editor")
	}
}

func TestRequestGetErrorStatusShowsBody(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint("/accounts/{account_id}/zt_risk_scoring/00000000-0000-4000-8000-000000000000")
	h.keys("enter")
	h.mustSee("404 Not Found", `"success": false`)
}

// resetPath is a write the simulator accepts: the risk reset of a user
// it knows.
func resetPath(h *harness) string {
	h.t.Helper()
	return "/accounts/{account_id}/zt_risk_scoring/" + knownUser(h).ID + "/reset"
}

func TestRequestWriteAsksFirstThenSendsOnceAndAudits(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint(writePath)
	h.keys("shift+tab", "right") // method: GET → POST
	h.mustSee("POST")
	h.keys("ctrl+r")
	full := h.sess.Client.BaseURL() + "/accounts/" + sim.DemoAccountID + "/intel/miscategorization"
	h.mustSee("Send POST?", "never retried")
	// The full URL is on screen (wrapped in the box at worst).
	sc := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "URL", " ").Replace(h.screen())), "")
	if !strings.Contains(sc, full) {
		t.Fatalf("confirmation lacks the full URL %s:\n%s", full, h.screen())
	}
	if n := h.stub.writes.Load(); n != 0 {
		t.Fatalf("%d POSTs sent before confirming", n)
	}
	recs, _ := store.ReadAudit(h.sess.Audit.Path(), 0)
	if len(recs) != 0 {
		t.Fatalf("audit written before confirming: %v", recs)
	}
	// Cancel once: still nothing.
	h.keys("esc")
	h.mustSee("POST not sent")
	if n := h.stub.writes.Load(); n != 0 {
		t.Fatal("cancel sent the request")
	}
	h.keys("ctrl+r")
	h.keys("y")
	if n := h.stub.writes.Load(); n != 1 {
		t.Fatalf("the POST was sent %d times, want exactly 1", n)
	}
	h.mustSee("200 OK")
	recs, err := store.ReadAudit(h.sess.Audit.Path(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var intent, outcome *store.AuditRecord
	for i := range recs {
		r := &recs[i]
		if r.Action != store.ActionAPICall || r.Method != "POST" || r.URL != full {
			t.Fatalf("unexpected audit record %+v", r)
		}
		switch r.Phase {
		case store.PhaseIntent:
			intent = r
		case store.PhaseOutcome:
			outcome = r
		}
	}
	if len(recs) != 2 || intent == nil || outcome == nil || outcome.Outcome != store.OutcomeSuccess || outcome.HTTPStatus != 200 {
		t.Fatalf("audit = %+v, want one intent and one successful outcome", recs)
	}
	raw, _ := os.ReadFile(h.sess.Audit.Path())
	if strings.Contains(string(raw), sim.DemoToken) {
		t.Fatal("the token is in the audit log")
	}
}

func TestRequestReadOnlyRefusesWrites(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sess.ReadOnly, h.sess.ReadOnlyReason = true, "--read-only"
	h.setEndpoint("/accounts/{account_id}/zt_risk_scoring/abc/reset")
	h.keys("shift+tab", "right", "right", "right", "right") // DELETE
	h.mustSee("DELETE disabled: read-only mode: --read-only")
	h.keys("ctrl+r")
	h.mustSee("send disabled: read-only mode: --read-only")
	if len(h.dialogs) != 0 {
		t.Fatal("a confirmation opened in read-only mode")
	}
	// Even a send that gets past the key (a stale binding) is refused.
	h.run(h.tool.send(h.ctx()))
	h.mustSee("DELETE refused: read-only mode: --read-only; nothing was sent")
	if len(h.dialogs) != 0 {
		t.Fatal("a confirmation opened in read-only mode")
	}
	// GET still works in read-only mode.
	h.keys("right")
	h.setEndpoint("/accounts")
	h.keys("enter")
	if h.sim.Total() != 1 || h.sim.Count(opReset) != 0 {
		t.Fatalf("requests: total %d, resets %d; want only the GET", h.sim.Total(), h.sim.Count(opReset))
	}
}

func TestRequestRefusesForeignHostsAndAuthHeaders(t *testing.T) {
	var hits atomic.Int64
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
	}))
	defer evil.Close()
	evilHost := strings.TrimPrefix(evil.URL, "http://")
	h := newHarness(t, 120, 40)
	for _, p := range []string{
		evil.URL + "/client/v4/accounts",
		"//" + evilHost + "/client/v4/accounts",
		evilHost + "/client/v4/accounts",
		"/accounts/../../../x",
		"/accounts/%2e%2e/%2e%2e/x",
		strings.Replace(h.sess.Client.BaseURL(), "http://", "https://", 1) + "/accounts",
	} {
		h.setEndpoint(p)
		h.mustSee("✗ Refusing the path")
		h.keys("enter")
		if len(h.dialogs) != 0 {
			t.Fatalf("%s: a dialog opened", p)
		}
		if h.tool.resp != nil || h.tool.sending {
			t.Fatalf("%s: a request was started", p)
		}
	}
	// Credential headers are refused as they are typed, in any case.
	for _, name := range []string{"Authorization", "authorization", "X-Auth-Key", "x-auth-email", "Proxy-Authorization"} {
		h.addRow(views.FocusHeaders, name, "Bearer stolen")
		h.mustSee("header is refused")
		h.keys("esc")
	}
	tl := h.tool
	if len(tl.headers.rows) != 0 {
		t.Fatalf("refused headers kept: %v", tl.headers.rows)
	}
	// Even a row that got in some other way stops the send.
	tl.headers.rows = []views.KVRow{{Key: "X-Auth-Key", Value: "k"}}
	h.setEndpoint("/accounts")
	h.keys("ctrl+r")
	h.mustSee("X-Auth-Key header is refused")
	if n := hits.Load(); n != 0 {
		t.Fatalf("the foreign server got %d requests", n)
	}
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("the API got %d requests", n)
	}
}

func TestRequestCopyAsCurl(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.setEndpoint("/accounts/{account_id}/intel/ip")
	h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
	h.addRow(views.FocusHeaders, "X-Note", "it's a test")
	h.keys("ctrl+y")
	c := h.clipboard
	for _, want := range []string{
		`-H "Authorization: Bearer $CLOUDFLARE_API_TOKEN"`,
		"'" + h.sess.Client.BaseURL() + "/accounts/" + sim.DemoAccountID + "/intel/ip?ipv4=" + sim.IPRiskyC2 + "'",
		`-H 'X-Note: it'\''s a test'`,
	} {
		if !strings.Contains(c, want) {
			t.Fatalf("curl lacks %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, sim.DemoToken) {
		t.Fatal("the curl command holds the token")
	}
	h.mustSee("copied as curl")
	// A write with a body.
	tl := h.tool
	h.editBody()
	h.typeText(`{"reason":"x"}`)
	tl.setFocus(views.FocusMethod)
	h.keys("right")
	h.keys("ctrl+y")
	if !strings.Contains(h.clipboard, "-X POST") || !strings.Contains(h.clipboard, `--data-raw '{"reason":"x"}'`) {
		t.Fatalf("POST curl:\n%s", h.clipboard)
	}
	if h.sim.Total() != 0 {
		t.Fatal("copying sent a request")
	}
}

func TestRequestSaveAndRecall(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.setEndpoint("/accounts/{account_id}/intel/whois")
	h.addRow(views.FocusQuery, "domain", sim.DomainPhishing)
	h.addRow(views.FocusHeaders, "X-Note", "saved")
	h.editBody()
	h.typeText(`{"k":"v"}`)
	h.keys("ctrl+s")
	h.mustSee("Save request")
	h.typeText("phish whois")
	h.keys("enter")
	if len(h.dialogs) != 0 {
		t.Fatalf("save dialog still open:\n%s", h.screen())
	}
	h.mustSee("saved as phish whois")
	cfg, err := store.LoadConfig(h.sess.ConfigDir)
	if err != nil || cfg.Request("phish whois") == nil {
		t.Fatalf("not in the config file: %v %+v", err, cfg)
	}
	if h.sess.Config == nil || h.sess.Config.Request("phish whois") == nil {
		t.Fatal("the session's config does not hold the saved request (a later write would lose it)")
	}
	// Change everything, then recall.
	h.setEndpoint("/accounts")
	tl.query.setPairs(nil)
	tl.headers.setPairs(nil)
	tl.body.SetText("")
	h.keys("ctrl+o")
	h.mustSee("Saved requests & history", "phish whois")
	h.keys("enter")
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/intel/whois" {
		t.Fatalf("endpoint = %q", got)
	}
	if q := tl.query.pairs(); len(q) != 1 || q[0] != [2]string{"domain", sim.DomainPhishing} {
		t.Fatalf("query = %v", q)
	}
	if hd := tl.headers.pairs(); len(hd) != 1 || hd[0] != [2]string{"X-Note", "saved"} {
		t.Fatalf("headers = %v", hd)
	}
	if tl.body.Text() != `{"k":"v"}` {
		t.Fatalf("body = %q", tl.body.Text())
	}
	h.mustSee("loaded phish whois")
	// A tampered config with a credential header: recalled without it.
	h.sess.Config.SavedRequests = append(h.sess.Config.SavedRequests, store.SavedRequest{
		Name: "tampered", Method: "GET", Path: "/accounts", Header: [][2]string{{"Authorization", "Bearer x"}, {"X-Ok", "1"}}})
	h.keys("ctrl+o", "down", "enter")
	if hd := tl.headers.pairs(); len(hd) != 1 || hd[0][0] != "X-Ok" {
		t.Fatalf("recalled headers = %v", hd)
	}
	// Delete from the picker.
	h.keys("ctrl+o", "d", "esc")
	cfg, _ = store.LoadConfig(h.sess.ConfigDir)
	if cfg.Request("phish whois") != nil {
		t.Fatal("deleted request still in the config file")
	}
	h.mustSee("deleted phish whois")
	if h.sim.Total() != 0 {
		t.Fatal("saving or recalling sent a request")
	}
}

func TestRequestHistoryRecall(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.setEndpoint("/accounts/{account_id}/intel/domain")
	h.addRow(views.FocusQuery, "domain", sim.DomainPhishing)
	h.keys("ctrl+r")
	h.keys("esc")
	h.setEndpoint("/accounts")
	tl.query.setPairs(nil)
	h.keys("ctrl+o")
	h.mustSee("History", "HTTP 200")
	h.keys("enter")
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/intel/domain" {
		t.Fatalf("endpoint = %q", got)
	}
	if q := tl.query.pairs(); len(q) != 1 || q[0][1] != sim.DomainPhishing {
		t.Fatalf("query = %v", q)
	}
	h.mustSee("loaded from history")
}

func TestRequestCompletion(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.keys("enter") // start typing in the endpoint
	h.typeText("/accounts/{account_id}/intel/wh")
	h.mustSee("WHOIS record")
	h.keys("tab") // the only match is taken
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/intel/whois" {
		t.Fatalf("endpoint after tab = %q", got)
	}
	if tl.suggOpen {
		t.Fatal("list still open after accepting")
	}
	// ↓ opens every known path; choosing the reset sets POST.
	h.keys("ctrl+u", "down")
	h.mustSee("IP overview", "WHOIS record")
	for tl.sugg[tl.suggIdx].Method != "POST" {
		h.keys("down")
	}
	h.mustSee("reset a user's risk score") // the list scrolls with the choice
	h.keys("enter")
	if tl.methodName() != "POST" || !strings.HasSuffix(tl.endpoint.Value(), "/{user_id}/reset") {
		t.Fatalf("method %s endpoint %q", tl.methodName(), tl.endpoint.Value())
	}
	h.mustSee("still has a {placeholder}")
	if h.sim.Total() != 0 || len(h.dialogs) != 0 {
		t.Fatal("completion sent or asked something")
	}
}

func TestRequestResponseSearchCopyAndScroll(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.setEndpoint("/accounts/{account_id}/zt_risk_scoring/summary")
	h.keys("enter")
	tl := h.tool
	r := tl.resp
	if r == nil || r.body.Lines() < 20 {
		t.Fatalf("response too short for the test: %v", r)
	}
	h.keys("/")
	if !tl.Capturing() {
		t.Fatal("the search box does not capture typing")
	}
	h.typeText("EMAIL")
	h.keys("enter")
	if len(r.matches) < 2 || r.match != 0 {
		t.Fatalf("matches %d, current %d", len(r.matches), r.match)
	}
	rows := tl.pageRows()
	lineOf := func(i int) int { return r.body.LineOf(r.matches[i]) }
	inWindow := func(i int) bool { return lineOf(i) >= r.top && lineOf(i) < r.top+rows }
	if !inWindow(0) {
		t.Fatalf("first match (line %d) not in window [%d,+%d)", lineOf(0), r.top, rows)
	}
	h.mustSee("1 of ")
	// From the bottom, n goes to the next match and the window follows it
	// back up.
	h.keys("G")
	bottom := r.top
	if bottom == 0 || inWindow(1) {
		t.Fatalf("the test needs the second match (line %d) above the bottom window [%d,+%d)", lineOf(1), bottom, rows)
	}
	h.keys("n")
	if r.match != 1 {
		t.Fatalf("n: current %d, want 1", r.match)
	}
	if !inWindow(1) || r.top >= bottom {
		t.Fatalf("n: match line %d not in window [%d,+%d)", lineOf(1), r.top, rows)
	}
	h.mustSee("2 of ")
	// N goes back one, then wraps to the last; the window follows each.
	h.keys("N")
	if r.match != 0 || !inWindow(0) {
		t.Fatalf("N: current %d (line %d), window [%d,+%d)", r.match, lineOf(0), r.top, rows)
	}
	h.keys("N")
	last := len(r.matches) - 1
	if r.match != last || !inWindow(last) {
		t.Fatalf("N wraps to the last: current %d, line %d, window [%d,+%d)", r.match, lineOf(last), r.top, rows)
	}
	// A search starts at the first match at or below the top of the
	// window, not at the first in the body.
	h.keys("g", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
	top, want := r.top, 0
	for lineOf(want) < top {
		want++
	}
	h.keys("/", "enter") // the same search again
	if want == 0 || r.match != want || !inWindow(want) {
		t.Fatalf("search from top %d: current %d, want %d (the first at or below)", top, r.match, want)
	}
	// A search whose only match is below the window scrolls down to it,
	// and one whose only match is above scrolls up to it.
	emailOn := func(line int) string {
		text := strings.Split(r.body.Text(), "\n")[line]
		_, v, _ := strings.Cut(text, `"email": "`)
		v, _, _ = strings.Cut(v, `"`)
		if v == "" {
			t.Fatalf("no email on line %d: %q", line, text)
		}
		return v
	}
	firstEmail, lastEmail := emailOn(lineOf(0)), emailOn(lineOf(last))
	for _, c := range []struct {
		from, term string
		line       int
	}{{"g", lastEmail, lineOf(last)}, {"G", firstEmail, lineOf(0)}} {
		h.keys(c.from, "/", "ctrl+u")
		if c.line >= r.top && c.line < r.top+rows {
			t.Fatalf("the test needs line %d off screen from %s", c.line, c.from)
		}
		h.typeText(c.term)
		h.keys("enter")
		if len(r.matches) != 1 || r.match != 0 || lineOf(0) != c.line {
			t.Fatalf("search %q: %d matches, current %d", c.term, len(r.matches), r.match)
		}
		if !inWindow(0) {
			t.Fatalf("search %q from %s: match line %d not in window [%d,+%d)", c.term, c.from, c.line, r.top, rows)
		}
	}
	// A search with no match: n says so instead of moving.
	h.keys("/", "ctrl+u")
	h.typeText("no-such-text")
	h.keys("enter", "n")
	h.mustSee("no match for no-such-text")
	h.keys("g")
	if r.top != 0 {
		t.Fatal("g did not go to the top")
	}
	h.keys("j", "j")
	if r.top != 2 {
		t.Fatalf("top %d after two j", r.top)
	}
	h.keys("y")
	if h.clipboard != r.body.Text() || !strings.Contains(h.clipboard, "\n  \"result\": {") {
		t.Fatalf("copied body is not the pretty JSON:\n%.200s", h.clipboard)
	}
	h.mustSee("copied the body")
}

func TestRequestPasteGoesToTheFocusedField(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.send(tea.PasteMsg{Content: "/accounts/{account_id}/intel/whois"})
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/intel/whois" {
		t.Fatalf("endpoint after paste = %q", got)
	}
	tl.setFocus(views.FocusBody)
	h.send(tea.PasteMsg{Content: "{\r\n  \"a\":\t[1, 2]\n}"})
	if tl.body.Text() != "{\n  \"a\":    [1, 2]\n}" {
		t.Fatalf("body after paste = %q", tl.body.Text())
	}
	h.mustSee(`3 }`, "valid JSON")
}

func TestRequestTypingDoesNotTriggerGlobalKeys(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.keys("enter") // start typing in the endpoint
	h.typeText("q1?5/")
	if h.quit || h.away != "" || h.help || len(h.dialogs) != 0 {
		t.Fatal("typing in the endpoint fired a global key")
	}
	if got := h.tool.endpoint.Value(); got != "q1?5/" {
		t.Fatalf("endpoint = %q", got)
	}
	// Out of the field, the global keys work again.
	h.keys("esc")
	h.keys("5")
	if h.away != "audit" {
		t.Fatal("5 did not switch tabs once out of the field")
	}
}

func TestRequestGoldens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		w, ht := sz[0], sz[1]
		size := strconv.Itoa(w) + "x" + strconv.Itoa(ht)
		t.Run("editor_"+size, func(t *testing.T) {
			h := newHarness(t, w, ht)
			h.setEndpoint("/accounts/{account_id}/intel/ip")
			h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
			h.addRow(views.FocusHeaders, "X-Request-Note", "SOC-4411")
			h.golden(t)
		})
		t.Run("response_"+size, func(t *testing.T) {
			h := newHarness(t, w, ht)
			h.setEndpoint("/accounts/{account_id}/intel/ip")
			h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
			h.keys("ctrl+r")
			// The measured duration varies from run to run; pin it.
			h.tool.resp.duration = 87 * time.Millisecond
			h.golden(t)
		})
		t.Run("body_typing_"+size, func(t *testing.T) {
			h := newHarness(t, w, ht)
			h.editBody()
			h.send(tea.PasteMsg{Content: "{\n  \"reason\": \"SOC-4411 false positive, the analyst's own note\",\n  \"tags\": [\"a\", \"b\"]\n}"})
			h.keys("up", "up", "end")
			h.golden(t)
		})
	}
}

func TestRequestWriteWithLostConnectionIsUnknownAndNotRetried(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.stub.drop.Store(true)
	h.setEndpoint(writePath)
	h.keys("shift+tab", "right", "ctrl+r", "y")
	if n := h.stub.writes.Load(); n != 1 {
		t.Fatalf("the POST reached the API %d times, want 1 (never retried)", n)
	}
	h.mustSee("OUTCOME UNKNOWN", "not retried")
	recs, err := store.ReadAudit(h.sess.Audit.Path(), 0)
	phases := map[string]string{}
	for _, r := range recs {
		phases[r.Phase] = r.Outcome
	}
	if err != nil || len(recs) != 2 || phases[store.PhaseOutcome] != store.OutcomeUnknown {
		t.Fatalf("audit = %+v, %v; want intent + unknown outcome", recs, err)
	}
}

// knownUser is a user the simulator knows (one with few events).
func knownUser(h *harness) struct{ ID, Email string } {
	h.t.Helper()
	users, _, err := h.sess.Client.FindUsers(context.Background(), sim.EmailFewEvents)
	if err != nil || len(users) != 1 {
		h.t.Fatalf("finding the user: %v %v", users, err)
	}
	return struct{ ID, Email string }{users[0].ID, users[0].Email}
}
