package cloudflare

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// memQuota is a QuotaStore in memory: what a file under a lock is to
// separate processes, a mutex is to these clients.
type memQuota struct {
	mu      sync.Mutex
	data    []byte
	updates int
	err     error
}

func (m *memQuota) Update(fn func([]byte) []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.updates++
	if b := fn(append([]byte(nil), m.data...)); b != nil {
		m.data = b
	}
	return nil
}

// status429 counts the simulator's 429 answers.
type status429 struct {
	h http.Handler
	n atomic.Int64
}

func (s *status429) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	s.h.ServeHTTP(rec, r)
	if rec.code == http.StatusTooManyRequests {
		s.n.Add(1)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// pacedSim is a simulator with a small quota on a fake clock shared with
// the clients, behind a 429 counter.
func pacedSim(t *testing.T, quota int, window time.Duration) (*sim.Sim, string, *fakeClock, *status429) {
	t.Helper()
	clk := newFakeClock()
	s := sim.New(sim.Options{RateQuota: quota, RateWindow: window, Now: clk.Now})
	counter := &status429{h: s}
	srv := httptest.NewServer(counter)
	t.Cleanup(srv.Close)
	return s, srv.URL + sim.BasePath, clk, counter
}

// sharedClient is a fresh client, as a new process would build, on the
// shared store and clock.
func sharedClient(t *testing.T, base string, clk Clock, qs QuotaStore, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL: base, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		BackoffBase: time.Millisecond, MaxRetries: -1,
		HTTPClient:  &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
		SharedQuota: qs, Clock: clk,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSharedQuotaPacesSeparateClients: clients built one after the other
// (a shell loop's processes) share one quota: once it is used up the next
// one waits for the window, says so, and sends nothing early — no 429.
func TestSharedQuotaPacesSeparateClients(t *testing.T) {
	const quota = 3
	window := 10 * time.Second
	s, base, clk, c429 := pacedSim(t, quota, window)
	qs := &memQuota{}
	var waits []QuotaWait
	for i := 0; i < 2*quota+1; i++ {
		countBefore := s.Count(sim.OpDomain)
		var waitedAt int
		c := sharedClient(t, base, clk, qs, func(cfg *Config) {
			cfg.OnQuotaWait = func(w QuotaWait) {
				waits = append(waits, w)
				waitedAt = s.Count(sim.OpDomain)
			}
		})
		if _, _, err := c.DomainOverview(context.Background(), sim.DomainClean); err != nil {
			t.Fatalf("lookup %d: %v", i+1, err)
		}
		if waitedAt != 0 && waitedAt != countBefore {
			t.Fatalf("lookup %d sent before its wait", i+1)
		}
		clk.Advance(10 * time.Millisecond)
	}
	if n := c429.n.Load(); n != 0 {
		t.Fatalf("%d answers were 429", n)
	}
	if len(waits) != 2 {
		t.Fatalf("waits %+v, want one per used-up window", waits)
	}
	for _, w := range waits {
		if w.RetryAfter || w.Wait <= time.Second || w.Wait > window+time.Second || w.Limit != quota || w.Window != window || w.Op == "" {
			t.Errorf("wait %+v", w)
		}
		if msg := w.Message(); !strings.Contains(msg, "3 requests per 10s") || !strings.Contains(msg, "used up") {
			t.Errorf("message %q", msg)
		}
	}
	// Without the shared state, the same loop earns 429s: the test can fail.
	_, base2, clk2, c429b := pacedSim(t, quota, window)
	for i := 0; i < quota+1; i++ {
		c := sharedClient(t, base2, clk2, nil, nil)
		_, _, _ = c.DomainOverview(context.Background(), sim.DomainClean)
	}
	if c429b.n.Load() == 0 {
		t.Fatal("without the shared state no 429 either: the test shows nothing")
	}
}

// TestSharedRetryAfterAcrossClients: a 429 seen by one client holds back
// the next client's first request until Retry-After has passed.
func TestSharedRetryAfterAcrossClients(t *testing.T) {
	s, base, clk, _ := pacedSim(t, 100, time.Minute)
	s.Inject(sim.Fault{Op: sim.OpDomain, Status: 429, RetryAfter: 30, Times: 1})
	qs := &memQuota{}
	first := sharedClient(t, base, clk, qs, nil)
	if _, _, err := first.DomainOverview(context.Background(), sim.DomainClean); err == nil {
		t.Fatal("the faulted call succeeded")
	}
	var got []QuotaWait
	second := sharedClient(t, base, clk, qs, func(cfg *Config) { cfg.OnQuotaWait = func(w QuotaWait) { got = append(got, w) } })
	start := clk.Now()
	if _, _, err := second.DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].RetryAfter || got[0].Wait < 30*time.Second || got[0].Wait > 31*time.Second {
		t.Fatalf("waits %+v", got)
	}
	if !strings.Contains(got[0].Message(), "429") {
		t.Errorf("message %q", got[0].Message())
	}
	if clk.Now().Sub(start) < 30*time.Second || s.Count(sim.OpDomain) != 2 {
		t.Fatalf("second call went after %v, count %d", clk.Now().Sub(start), s.Count(sim.OpDomain))
	}
}

// TestSharedWaitTooLongFailsUnsent: a wait beyond MaxQuotaWait, or
// beyond the caller's deadline, fails at once and sends nothing.
func TestSharedWaitTooLongFailsUnsent(t *testing.T) {
	s, base, clk, _ := pacedSim(t, 1, time.Hour)
	qs := &memQuota{}
	if _, _, err := sharedClient(t, base, clk, qs, nil).DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err)
	}
	c := sharedClient(t, base, clk, qs, func(cfg *Config) { cfg.MaxQuotaWait = time.Minute })
	_, ex, err := c.DomainOverview(context.Background(), sim.DomainClean)
	e := wantKind(t, err, KindRateLimited)
	if ex != nil || s.Count(sim.OpDomain) != 1 || !strings.Contains(e.Message, "nothing was sent") || e.RetryAfter < 59*time.Minute {
		t.Fatalf("exchange %v, count %d, %q, RetryAfter %v", ex, s.Count(sim.OpDomain), e.Message, e.RetryAfter)
	}
	// A 3-minute wait is allowed, but not within a 1-minute deadline.
	s2, base2, clk2, _ := pacedSim(t, 1, 3*time.Minute)
	qs2 := &memQuota{}
	if _, _, err := sharedClient(t, base2, clk2, qs2, nil).DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _, err = sharedClient(t, base2, clk2, qs2, nil).DomainOverview(ctx, sim.DomainClean)
	if e := wantKind(t, err, KindRateLimited); s2.Count(sim.OpDomain) != 1 || !strings.Contains(e.Message, "nothing was sent") {
		t.Fatalf("deadline shorter than the wait: %q, count %d", e.Message, s2.Count(sim.OpDomain))
	}
}

