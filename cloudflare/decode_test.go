package cloudflare

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func decodeClient(t testing.TB) *Client {
	t.Helper()
	c, err := New(Config{Token: "tok", AccountID: "023e105f4ecef8ad9ca31a8372d0c353"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestDecodeResponseClassifies(t *testing.T) {
	c := decodeClient(t)
	jsonH := hdr("Content-Type", "application/json")
	cases := []struct {
		name   string
		op     string
		status int
		h      http.Header
		body   string
		kind   ErrorKind // KindUnknown with ok=true means success
		ok     bool
		msg    string // fragment of Message
	}{
		{"success", OpIPOverview, 200, jsonH, `{"success":true,"errors":[],"messages":[],"result":[{"ip":"1.2.3.4","risk_types":[]}]}`, 0, true, ""},
		{"null result", OpIPOverview, 200, jsonH, `{"success":true,"errors":[],"result":null}`, 0, true, ""},
		{"success false with 200", OpIPOverview, 200, jsonH, `{"success":false,"errors":[{"code":1234,"message":"nope"}],"result":null}`, KindUnknown, false, `"nope" (code 1234)`},
		{"success false auth code", OpIPOverview, 200, jsonH, `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`, KindAuth, false, "rejected the API token"},
		{"401", OpIPOverview, 401, jsonH, `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`, KindAuth, false, AuthMessage},
		{"400 auth code", OpVerifyToken, 400, jsonH, `{"success":false,"errors":[{"code":6111,"message":"Invalid format for Authorization header"}]}`, KindAuth, false, "rejected the API token"},
		{"403 intel", OpIPOverview, 403, jsonH, `{"success":false,"errors":[{"code":9109,"message":"Unauthorized"}]}`, KindPermission, false, `"Intel Read" permission`},
		{"403 users", OpFindUsers, 403, jsonH, `{}`, KindPermission, false, `"Access: Audit Logs Read"`},
		{"403 risk", OpRiskScore, 403, jsonH, `{}`, KindPermission, false, `"Zero Trust: PII Read"`},
		{"403 summary", OpRiskSummary, 403, jsonH, `{}`, KindPermission, false, `"Zero Trust: PII Read"`},
		{"403 reset", OpResetRisk, 403, jsonH, `{}`, KindPermission, false, `"Zero Trust Write"`},
		{"403 accounts", OpListAccounts, 403, jsonH, `{}`, KindPermission, false, `"Account Settings Read"`},
		{"404", OpWhois, 404, jsonH, `{"success":false,"errors":[{"code":7003,"message":"Could not route"}]}`, KindNotFound, false, "account id"},
		{"400", OpIPOverview, 400, jsonH, `{"success":false,"errors":[{"code":1003,"message":"Invalid or missing parameter"}]}`, KindBadRequest, false, "HTTP 400"},
		{"429", OpIPOverview, 429, hdr("Retry-After", "100"), `{"success":false,"errors":[{"code":10429,"message":"Rate limited"}]}`, KindRateLimited, false, "rate limited by Cloudflare; retry in 1m40s (at "},
		{"500 json", OpIPOverview, 500, jsonH, `{"success":false,"errors":[{"code":10001,"message":"Internal"}]}`, KindServer, false, "server error (HTTP 500)"},
		{"502 html", OpIPOverview, 502, hdr("Content-Type", "text/html"), `<!DOCTYPE html><html>bad gateway</html>`, KindGateway, false, "Cloudflare answered with an HTML error page (HTTP 502) instead of JSON — a gateway problem, try again"},
		{"200 html no type", OpIPOverview, 200, http.Header{}, "\n  <html><body>captive portal</body></html>", KindGateway, false, "HTML error page (HTTP 200)"},
		{"404 html", OpIPOverview, 404, hdr("Content-Type", "text/html"), `<html>not found</html>`, KindGateway, false, "check the base URL"},
		{"truncated", OpIPOverview, 200, jsonH, `{"success":true,"errors":[],"result":[{"ip":"1.2`, KindMalformed, false, "cut off (truncated JSON"},
		{"malformed", OpIPOverview, 200, jsonH, `{"success":true,"result":{'id': 1}}`, KindMalformed, false, "not valid JSON"},
		{"not an object", OpIPOverview, 200, jsonH, `[1,2,3]`, KindMalformed, false, "not a JSON object"},
		{"no envelope", OpIPOverview, 200, jsonH, `{"ip":"1.2.3.4"}`, KindMalformed, false, `not an API envelope`},
		{"empty", OpIPOverview, 200, jsonH, ``, KindMalformed, false, "empty"},
		{"wrong shape", OpIPOverview, 200, jsonH, `{"success":true,"result":{"ip":"1.2.3.4"}}`, KindMalformed, false, "unexpected shape (the result: expected array, got object)"},
		{"wrong field type", OpIPOverview, 200, jsonH, `{"success":true,"result":[{"ip":"1.2.3.4","risk_types":"x"}]}`, KindMalformed, false, "risk_types: expected array, got string"},
		{"302 foreign", OpIPOverview, 302, hdr("Location", "https://evil.example/x"), ``, KindOrigin, false, "redirect was not followed"},
		{"hostile api message", OpIPOverview, 400, jsonH, `{"success":false,"errors":[{"code":1003,"message":"bad \u001b[2J\u001b]52;c;ZXZpbA==\u0007 \u202eparam"}]}`, KindBadRequest, false, "bad [2J]52;c;ZXZpbA== param"},
		{"odd errors array", OpIPOverview, 500, jsonH, `{"success":false,"errors":[1,"x",{"code":"12"},{"code":1001,"message":5},{"code":2000,"message":"ok"}]}`, KindServer, false, `"ok" (code 2000)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out []IPInfo
			err := c.DecodeResponse(tc.op, tc.status, tc.h, []byte(tc.body), false, &out)
			if tc.ok {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %T %v", err, err)
			}
			if e.Kind != tc.kind {
				t.Errorf("Kind = %v, want %v (%s)", e.Kind, tc.kind, e.Message)
			}
			if !strings.Contains(e.Message, tc.msg) {
				t.Errorf("Message = %q, want it to contain %q", e.Message, tc.msg)
			}
			if e.StatusCode != tc.status || e.Exchange == nil || e.Op != tc.op {
				t.Errorf("StatusCode %d Exchange %v Op %q; want %d, an exchange, %q", e.StatusCode, e.Exchange, e.Op, tc.status, tc.op)
			}
			if strings.ContainsFunc(e.Message, isInvisible) {
				t.Errorf("Message has control characters: %q", e.Message)
			}
		})
	}
}

func TestDecodeKeepsAPIErrors(t *testing.T) {
	c := decodeClient(t)
	err := c.DecodeResponse(OpIPOverview, 403, nil, []byte(`{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}`), false, nil)
	var e *Error
	if !errors.As(err, &e) || len(e.Errors) != 1 || e.Errors[0].Code != 9109 || e.Errors[0].Message != "Unauthorized to access requested resource" {
		t.Fatalf("Errors = %+v", e)
	}
}

func TestDecodeRateLimitedFallbacks(t *testing.T) {
	c := decodeClient(t)
	// No Retry-After: the Ratelimit reset says how long.
	err := c.DecodeResponse(OpIPOverview, 429, hdr("Ratelimit", `"default";r=0;t=42`), []byte(`{}`), false, nil)
	var e *Error
	if !errors.As(err, &e) || e.RetryAfter != 42*time.Second {
		t.Fatalf("RetryAfter = %v, want 42s (%v)", e.RetryAfter, err)
	}
	// An HTML 429 page is still a rate limit, not a gateway problem.
	err = c.DecodeResponse(OpIPOverview, 429, hdr("Content-Type", "text/html", "Retry-After", "5"), []byte(`<html>slow down</html>`), false, nil)
	if !errors.As(err, &e) || e.Kind != KindRateLimited || e.RetryAfter != 5*time.Second {
		t.Fatalf("HTML 429: %+v", e)
	}
}

func TestDecodeBare(t *testing.T) {
	c := decodeClient(t)
	var s ASNSubnets
	if err := c.DecodeResponse(OpASNSubnets, 200, nil, []byte(`{"asn":13335,"count":2,"ip_count_total":512,"page":1,"per_page":20,"subnets":["192.0.2.0/24","2001:db8::/32"]}`), true, &s); err != nil {
		t.Fatal(err)
	}
	if s.ASN != 13335 || len(s.Subnets) != 2 || s.IPCountTotal != 512 {
		t.Fatalf("decoded %+v", s)
	}
	err := c.DecodeResponse(OpASNSubnets, 200, nil, []byte(`{"success":false,"errors":[{"code":1003,"message":"bad asn"}]}`), true, &s)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "bad asn") {
		t.Fatalf("bare success:false: %v", err)
	}
}

func TestPermissionFor(t *testing.T) {
	want := map[string]string{
		OpIPOverview: "Intel Read", OpDomainOverview: "Intel Read", OpBulkDomains: "Intel Read",
		OpPassiveDNS: "Intel Read", OpASNOverview: "Intel Read", OpASNSubnets: "Intel Read",
		OpWhois: "Intel Read", OpDomainHistory: "Intel Read",
		OpFindUsers: "Access: Audit Logs Read", OpRiskScore: "Zero Trust: PII Read",
		OpRiskSummary: "Zero Trust: PII Read", OpResetRisk: "Zero Trust Write",
		OpListAccounts: "Account Settings Read", OpVerifyToken: "", OpRaw: "",
		"dlp-zt-risk-score-reset-user": "Zero Trust Write", "zero-trust-users-get-users": "Access: Audit Logs Read",
		"no such op": "",
	}
	for op, perm := range want {
		if got := PermissionFor(op); got != perm {
			t.Errorf("PermissionFor(%q) = %q, want %q", op, got, perm)
		}
	}
}

func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(`{"success":true,"errors":[],"result":[{"ip":"1.2.3.4"}]}`), "application/json", false)
	f.Add(200, []byte(`{"success":true,"result":{"ip":`), "application/json", false)
	f.Add(502, []byte(`<html>bad gateway</html>`), "text/html", false)
	f.Add(429, []byte(`{"success":false,"errors":[{"code":10429,"message":"slow"}]}`), "", false)
	f.Add(403, []byte(`{"success":false,"errors":[{"code":9109,"message":"\u001b[2J"}]}`), "application/json", false)
	f.Add(200, []byte(`{"asn":1,"subnets":["x"]}`), "application/json", true)
	f.Add(200, []byte(`{"success":false}`), "application/json", true)
	f.Add(301, []byte(``), "", false)
	f.Add(0, []byte("\xff\xfe"), "text/plain", false)
	f.Add(200, []byte(`{"success":true,"errors":[{"code":1e400}],"result":null,"result_info":{"page":"x"}}`), "application/json", false)
	c := decodeClient(f)
	f.Fuzz(func(t *testing.T, status int, body []byte, ctype string, bare bool) {
		h := hdr("Content-Type", ctype, "Retry-After", "7", "Location", string(body))
		var err error
		if bare {
			var out ASNSubnets
			err = c.DecodeResponse(OpASNSubnets, status, h, body, true, &out)
		} else {
			var out []IPInfo
			err = c.DecodeResponse(OpIPOverview, status, h, body, false, &out)
		}
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("status %d decoded as success", status)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T %v, want *Error", err, err)
		}
		if e.Message == "" || !utf8.ValidString(e.Message) || strings.ContainsFunc(e.Message, isInvisible) {
			t.Fatalf("bad Message %q", e.Message)
		}
		if e.Exchange == nil || e.StatusCode != status {
			t.Fatalf("Exchange %v StatusCode %d for status %d", e.Exchange, e.StatusCode, status)
		}
		if e.Kind == KindRateLimited && e.RetryAfter <= 0 {
			t.Fatalf("rate limited without RetryAfter")
		}
	})
}
