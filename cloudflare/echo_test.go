package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// escaped spells s with JSON \u escapes, as a hostile server may.
func escaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// A server that echoes the token back: raw in an error message, spelled
// with escapes in a result, in a header. Nothing the client hands on holds
// it; the mask ("…" and the last four) shows where it was.
func TestEchoedTokenIsMasked(t *testing.T) {
	const tok = "test-token-secret" // newTestClient's
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Debug-Auth", r.Header.Get("Authorization"))
		if strings.HasSuffix(r.URL.Path, "/reset") {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"success":false,"errors":[{"code":10000,"message":"token %s lacks Zero Trust Write"}],"messages":[],"result":null}`, tok)
			return
		}
		fmt.Fprintf(w, `{"success":true,"errors":[],"messages":[],"result":{"email":"a@corp.example","name":"%s","risk_level":"low","events":[]}}`, escaped(tok))
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	ctx := context.Background()

	rs, ex, err := c.RiskScore(ctx, "f2108713-1206-4e84-8b80-0e71a6a1c67b")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rs.Name, tok) || rs.Name != "…cret" {
		t.Errorf("decoded name %q, want the mask …cret", rs.Name)
	}
	for _, what := range []string{string(ex.Body), strings.Join(ex.Header.Values("X-Debug-Auth"), " ")} {
		if strings.Contains(what, tok) {
			t.Errorf("the exchange holds the token: %s", what)
		}
	}
	if got := ex.Header.Get("X-Debug-Auth"); got != "Bearer …cret" {
		t.Errorf("header = %q, want it masked", got)
	}

	ex, err = c.ResetRisk(ctx, "f2108713-1206-4e84-8b80-0e71a6a1c67b")
	e := asError(t, err)
	for _, what := range []string{e.Message, fmt.Sprint(e.Errors), string(ex.Body), string(e.Exchange.Body)} {
		if strings.Contains(what, tok) {
			t.Errorf("the reset's error holds the token: %s", what)
		}
	}
	if !strings.Contains(e.Message, "…cret") && !strings.Contains(fmt.Sprint(e.Errors), "…cret") {
		t.Errorf("the masked token is not shown where it was: %q %v", e.Message, e.Errors)
	}
}
