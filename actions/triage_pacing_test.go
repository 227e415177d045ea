package actions

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

// TestTriageStaysWithinTheQuota is the harness: 300 mixed
// indicators (a third of them domains) against a quota of 60 requests per
// 5 seconds. Asserted: no 429 at all, and fewer requests than
// indicators. Reported (not asserted: time is not a test): the wall time
// against the least the quota allows for the requests made.
func TestTriageStaysWithinTheQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("about 20 s of real time: skipped with -short")
	}
	const quota, window = 60, 5 * time.Second
	inFlight := 4
	if v := os.Getenv("TRIAGE_INFLIGHT"); v != "" {
		inFlight, _ = strconv.Atoi(v)
	}
	s := sim.New(sim.Options{RateQuota: quota, RateWindow: window})
	var mu sync.Mutex
	n429 := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		s.ServeHTTP(rec, r)
		if rec.status == http.StatusTooManyRequests {
			mu.Lock()
			n429++
			mu.Unlock()
		}
		if os.Getenv("TRIAGE_TRACE") != "" {
			t.Logf("%s %d %s %s", time.Now().Format("05.000"), rec.status, rec.Header().Get("Ratelimit"), r.URL.Path)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken,
		AccountID: sim.DemoAccountID, Timeout: 30 * time.Second, BackoffBase: time.Millisecond,
		// As every session wires it (the quota file, shared by processes).
		SharedQuota: &memQuota{}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "198.51.%d.%d\n", i/250, i%250+1)
	}
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "host-%d.triage.example\n", i)
	}
	x := extract(t, b.String())
	if len(x.Found) != 300 {
		t.Fatalf("%d indicators extracted, want 300", len(x.Found))
	}
	start := time.Now()
	sum := Triage(context.Background(), c, x.Found, TriageOptions{InFlight: inFlight}, nil, nil)
	wall := time.Since(start)
	if n429 != 0 {
		t.Fatalf("%d requests were answered 429", n429)
	}
	if sum.Failed() != 0 || len(sum.Records) != 300 {
		t.Fatalf("%d records, %d failed", len(sum.Records), sum.Failed())
	}
	if sum.Requests >= 300 || s.Total() != sum.Requests {
		t.Fatalf("%d requests counted, %d seen by the simulator, for 300 indicators", sum.Requests, s.Total())
	}
	// The least time the quota allows: the last window's requests may go
	// as soon as it starts.
	windows := (sum.Requests + quota - 1) / quota
	least := time.Duration(windows-1) * window
	t.Logf("300 indicators, %d requests, 0 429s, %v (least the quota allows: %v, ratio %.2f)",
		sum.Requests, wall.Round(10*time.Millisecond), least, wall.Seconds()/least.Seconds())
}

// statusRecorder notes the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// memQuota is a QuotaStore in memory.
type memQuota struct {
	mu sync.Mutex
	b  []byte
}

func (q *memQuota) Update(f func([]byte) []byte) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if b := f(q.b); b != nil {
		q.b = b
	}
	return nil
}
