package cli

import (
	"net/http"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

// answer is a hostile server's canned reply for requests whose path ends
// with suffix (and whose method is method, when set); the rest goes to
// the simulator.
func answer(method, suffix string, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (method == "" || r.Method == method) && strings.HasSuffix(r.URL.Path, suffix) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A C1 string introducer inside a JSON string (the repro) must
// not hide the rest of the answer: every field after it is printed.
func TestAPIC1InJSONHidesNothing(t *testing.T) {
	for _, c1 := range []string{`\u0090`, `\u0098`, `\u009d`, `\u009e`, `\u009f`} {
		body := `{"success":true,"errors":[],"messages":[],"result":{"a":"x` + c1 + `y","b":"SECRET-VISIBLE-B"}}`
		f := newFixtureWith(t, sim.Options{}, answer("GET", "/intel/asn/1", 200, body))
		r := f.run(t, "", "api", "GET", "/accounts/{account_id}/intel/asn/1")
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", c1, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, `"b": "SECRET-VISIBLE-B"`) || !strings.Contains(r.stdout, `"success": true`) {
			t.Errorf("%s: the output stops at the control string:\n%s", c1, r.stdout)
		}
		assertNoTerminalControls(t, r.stdout)
	}
}
