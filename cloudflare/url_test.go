package cloudflare

import (
	"context"
	"testing"

	"cftriage/cloudflare/sim"
)

// URL intelligence against the simulator, validated against the
// contract (its singular risk_type included).
func TestURLIntelligence(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, simServer(t, s, true), nil)
	ctx := context.Background()
	u, ex, err := c.URLIntelligence(ctx, "hxxps://"+sim.DomainPhishing+"/owa/auth/logon.aspx")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.RiskType) == 0 || u.Hostname != sim.DomainPhishing || u.URLPath != "/owa/auth/logon.aspx" || ex.StatusCode != 200 {
		t.Fatalf("phishing URL: %+v (status %d)", u, ex.StatusCode)
	}
	clean, _, err := c.URLIntelligence(ctx, "https://"+sim.DomainClean+"/")
	if err != nil || len(clean.RiskType) != 0 || len(clean.ContentCategories) == 0 {
		t.Fatalf("clean URL: %+v %v", clean, err)
	}
	for _, bad := range []string{"", "ftp://x.example/", "not a url", "//x.example"} {
		if _, _, err := c.URLIntelligence(ctx, bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if n := s.Count(sim.OpURLIntel); n != 2 {
		t.Fatalf("%d URL requests, want 2 (bad input sends nothing)", n)
	}
}
