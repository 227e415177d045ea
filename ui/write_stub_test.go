package ui

import (
	"net/http"
	"strings"
	"sync/atomic"
)

// writePath is a write the Request pane may send raw. The contract's one
// write without a reviewed flow is the miscategorization report (a risk
// reset sent raw is refused, see TestRequestRawResetIsRefused), and the
// simulator does not implement it: the harness's writeStub answers it as
// the contract's example does.
const writePath = "/accounts/{account_id}/intel/miscategorization"

// writeStub stands in front of the simulator and answers the
// miscategorization POST: counted in writes, answered 200 (with body when
// set), or with the connection dropped when drop is set. The rest goes to
// the simulator.
type writeStub struct {
	next   http.Handler
	writes atomic.Int64
	drop   atomic.Bool
	body   atomic.Pointer[string]
}

func (s *writeStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/intel/miscategorization") {
		s.next.ServeHTTP(w, r)
		return
	}
	s.writes.Add(1)
	if s.drop.Load() {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				_ = c.Close()
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	body := `{"success":true,"errors":[],"messages":[],"result":""}`
	if b := s.body.Load(); b != nil {
		body = *b
	}
	_, _ = w.Write([]byte(body))
}
