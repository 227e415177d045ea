// Package sim is an in-process simulator of the Cloudflare API operations the
// console uses. It is an independent reading of the contract in
// ../shared/cloudflare (it deliberately does not import cftriage/cloudflare),
// so tests of the client against it check two readings against each other.
package sim

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// DemoAccountID is the account id the simulator serves by default.
const DemoAccountID = "023e105f4ecef8ad9ca31a8372d0c353"

// DemoToken is accepted by default with every permission.
const DemoToken = "sim-demo-token-0000000000000000000000000"

// Permission names a capability a token may hold.
type Permission string

const (
	PermIntelRead       Permission = "intel:read"
	PermAccessUsersRead Permission = "access_users:read"
	PermRiskRead        Permission = "risk:read"
	PermRiskWrite       Permission = "risk:write"
	PermAccountsRead    Permission = "accounts:read"
)

// AllPermissions lists every permission, for building full-power tokens.
var AllPermissions = []Permission{PermIntelRead, PermAccessUsersRead, PermRiskRead, PermRiskWrite, PermAccountsRead}

// TokenSpec describes one token the simulator accepts.
type TokenSpec struct {
	ID        string
	Kind      string // "user" or "account"
	Status    string // active | disabled | expired
	ExpiresOn string
	Perms     []Permission
}

// Options configure a Sim. The zero value is the demo.
type Options struct {
	AccountID string               // default DemoAccountID
	Tokens    map[string]TokenSpec // default {DemoToken: full perms, user kind}
	Now       func() time.Time     // default time.Now
}

// Fault describes a misbehaviour to inject.
type Fault struct {
	Op             string        // operationId, "" = any operation
	After          int           // start after N matching requests have succeeded
	Times          int           // how many requests it affects (0 = all following)
	Latency        time.Duration // delay before answering
	Status         int           // e.g. 500/502/503/429
	RetryAfter     int           // seconds for 429 (default 60)
	HTML           bool          // HTML gateway error page
	Malformed      bool          // 200 with invalid JSON
	Truncated      bool          // 200 with JSON cut in the middle
	SlowBody       time.Duration // write the body in chunks over this duration
	DropConnection bool          // hijack and close without answering
}

// Sim is the simulator; it implements http.Handler and is safe for
// concurrent use.
type Sim struct {
	mu     sync.Mutex
	opts   Options
	counts map[string]int
	total  int
	faults []*faultState
}

type faultState struct {
	f       Fault
	matched int
	applied int
}

// New returns a simulator. It is cheap: the dataset is built lazily.
func New(o Options) *Sim {
	if o.AccountID == "" {
		o.AccountID = DemoAccountID
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Tokens == nil {
		o.Tokens = map[string]TokenSpec{DemoToken: {ID: "sim-demo-token-id", Kind: "user", Status: "active", Perms: AllPermissions}}
	}
	return &Sim{opts: o, counts: map[string]int{}}
}

// ServeHTTP serves the API under /client/v4.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.total++
	s.mu.Unlock()
	http.NotFound(w, r)
}

// Count returns how many requests reached the operation op.
func (s *Sim) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

// Counts returns a copy of the per-operation counts.
func (s *Sim) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		m[k] = v
	}
	return m
}

// ResetCounts zeroes the request counters.
func (s *Sim) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.total = 0
}

// Total returns every request received, including unknown paths.
func (s *Sim) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Inject adds a fault.
func (s *Sim) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{f: f})
}

// ClearFaults removes every injected fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Suggestions lists indicators worth trying on the demo.
func Suggestions() []string {
	return nil
}

// Serve runs the simulator standalone until ctx is done.
func Serve(ctx context.Context, addr string, w io.Writer, s *Sim) error {
	return nil
}
