// Package sim is an in-process simulator of the Cloudflare API operations the
// console uses. It is an independent reading of the contract in
// ../shared/cloudflare (it deliberately does not import cftriage/cloudflare),
// so tests of the client against it check two readings against each other.
//
// It serves under /client/v4 like https://api.cloudflare.com/client/v4, over
// a coherent demo dataset (see the Domain*, IP*, Email* constants), with
// bearer-token auth, per-token rate limiting with Cloudflare's headers,
// per-operation request counts and faults injected on demand.
package sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// DemoAccountID is the account id the simulator serves by default.
const DemoAccountID = "023e105f4ecef8ad9ca31a8372d0c353"

// DemoToken is accepted by default with every permission. It is public and
// only meaningful to the simulator.
const DemoToken = "sim-demo-token-5f1c0a7e9b2d4c6f8a1b3c5d"

// BasePath is where the API is served, as on api.cloudflare.com.
const BasePath = "/client/v4"

// Permission names a capability a token may hold.
type Permission string

// Permissions, one per group of operations (the contract's README names the
// Cloudflare permission each maps to).
const (
	PermIntelRead       Permission = "intel:read"        // Intel Read
	PermAccessUsersRead Permission = "access_users:read" // Access: Audit Logs Read
	PermRiskRead        Permission = "risk:read"         // Zero Trust: PII Read
	PermRiskWrite       Permission = "risk:write"        // Zero Trust Write
	PermAccountsRead    Permission = "accounts:read"     // Account Settings Read
)

// AllPermissions lists every permission, for building full-power tokens.
var AllPermissions = []Permission{PermIntelRead, PermAccessUsersRead, PermRiskRead, PermRiskWrite, PermAccountsRead,
	PermZeroTrustRead, PermAccessOrgsWrite, PermDevicesRead}

// TokenSpec describes one token the simulator accepts.
type TokenSpec struct {
	ID        string       // 32 hex; derived from the token when empty
	Kind      string       // "user" (default) or "account"
	Status    string       // active (default) | disabled | expired
	ExpiresOn string       // RFC 3339; a past date makes the token expired
	Perms     []Permission // what the token may do
}

// Options configure a Sim. The zero value is the demo.
type Options struct {
	AccountID string               // default DemoAccountID
	Tokens    map[string]TokenSpec // default {DemoToken: full perms, user kind}
	Now       func() time.Time     // default time.Now; dataset dates are relative to it
	// RateQuota is the requests each token may make per RateWindow
	// before every call is refused with 429 for a RateWindow: 0 means
	// Cloudflare's 1,200; a small value reaches a real 429 quickly; a
	// negative one never limits (benchmarks), the headers then always
	// report a full quota.
	RateQuota int
	// Variants serves the shapes Cloudflare's reference docs and SDKs
	// show where they differ from the contract (see "Variants" in the
	// package documentation), so clients are tested on both readings.
	Variants bool
	// RateWindow is the quota's window: 0 means Cloudflare's 5 minutes.
	// Whole seconds only make sense: the headers count in seconds.
	RateWindow time.Duration
	// EmailCaseSensitive makes the users listing's email= match the
	// stored address exactly, case included. Cloudflare does not document
	// how email= matches; the default matches case-insensitively, this is
	// the other reading, under which a client must send the address as
	// typed and fall back to search= (which matches a substring of the
	// email or name, case-insensitively, in both readings).
	EmailCaseSensitive bool
}

// Fault describes a misbehaviour to inject. Faults that replace the answer
// (Status, HTML, Malformed, DropConnection) do so without running the
// operation, so a faulted reset resets nothing; Latency, Truncated and
// SlowBody run it and distort only the delivery.
type Fault struct {
	Op             string        // operationId, "" = any operation
	After          int           // start after N matching requests have passed (0 = at once)
	Times          int           // how many requests it affects (0 = all following)
	Latency        time.Duration // delay before answering
	Status         int           // e.g. 500/502/503/429; 429 sets Retry-After
	RetryAfter     int           // seconds for 429 (default 60)
	HTML           bool          // HTML gateway error page (Status, default 502)
	Malformed      bool          // 200 with invalid JSON
	Truncated      bool          // 200 with JSON cut in the middle
	SlowBody       time.Duration // write the body in chunks over this duration
	DropConnection bool          // hijack and close without answering
	// Rate, between 0 and 1, makes the fault hit only that fraction of
	// the matching requests, spread evenly and deterministically (0.25:
	// the 4th, 8th, ...); 0 means every one.
	Rate float64
}