// TestSharedWaitIsCancelable: a canceled context ends the wait, nothing
// sent; the console's esc does that.
func TestSharedWaitIsCancelable(t *testing.T) {
	s, base, _, _ := pacedSim(t, 1, 10*time.Second)
	qs := &memQuota{}
	clk := &blockingClock{fakeClock: newFakeClock(), entered: make(chan struct{}, 1)}
	if _, _, err := sharedClient(t, base, clk, qs, nil).DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err)
	}
	c := sharedClient(t, base, clk, qs, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, _, err := c.DomainOverview(ctx, sim.DomainClean); done <- err }()
	select {
	case <-clk.entered:
	case err := <-done:
		t.Fatalf("the call did not wait: %v, count %d", err, s.Count(sim.OpDomain))
	}
	w, ok := c.QuotaWaiting()
	if !ok || w.Wait <= 0 || w.Op == "" {
		t.Fatalf("QuotaWaiting while waiting = %+v, %v", w, ok)
	}
	cancel()
	wantKind(t, <-done, KindCanceled)
	if _, ok := c.QuotaWaiting(); ok {
		t.Fatal("still waiting after the cancel")
	}
	if s.Count(sim.OpDomain) != 1 {
		t.Fatalf("count %d", s.Count(sim.OpDomain))
	}
}

// blockingClock's Sleep blocks until the context ends (a real wait).
type blockingClock struct {
	*fakeClock
	entered chan struct{}
}

