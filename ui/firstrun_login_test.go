package ui

import (
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestFirstRunStoresTheBaseURLLikeAuthLogin: the setup screen runs the
// same login flow as `cftriage auth login`, so a --base-url the console
// was started with is kept in the profile (it used to be dropped).
func TestFirstRunStoresTheBaseURLLikeAuthLogin(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.sess.LoginBaseURL = h.sess.BaseURL // as the cli sets it from --base-url
	h.press("t")
	h.pasteToken(sim.DemoToken)
	h.press("enter", "enter")
	if h.firstRun() != nil {
		t.Fatalf("setup not done:\n%s", h.screen())
	}
	cfg, _ := configJSON(t, h)
	if !strings.Contains(cfg, `"base_url": "`+h.sess.BaseURL+`"`) {
		t.Fatalf("the profile lacks the base URL:\n%s", cfg)
	}
	// The client it opened with already knows its token's id: the first
	// audited write asks nothing more.
	before := h.sim.Total()
	if id, err := h.sess.Client.Identity(t.Context()); err != nil || id.ID == "" || h.sim.Total() != before {
		t.Fatalf("identity %+v %v after %d requests", id, err, h.sim.Total()-before)
	}
}

// TestFirstRunPrefixedAccountToken: a cfat_ token is an account API
// token; without an account id the screen asks for it, sending nothing.
func TestFirstRunPrefixedAccountToken(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.pasteToken("cfat_0123456789abcdef0123456789abcdef0123")
	h.press("enter")
	h.mustSee("This is an account API token (cfat_…)", "account id here and press enter")
	if f := h.firstRun(); f == nil || !f.onAcct {
		t.Fatal("the focus did not move to the account id field")
	}
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("%d requests", n)
	}
}