// Sim is the simulator; it implements http.Handler and is safe for
// concurrent use.
type Sim struct {
	accountID string
	tokens    map[string]TokenSpec
	now       func() time.Time
	epoch     time.Time // dataset dates are relative to this
	quota     int       // < 0: unlimited
	variants  bool      // serve the docs' shapes (Options.Variants)
	window    time.Duration
	emailCase bool // Options.EmailCaseSensitive

	mu     sync.Mutex
	counts map[string]int
	total  int
	faults []*faultState
	limits map[string]*window
	users  map[string]*userState
	ident  *identityState // revokes (identity.go)
}

type faultState struct {
	f       Fault
	passed  int
	seen    int // matching requests past After, for Rate
	applied int
}

// New returns a simulator. It is cheap: the dataset is shared and built on
// first use.
func New(o Options) *Sim {
	s := &Sim{
		accountID: o.AccountID,
		tokens:    map[string]TokenSpec{},
		now:       o.Now,
		quota:     o.RateQuota,
		variants:  o.Variants,
		window:    o.RateWindow,
		emailCase: o.EmailCaseSensitive,
		counts:    map[string]int{},
		limits:    map[string]*window{},
		users:     map[string]*userState{},
	}
	if s.accountID == "" {
		s.accountID = DemoAccountID
	}
	if s.quota == 0 {
		s.quota = defaultQuota
	}
	if s.window <= 0 {
		s.window = rateWindow
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.epoch = s.now().UTC().Truncate(time.Second)
	toks := o.Tokens
	if toks == nil {
		toks = map[string]TokenSpec{DemoToken: {Kind: "user", Status: "active", Perms: AllPermissions}}
	}
	for k, v := range toks {
		if v.ID == "" {
			sum := sha256.Sum256([]byte("token-id:" + k))
			v.ID = hex.EncodeToString(sum[:16])
		}
		if v.Kind == "" {
			v.Kind = "user"
		}
		if v.Status == "" {
			v.Status = "active"
		}
		v.Perms = slices.Clone(v.Perms)
		s.tokens[k] = v
	}
	return s
}

// Count returns how many requests reached the operation op (an operationId
// of the contract), including rejected and faulted ones.
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

// ResetCounts zeroes the request counters (not the rate-limit windows).
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

// Inject adds a fault. Faults are tried in the order injected; the first
// one that fires decides the answer.
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

// pickFault returns the fault that fires for a request to op, if any.
func (s *Sim) pickFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, fs := range s.faults {
		if fs.f.Op != "" && fs.f.Op != op {
			continue
		}
		if fs.f.Times > 0 && fs.applied >= fs.f.Times {
			continue
		}
		if fs.passed < fs.f.After {
			fs.passed++
			continue
		}
		if r := fs.f.Rate; r > 0 && r < 1 {
			fs.seen++
			if math.Floor(float64(fs.seen)*r) == math.Floor(float64(fs.seen-1)*r) {
				continue
			}
		}
		fs.applied++
		return fs.f, true
	}
	return Fault{}, false
}

// Suggestions lists indicators worth trying on the demo: a risky IPv4, a
// clean IPv4, an IPv6, a phishing domain, a newly registered domain, users
// with a few and with 10,000 risk events, and an IP with hundreds of
// passive-DNS hostnames.
func Suggestions() []string {
	return []string{
		IPRiskyC2,
		IPCleanCF,
		IPv6Risky,
		DomainPhishing,
		DomainNew,
		EmailFewEvents,
		EmailManyEvents,
		IPParkingFarm,
	}
}

// Serve runs the simulator standalone on addr until ctx is done, printing
// the base URL, account id, demo token and quota to w, then the same as
// shell export lines.
func Serve(ctx context.Context, addr string, w io.Writer, s *Sim) error {
	if s == nil {
		s = New(Options{})
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	base := fmt.Sprintf("http://%s%s", ln.Addr(), BasePath)
	fmt.Fprintf(w, "base URL: %s\n", base)
	fmt.Fprintf(w, "account id: %s\n", s.accountID)
	_, demo := s.tokens[DemoToken]
	if demo {
		fmt.Fprintf(w, "token: %s\n", DemoToken)
	}
	if s.variants {
		fmt.Fprintln(w, "variants: on (the docs' shapes where they differ from the contract)")
	}
	if s.quota < 0 {
		fmt.Fprintln(w, "quota: unlimited")
	} else {
		fmt.Fprintf(w, "quota: %d requests per %s per token, then 429 for %s\n", s.quota, s.window, s.window)
	}
	// Ready to paste into a shell (the variables cftriage reads).
	fmt.Fprintf(w, "\nexport CLOUDFLARE_BASE_URL='%s'\n", base)
	fmt.Fprintf(w, "export CLOUDFLARE_ACCOUNT_ID='%s'\n", s.accountID)
	if demo {
		fmt.Fprintf(w, "export CLOUDFLARE_API_TOKEN='%s'\n", DemoToken)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("simulator: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	if e := <-errc; err == nil && !errors.Is(e, http.ErrServerClosed) {
		err = e
	}
	return err
}
