package views

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func sampleRequest() RequestView {
	return RequestView{
		Method:   "GET",
		Focus:    FocusQuery,
		Path:     "/accounts/{account_id}/intel/ip",
		Resolved: "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/ip?ipv4=203.0.113.7",
		BaseURL:  "https://api.cloudflare.com/client/v4",
		Query:    KVTable{Rows: []KVRow{{Key: "ipv4", Value: "203.0.113.7"}}, Editing: -1},
		Headers:  KVTable{Rows: []KVRow{{Key: "X-Request-Note", Value: "ticket SOC-4411"}}, Editing: -1},
		Body:     "  1 ",
		BodyNote: "empty: no body is sent",
	}
}

func requestScenes() map[string]func(w, h int) string {
	th := NewTheme(true, true)
	return map[string]func(w, h int) string{
		"editor": func(w, h int) string { return RenderRequest(sampleRequest(), w, h, th) },
		"errors": func(w, h int) string {
			v := sampleRequest()
			v.Method, v.Write, v.Focus = "POST", true, FocusHeaders
			v.Resolved = ""
			v.EndpointErr = `Refusing the path "https://evil.example/x": it points to another origin (https://evil.example); the token is only sent to https://api.cloudflare.com:443.`
			v.Headers = KVTable{Rows: []KVRow{{Key: "X-Request-Note", Value: "ticket"}}, Editing: 1, EditKey: "Authorization ", EditValue: "Bearer …",
				Err: "the Authorization header is refused: the credential comes only from the profile"}
			v.Body = "  1 {\"reason\": \"test\",\n  2   \"x\": }"
			v.BodyErr = "invalid JSON at 2:8: invalid character '}' looking for beginning of value"
			v.BodyNote = ""
			v.SendHint = "POST disabled: read-only mode: --read-only"
			return RenderRequest(v, w, h, th)
		},
		"wrapped": func(w, h int) string {
			v := sampleRequest()
			v.Focus = FocusEndpoint
			v.Path = "/accounts/{account_id}/intel/domain/bulk"
			v.Resolved = "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/domain/bulk?domain=" +
				strings.Repeat("example.com&domain=", 6) + "last.example"
			v.Query = KVTable{Rows: []KVRow{{Key: "domain", Value: "example.com"}, {Key: "skip_dns", Hint: true}}, Editing: -1}
			v.Notice, v.NoticeErr = "The X-Auth-Key header is refused: the credential comes only from the profile (cftriage auth login), never from a request header; nothing was sent.", true
			return RenderRequest(v, w, h, th)
		},
		"suggest": func(w, h int) string {
			v := sampleRequest()
			v.Focus, v.Editing = FocusEndpoint, true
			v.Endpoint, v.Path = "/accounts/{account_id}/intel/d", "/accounts/{account_id}/intel/d"
			v.Resolved = ""
			v.Suggestions = []PathSuggestion{
				{"GET", "/accounts/{account_id}/intel/domain", "domain overview", []string{"domain"}},
				{"GET", "/accounts/{account_id}/intel/dns", "passive DNS by IPv4", []string{"ipv4", "page"}},
				{"GET", "/accounts/{account_id}/intel/domain-history", "domain category history", nil},
			}
			v.Suggest = 1
			return RenderRequest(v, w, h, th)
		},
		"response": func(w, h int) string {
			body := newTestBody([]byte(`{"success":true,"errors":[],"messages":[],"result":[{"ip":"203.0.113.7","belongs_to_ref":{"id":"AS64500","value":64500,"description":"EXAMPLE-NET"},"risk_types":[{"id":21,"name":"Command and Control","super_category_id":17}]}]}`))
			v := ResponseView{Method: "GET", URL: "https://api.cloudflare.com/client/v4/accounts/023e/intel/ip?ipv4=203.0.113.7", Status: 200,
				Duration: 87 * time.Millisecond, Header: http.Header{"Content-Type": {"application/json"}, "Cf-Ray": {"8a1b2c3d-SJC"}},
				Body: body, Search: "ip", Matches: body.Search("ip"), Match: 1}
			return RenderResponse(v, w, h, th)
		},
		"side": func(w, h int) string {
			lw := w / 2
			left := RenderRequest(sampleRequest(), lw, h, th)
			body := newTestBody([]byte(`{"result":{"risk_level":"high"},"success":true}`))
			right := RenderResponse(ResponseView{Method: "GET", URL: "https://api.cloudflare.com/client/v4/x", Status: 404, Body: body, Match: -1,
				Err: "Not found"}, SideRightWidth(lw, w), h, th)
			return SideBySide(left, right, lw, w, h, th)
		},
		"confirm": func(w, h int) string {
			c := ConfirmSend{Method: "POST", URL: "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/zt_risk_scoring/4f1c2b3a-0d9e-4c8b-a7f6-e5d4c3b2a190/reset",
				Account: "Acme SOC (023e105f4ecef8ad9ca31a8372d0c353)", Body: "{\n  \"reason\": \"SOC-4411\"\n}",
				Header: [][2]string{{"X-Request-Note", "SOC-4411"}, {"Content-Type", "application/json"}}}
			return Overlay(RenderRequest(sampleRequest(), w, h, th), RenderConfirmSend(c, w, h, th), w, h)
		},
		"picker": func(w, h int) string {
			p := RequestPicker{Cursor: 1, Items: []PickItem{
				{Saved: true, Name: "whois of the phish", Method: "GET", Path: "/accounts/{account_id}/intel/whois"},
				{Saved: true, Name: "reset bob", Method: "POST", Path: "/accounts/{account_id}/zt_risk_scoring/4f1c/reset"},
				{Name: "11-29 11:58", Method: "GET", Path: "/accounts/{account_id}/intel/ip", Note: "HTTP 200"},
				{Name: "11-29 11:57", Method: "POST", Path: "/accounts", Note: "HTTP 405 · body not kept"},
			}}
			return Overlay(RenderRequest(sampleRequest(), w, h, th), RenderRequestPicker(p, w, h, th), w, h)
		},
	}
}