func (b *blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case b.entered <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestSharedStoreFailureIsToldAndIgnored: when the shared state cannot be
// used, calls still go (paced by the process alone) and the failure is
// told once.
func TestSharedStoreFailureIsToldAndIgnored(t *testing.T) {
	_, base, clk, _ := pacedSim(t, 100, time.Minute)
	qs := &memQuota{err: errors.New("disk full")}
	var told []QuotaWait
	c := sharedClient(t, base, clk, qs, func(cfg *Config) { cfg.OnQuotaWait = func(w QuotaWait) { told = append(told, w) } })
	for i := 0; i < 3; i++ {
		if _, _, err := c.DomainOverview(context.Background(), sim.DomainClean); err != nil {
			t.Fatal(err)
		}
	}
	if len(told) != 1 || told[0].Err == nil || !strings.Contains(told[0].Message(), "disk full") {
		t.Fatalf("told %+v", told)
	}
}

// TestSharedWriteIsPacedNotRetried: a write waits for the quota like a
// read, and is still sent once whatever the answer.
func TestSharedWriteIsPacedNotRetried(t *testing.T) {
	s, base, clk, _ := pacedSim(t, 2, 10*time.Second)
	qs := &memQuota{}
	c := sharedClient(t, base, clk, qs, func(cfg *Config) { cfg.MaxRetries = 3 })
	id := userID(t, c, sim.EmailFewEvents) // 1 request
	if _, _, err := c.DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err) // 2: used up
	}
	s.Inject(sim.Fault{Op: sim.OpRiskReset, Status: 503})
	start := clk.Now()
	_, err := c.ResetRisk(context.Background(), id)
	if err == nil {
		t.Fatal("faulted reset succeeded")
	}
	if clk.Now().Sub(start) < 9*time.Second {
		t.Fatalf("the reset did not wait for the window (%v)", clk.Now().Sub(start))
	}
	if n := s.Count(sim.OpRiskReset); n != 1 {
		t.Fatalf("reset sent %d times", n)
	}
}

