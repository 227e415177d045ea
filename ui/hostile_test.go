package ui

import (
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// A lookup that timed out names the call and says how to try again.
func TestLookupTimeoutSaysHowToRetry(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.shortTimeout(100 * time.Millisecond)
	h.sim.Inject(sim.Fault{Op: "ip-intelligence-get-ip-overview", Latency: time.Second})
	h.lookup(sim.IPRiskyC2)
	h.mustSee("IP overview timed out after 100ms", "ctrl+r")
}