func TestRequestGolden(t *testing.T) {
	for name, fn := range requestScenes() {
		if name == "editor" || name == "response" {
			continue // the pane as the console shows it: ui/request/testdata/TestRequestGoldens
		}
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			gname := fmt.Sprintf("request_%s_%dx%d", name, w, h)
			t.Run(gname, func(t *testing.T) {
				out := fn(w, h)
				assertExact(t, gname, out, w, h)
				compareGolden(t, out)
			})
		}
	}
}

func TestRenderRequestExactAtAnySize(t *testing.T) {
	for name, fn := range requestScenes() {
		for _, sz := range [][2]int{{40, 12}, {60, 16}, {100, 30}, {200, 60}, {20, 5}} {
			out := fn(sz[0], sz[1])
			assertExact(t, fmt.Sprintf("%s %dx%d", name, sz[0], sz[1]), out, sz[0], sz[1])
		}
	}
}

func TestRenderRequestShowsErrorsAndSanitizes(t *testing.T) {
	v := sampleRequest()
	v.Query.Rows = append(v.Query.Rows, KVRow{Key: "q\x1b[31m", Value: "v\u202eal"})
	v.EndpointErr = "refused \x1b]0;title\x07"
	v.BodyErr = "invalid JSON at 1:2: x"
	v.Notice, v.NoticeErr = "POST refused: read-only mode", true
	out := RenderRequest(v, 100, 30, NewTheme(true, false))
	plain := ansi.Strip(out)
	if strings.ContainsRune(plain, 0x1b) || strings.ContainsRune(plain, '\u202e') || strings.Contains(plain, "title") {
		t.Fatalf("unsanitized text reached the screen:\n%q", plain)
	}
	for _, want := range []string{"✗ refused", "invalid JSON at 1:2", "✗ POST refused: read-only mode", "q    = val", "Query (2)"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("lacks %q:\n%s", want, plain)
		}
	}
}

func TestRequestBodyRowsShrinksWithTables(t *testing.T) {
	v := sampleRequest()
	base := RequestBodyRows(v, 80, 30)
	for i := 0; i < 3; i++ {
		v.Query.Rows = append(v.Query.Rows, KVRow{Key: fmt.Sprint("k", i), Value: "v"})
	}
	if got := RequestBodyRows(v, 80, 30); got != base-3 {
		t.Fatalf("body rows %d with 4 query rows, want %d", got, base-3)
	}
	for i := 0; i < 20; i++ {
		v.Query.Rows = append(v.Query.Rows, KVRow{Key: fmt.Sprint("k", i), Value: "v"})
	}
	if got := RequestBodyRows(v, 80, 30); got < 3 {
		t.Fatalf("many rows left the body %d rows: tables must scroll instead", got)
	}
	// Rendering agrees with the body rows it announced.
	v.Body = strings.TrimSuffix(strings.Repeat("BODY\n", RequestBodyRows(v, 80, 30)), "\n")
	out := ansi.Strip(RenderRequest(v, 80, 30, PlainTheme()))
	if got := strings.Count(out, "BODY"); got != RequestBodyRows(v, 80, 30) {
		t.Fatalf("%d body lines drawn, want %d", got, RequestBodyRows(v, 80, 30))
	}
	if !strings.Contains(out, "of 24)") {
		t.Fatalf("a scrolled table does not say where it is:\n%s", out)
	}
}

func TestConfirmSendShowsMethodURLAndBody(t *testing.T) {
	url := "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/zt_risk_scoring/4f1c2b3a-0d9e-4c8b-a7f6-e5d4c3b2a190/reset"
	out := ansi.Strip(RenderConfirmSend(ConfirmSend{Method: "DELETE", URL: url, Body: `{"a":"b"}`}, 80, 24, PlainTheme()))
	// The URL is wrapped, never cut: every character must be on screen.
	var joined strings.Builder
	for _, l := range strings.Split(out, "\n") {
		l = strings.Trim(l, "│ ")
		l = strings.TrimPrefix(l, "URL")
		joined.WriteString(strings.TrimSpace(l))
	}
	if !strings.Contains(joined.String(), url) {
		t.Fatalf("the full URL is not shown:\n%s", out)
	}
	for _, want := range []string{"DELETE", `{"a":"b"}`, "never retried", "audit log", "y send"} {
		if !strings.Contains(out, want) {
			t.Fatalf("confirmation lacks %q:\n%s", want, out)
		}
	}
}

