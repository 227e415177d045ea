package cloudflare

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

func TestParseQuota(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name             string
		h                http.Header
		known            bool
		remaining, limit int
		reset, window    time.Duration
	}{
		{"cloudflare", hdr("Ratelimit", `"default";r=50;t=30`, "Ratelimit-Policy", `"default";q=1200;w=300`), true, 50, 1200, 30 * time.Second, 300 * time.Second},
		{"policy named differently", hdr("Ratelimit", `"default";r=7;t=3`, "Ratelimit-Policy", `"burst";q=1200;w=300`), true, 7, 1200, 3 * time.Second, 300 * time.Second},
		{"no policy", hdr("Ratelimit", `"default";r=0;t=299`), true, 0, 0, 299 * time.Second, 0},
		{"several limits: least remaining wins", hdr("Ratelimit", `"a";r=100;t=5, "b";r=3;t=60`, "Ratelimit-Policy", `"a";q=200;w=1, "b";q=1200;w=300`), true, 3, 1200, 60 * time.Second, 300 * time.Second},
		{"spaces and case", hdr("Ratelimit", ` "default" ; R=9 ; T=2 `), true, 9, 0, 2 * time.Second, 0},
		{"two header lines", hdr("Ratelimit", `"a";r=10;t=1`, "Ratelimit", `"b";r=4;t=9`), true, 4, 0, 9 * time.Second, 0},
		{"absent", http.Header{}, false, 0, 0, 0, 0},
		{"garbage", hdr("Ratelimit", `lots of "quotes, and;=;==`), false, 0, 0, 0, 0},
		{"negative", hdr("Ratelimit", `"default";r=-1;t=5`), false, 0, 0, 0, 0},
		{"huge t is capped", hdr("Ratelimit", `"default";r=1;t=999999999999999`), true, 1, 0, time.Duration(1<<31) * time.Second, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := ParseQuota(tc.h, now)
			if q.Known != tc.known || q.Remaining != tc.remaining || q.Limit != tc.limit || q.Reset != tc.reset || q.Window != tc.window {
				t.Fatalf("ParseQuota = %+v", q)
			}
			if q.Known && !q.Seen.Equal(now) {
				t.Fatalf("Seen = %v", q.Seen)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in string
		d  time.Duration
		ok bool
	}{
		{"120", 2 * time.Minute, true},
		{" 1 ", time.Second, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"99999999999", maxRetryAfter, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tc := range cases {
		d, ok := parseRetryAfter(tc.in, now)
		if d != tc.d || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, d, ok, tc.d, tc.ok)
		}
	}
}

func TestWindowLimiterBlocksTheFourth(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newWindowLimiter(3, time.Minute)
	for i := 0; i < 3; i++ {
		if w := l.take(t0); w != 0 {
			t.Fatalf("take %d waited %v", i, w)
		}
	}
	if w := l.take(t0.Add(20 * time.Second)); w != 40*time.Second {
		t.Fatalf("4th take: wait %v, want 40s", w)
	}
	if w := l.take(t0.Add(time.Minute)); w != 0 {
		t.Fatalf("take after the window: wait %v", w)
	}
}

// TestWindowLimiterNeverExceeds drives the limiter with random arrival
// times and checks the server's rule: never more than n sends in any
// window.
func TestWindowLimiterNeverExceeds(t *testing.T) {
	const n = 5
	window := 10 * time.Second
	l := newWindowLimiter(n, window)
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sent []time.Time
	for i := 0; i < 2000; i++ {
		now = now.Add(time.Duration(r.IntN(4000)) * time.Millisecond)
		if w := l.take(now); w == 0 {
			sent = append(sent, now)
		} else if w > window {
			t.Fatalf("wait %v longer than the window", w)
		}
	}
	for i := n; i < len(sent); i++ {
		if sent[i].Sub(sent[i-n]) < window {
			t.Fatalf("%d sends within %v: %v .. %v", n+1, window, sent[i-n], sent[i])
		}
	}
	if len(sent) < 500 {
		t.Fatalf("only %d of 2000 requests were let through; the limiter is too strict", len(sent))
	}
}