// TestSharedStateRules checks the state's bookkeeping directly.
func TestSharedStateRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const base = "https://api.example/client/v4"
	quota := func(r int, reset time.Duration, at time.Time) Quota {
		return Quota{Known: true, Remaining: r, Limit: 10, Window: time.Minute, Reset: reset, Seen: at}
	}
	f := decodeShared(nil)
	// Nothing known: requests go, and are counted until the first
	// answer says where the window is.
	for i := 0; i < 3; i++ {
		if w, changed := f.reserve(base, t0); w.Wait != 0 || !changed {
			t.Fatalf("nothing known: %+v %v", w, changed)
		}
	}
	// The first answer counted only its own request: the two others
	// still in flight are taken off what it leaves (4 - 2).
	f.record(base, quota(4, time.Minute, t0), 0, t0)
	if e := f.Bases[base]; e.Remaining != 2 || e.Probing != 0 {
		t.Fatalf("first answer after three blind requests: remaining %d, probing %d", e.Remaining, e.Probing)
	}
	// The probe state survives being written out and read back.
	g := decodeShared(func() []byte { h := decodeShared(nil); h.reserve(base, t0); h.reserve(base, t0); return h.encode(t0) }())
	if e := g.Bases[base]; e == nil || e.Probing != 2 {
		t.Fatalf("probing lost in the file: %+v", e)
	}
	for i := 0; i < 2; i++ {
		if w, changed := f.reserve(base, t0); w.Wait != 0 || !changed {
			t.Fatalf("reserve %d: %+v", i, w)
		}
	}
	w, _ := f.reserve(base, t0.Add(10*time.Second))
	if w.Wait != 50*time.Second+paceMargin(time.Minute) {
		t.Fatalf("used up: wait %v", w.Wait)
	}
	// An answer of the same window that has not seen the others'
	// requests yet does not give them back.
	f.record(base, quota(1, 50*time.Second, t0.Add(10*time.Second)), 0, t0.Add(10*time.Second))
	if e := f.Bases[base]; e.Remaining != 0 {
		t.Fatalf("same window: remaining %d", e.Remaining)
	}
	// A late answer from an earlier window changes nothing either.
	f.record(base, quota(9, time.Second, t0.Add(-50*time.Second)), 0, t0.Add(11*time.Second))
	if e := f.Bases[base]; e.Remaining != 0 || !e.ResetAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("late answer: %+v", e)
	}
	// Once the window has passed, the quota is whole again.
	if w, _ := f.reserve(base, t0.Add(time.Minute)); w.Wait != 0 || f.Bases[base].Remaining != 9 {
		t.Fatalf("after the window: %+v, remaining %d", w, f.Bases[base].Remaining)
	}
	if e := f.Bases[base]; !e.Estimated || !e.ResetAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("the new window's reset is not a guess: %+v", e)
	}
	// The new window's first answer, a little later than the guess,
	// replaces it; a later answer naming an earlier reset (rounded up
	// less) tightens it.
	f.record(base, quota(8, 61*time.Second, t0.Add(time.Minute)), 0, t0.Add(time.Minute))
	if e := f.Bases[base]; e.Estimated || e.Remaining != 8 || !e.ResetAt.Equal(t0.Add(121*time.Second)) {
		t.Fatalf("first answer of the new window: %+v", e)
	}
	f.record(base, quota(7, 50*time.Second, t0.Add(70500*time.Millisecond)), 0, t0.Add(70500*time.Millisecond))
	if e := f.Bases[base]; e.Remaining != 7 || !e.ResetAt.Equal(t0.Add(120500*time.Millisecond)) {
		t.Fatalf("tightened: %+v", e)
	}
	// A new window's answer replaces the state.
	f.record(base, quota(7, time.Minute, t0.Add(150*time.Second)), 0, t0.Add(150*time.Second))
	if e := f.Bases[base]; e.Remaining != 7 || !e.ResetAt.Equal(t0.Add(210*time.Second)) {
		t.Fatalf("new window: %+v", e)
	}
	// A 429 blocks for its Retry-After.
	f.record(base, Quota{}, 30*time.Second, t0.Add(160*time.Second))
	if w, _ := f.reserve(base, t0.Add(170*time.Second)); !w.RetryAfter || w.Wait != 20*time.Second+paceMargin(time.Minute) {
		t.Fatalf("blocked: %+v", w)
	}
	// Garbage in the file starts over instead of failing.
	if g := decodeShared([]byte("{not json")); len(g.Bases) != 0 {
		t.Fatalf("garbage: %+v", g)
	}
	// Old entries are pruned; the demo's ports do not pile up.
	for i := 0; i < maxSharedBases+5; i++ {
		f.record(base+string(rune('a'+i)), quota(5, time.Minute, t0), 0, t0.Add(time.Duration(i)*time.Second))
	}
	if g := decodeShared(f.encode(t0.Add(time.Hour))); len(g.Bases) > maxSharedBases {
		t.Fatalf("%d bases kept", len(g.Bases))
	}
	if g := decodeShared(f.encode(t0.Add(48 * time.Hour))); len(g.Bases) != 0 {
		t.Fatalf("stale bases kept: %d", len(g.Bases))
	}
}

// TestSharedRetryWithoutTimeKeepsTheAnswer: a GET whose retry would have
// to wait for the shared quota beyond its deadline ends with the answer
// it got, not with "nothing was sent".
func TestSharedRetryWithoutTimeKeepsTheAnswer(t *testing.T) {
	s, base, clk, _ := pacedSim(t, 1, 3*time.Minute)
	s.Inject(sim.Fault{Op: sim.OpDomain, Status: 503, Times: 1})
	c := sharedClient(t, base, clk, &memQuota{}, func(cfg *Config) { cfg.MaxRetries = 2 })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, ex, err := c.DomainOverview(ctx, sim.DomainClean)
	e := wantKind(t, err, KindServer)
	if e.StatusCode != 503 || ex == nil || ex.Attempts != 1 || strings.Contains(e.Message, "nothing was sent") || s.Count(sim.OpDomain) != 1 {
		t.Fatalf("%+v (exchange %+v), count %d", e, ex, s.Count(sim.OpDomain))
	}
}