// noSpace drops white space, to find wrapped text on screen.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

func TestRequestPreviewAndNoticeWrapAndLayoutAgrees(t *testing.T) {
	v := sampleRequest()
	v.Resolved = "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/domain/bulk?domain=" +
		strings.Repeat("a-long-name.example&domain=", 3) + "end.example"
	v.Notice, v.NoticeErr = "The X-Auth-Key header is refused: the credential comes only from the profile, never from a request header; nothing was sent.", true
	for _, w := range []int{60, 80, 100} {
		rows := RequestBodyRows(v, w, 30)
		v.Body = strings.TrimSuffix(strings.Repeat("BODY\n", rows), "\n")
		out := ansi.Strip(RenderRequest(v, w, 30, PlainTheme()))
		for _, want := range []string{"→" + v.Resolved, "✗" + v.Notice} {
			if !strings.Contains(noSpace(out), noSpace(want)) {
				t.Fatalf("width %d: %q is cut:\n%s", w, want, out)
			}
		}
		if got := strings.Count(out, "BODY"); got != rows {
			t.Fatalf("width %d: %d body lines drawn, %d announced:\n%s", w, got, rows, out)
		}
	}
	// Hostile lengths are bounded (and say so): the body keeps its rows.
	v.EndpointErr = strings.Repeat("refused ", 500)
	if rows := RequestBodyRows(v, 60, 30); rows < 10 {
		t.Fatalf("a huge refusal left the body %d rows", rows)
	}
	if out := ansi.Strip(RenderRequest(v, 60, 30, PlainTheme())); !strings.Contains(out, "refused…") {
		t.Fatalf("a cut refusal does not end in …:\n%s", out)
	}
}

func TestRequestRowsAlignWithTheEditedRow(t *testing.T) {
	v := sampleRequest()
	v.Focus = FocusHeaders
	v.Headers = KVTable{Rows: []KVRow{{Key: "k1", Value: "v1"}, {Key: "k2", Value: "v2"}}, Editing: 0,
		EditKey: "k1X ", EditValue: "v1"}
	out := ansi.Strip(RenderRequest(v, 80, 24, PlainTheme()))
	var a, b string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, "k1X"):
			a = l
		case strings.Contains(l, "k2"):
			b = l
		}
	}
	col := func(l, sub string) int { return ansi.StringWidth(l[:strings.Index(l, sub)]) }
	if a == "" || b == "" || col(a, ":") != col(b, ":") || col(a, "v1") != col(b, "v2") {
		t.Fatalf("rows misaligned:\n%q\n%q", a, b)
	}
	// A hint row shows it is not sent.
	v.Query.Rows = append(v.Query.Rows, KVRow{Key: "ipv6", Hint: true})
	out = ansi.Strip(RenderRequest(v, 80, 24, PlainTheme()))
	if !strings.Contains(out, "ipv6 = (empty: not sent)") {
		t.Fatalf("hint row:\n%s", out)
	}
}

func TestRequestEndpointAtRestShowsItsStart(t *testing.T) {
	v := sampleRequest()
	v.Path = "/accounts/{account_id}/zt_risk_scoring/" + strings.Repeat("x", 100) + "/reset"
	line := strings.Split(ansi.Strip(RenderRequest(v, 60, 20, PlainTheme())), "\n")[0]
	if !strings.Contains(line, "/accounts/{account_id}/zt_risk") || !strings.HasSuffix(strings.TrimRight(line, " "), "…") {
		t.Fatalf("endpoint line %q", line)
	}
}

func TestConfirmSendListsHeadersSanitized(t *testing.T) {
	c := ConfirmSend{Method: "PATCH", URL: "https://api.cloudflare.com/client/v4/x",
		Header: [][2]string{{"X-Note", "ticket \x1b[31mSOC-1"}, {"X-Long", strings.Repeat("v", 150)}}}
	out := ansi.Strip(RenderConfirmSend(c, 80, 24, PlainTheme()))
	if strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "headers  X-Note: ticket SOC-1") {
		t.Fatalf("headers:\n%s", out)
	}
	if !strings.Contains(noSpace(strings.ReplaceAll(out, "│", "")), "X-Long:"+strings.Repeat("v", 150)) {
		t.Fatalf("a long header is cut:\n%s", out)
	}
	out = ansi.Strip(RenderConfirmSend(ConfirmSend{Method: "DELETE", URL: "https://api.cloudflare.com/client/v4/x"}, 80, 24, PlainTheme()))
	if !strings.Contains(out, "headers  none added") {
		t.Fatalf("no headers:\n%s", out)
	}
}
