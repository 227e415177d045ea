package cloudflare

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testAccount = "023e105f4ecef8ad9ca31a8372d0c353"

// fakeClock makes the client's waits instant and records them, so tests
// can assert that a wait happened and how long it was meant to be without
// timing anything.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slept = append(f.slept, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.slept...)
}

// countingServer serves h under /client/v4 and counts requests by method.
type countingServer struct {
	*httptest.Server
	n     atomic.Int64
	posts atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *countingServer {
	t.Helper()
	cs := &countingServer{}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cs.n.Add(1)
		if r.Method == http.MethodPost {
			cs.posts.Add(1)
		}
		h(w, r.WithContext(context.WithValue(r.Context(), countKey{}, n)))
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingServer) Count() int { return int(cs.n.Load()) }

// newTestClient builds a client for base with a fake clock and a fresh
// transport per test (no connection reuse between tests).
func newTestClient(t *testing.T, base string, mod func(*Config)) (*Client, *fakeClock) {
	t.Helper()
	cfg := Config{
		BaseURL:     base,
		Token:       "test-token-secret",
		AccountID:   testAccount,
		BackoffBase: time.Millisecond,
		HTTPClient:  &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fc := newFakeClock()
	c.clock = fc
	return c, fc
}

func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v, want *Error", err, err)
	}
	return e
}

func wantKind(t *testing.T, err error, kind ErrorKind) *Error {
	t.Helper()
	e := asError(t, err)
	if e.Kind != kind {
		t.Fatalf("Kind = %v, want %v; Message %q", e.Kind, kind, e.Message)
	}
	return e
}

const okIP = `{"success":true,"errors":[],"messages":[],"result":[{"ip":"192.0.2.1","risk_types":[]}]}`
