package actions

import (
	"net/http"
	"strings"
	"sync/atomic"
)

// The contract's one write without a reviewed flow is the
// miscategorization report, which the simulator does not implement; the
// tests' server answers it (writeStub) as the contract's example does.
const (
	miscatPath = "/accounts/{account_id}/intel/miscategorization"
	miscatBody = `{"indicator_type":"domain","url":"cdn-update.test","content_adds":[],"content_removes":[],"security_adds":[131],"security_removes":[]}`
)

// writeStub stands in front of the simulator: it answers the
// miscategorization POST (counted in writes; status, 200 by default, sets
// the answer) and lets a test's hook answer any request first (a hostile
// server); the rest goes to the simulator.
type writeStub struct {
	next   http.Handler
	writes atomic.Int64
	status atomic.Int64
	hook   atomic.Pointer[func(w http.ResponseWriter, r *http.Request) bool]
}

// answer makes the stub call h first; h returns true when it answered.
func (s *writeStub) answer(h func(w http.ResponseWriter, r *http.Request) bool) { s.hook.Store(&h) }

func (s *writeStub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := s.hook.Load(); h != nil && (*h)(w, r) {
		return
	}
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/intel/miscategorization") {
		s.next.ServeHTTP(w, r)
		return
	}
	s.writes.Add(1)
	st := int(s.status.Load())
	w.Header().Set("Content-Type", "application/json")
	if st == 0 || st < 300 {
		w.WriteHeader(max(st, http.StatusOK))
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":""}`))
		return
	}
	w.WriteHeader(st)
	_, _ = w.Write([]byte(`{"success":false,"errors":[{"code":10001,"message":"upstream failed"}],"messages":[],"result":null}`))
}
