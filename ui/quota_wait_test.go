package ui

import (
	"context"
	"net/http"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestLookupWaitingForTheSharedQuota: while a lookup waits for a quota
// another process used up (here a 429's Retry-After), the header says so
// instead of a bare "loading", and esc ends the wait with nothing sent.
func TestLookupWaitingForTheSharedQuota(t *testing.T) {
	h := newHarness(t, 120, 30)
	qs := store.OpenQuota(store.QuotaPath(t.TempDir(), "default"))
	newClient := func() *cloudflare.Client {
		c, err := cloudflare.New(cloudflare.Config{
			BaseURL: h.srv.URL + "/client/v4", Token: sim.DemoToken, AccountID: sim.DemoAccountID,
			Timeout: 5 * time.Second, MaxRetries: -1, SharedQuota: qs,
			HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Another process met a 429 asking for two minutes.
	h.sim.Inject(sim.Fault{Status: http.StatusTooManyRequests, RetryAfter: 120, Times: 1})
	if _, _, err := newClient().DomainOverview(context.Background(), sim.DomainClean); err == nil {
		t.Fatal("the 429 did not come")
	}
	before := h.sim.Total()
	c := newClient()
	h.sess.Client = c

	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	done := runAside(h.sendNoRun(kp("enter")))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, ok := c.QuotaWaiting(); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lookup never waited for the quota")
		}
	}
	h.send(h.m.spin.Tick())
	h.mustSee("waiting for the API quota until", "esc cancels")
	h.mustNotSee("loading")

	h.press("esc")
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("esc did not end the wait")
	}
	if n := h.sim.Total(); n != before {
		t.Fatalf("%d requests were sent while the quota was used up", n-before)
	}
	h.send(h.m.spin.Tick())
	h.mustNotSee("waiting for the API quota")
}
