package actions

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const opIP = "ip-intelligence-get-ip-overview"

// memFixture is one simulator and one state directory; each client() is
// a new "process" (new client, new database handle) on the same file.
type memFixture struct {
	sim   *sim.Sim
	base  string
	dir   string
	clock *testClock
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newMemFixture(t testing.TB) *memFixture {
	t.Helper()
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &memFixture{sim: s, base: srv.URL + sim.BasePath, dir: t.TempDir(), clock: &testClock{t: time.Now()}}
}

func (f *memFixture) session(t testing.TB, policy CachePolicy) *Session {
	t.Helper()
	return f.sessionWith(t, policy, store.DBOptions{})
}

func (f *memFixture) sessionWith(t testing.TB, policy CachePolicy, o store.DBOptions) *Session {
	t.Helper()
	s := &Session{BaseURL: f.base, Config: &store.Config{}, CachePolicy: policy, DBOptions: o,
		Tune: func(c *cloudflare.Config) {
			c.RateLimit = -1
			c.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		}}
	s.OpenDB(f.dir)
	s.Memory.Now = f.clock.Now
	t.Cleanup(s.Close)
	c, err := s.NewClient(sim.DemoToken, sim.DemoAccountID)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = c
	return s
}

func TestMemoryRequestCounts(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s1 := f.session(t, CachePolicy{})
	for i := 0; i < 2; i++ {
		if _, _, err := s1.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.sim.Count(opIP); n != 1 {
		t.Fatalf("the same IP twice: %d requests, want 1", n)
	}
	// A restart (new process: new client, database opened again).
	s2 := f.session(t, CachePolicy{})
	_, ex, err := s2.Client.IPOverview(ctx, sim.IPRiskyC2)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.sim.Count(opIP); n != 1 || !ex.Cache.Hit {
		t.Fatalf("after a restart: %d requests (hit=%v), want 1", n, ex.Cache.Hit)
	}
	// --no-cache: the normal count, and nothing read.
	s3 := f.session(t, CachePolicy{Off: true})
	for i := 0; i < 2; i++ {
		if _, _, err := s3.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.sim.Count(opIP); n != 3 {
		t.Fatalf("--no-cache: %d requests in all, want 3", n)
	}
	// --max-age 0 fetches and keeps.
	s4 := f.session(t, CachePolicy{Fresh: true})
	if _, ex, _ := s4.Client.IPOverview(ctx, sim.IPRiskyC2); ex == nil || ex.Cache.Hit || ex.Cache.Previous == nil {
		t.Fatalf("--max-age 0: %+v", ex)
	}
	if n := f.sim.Count(opIP); n != 4 {
		t.Fatalf("--max-age 0: %d requests in all, want 4", n)
	}
}

func TestMemoryExpiry(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.session(t, CachePolicy{})
	user := func() *cloudflare.Exchange {
		t.Helper()
		res, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
		if err != nil {
			t.Fatal(err)
		}
		return res.Exchange
	}
	domain := func() *cloudflare.Exchange {
		t.Helper()
		_, ex, err := s.Client.Whois(ctx, sim.DomainPhishing)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	user()
	domain()
	f.clock.Advance(4 * time.Minute)
	if !user().Cache.Hit || !domain().Cache.Hit {
		t.Fatal("answers expired before their time-to-live")
	}
	f.clock.Advance(2 * time.Minute) // 6 minutes: users (5m) expire, WHOIS (1 day) does not
	if user().Cache.Hit {
		t.Error("a user's risk was served after 6 minutes")
	}
	if !domain().Cache.Hit {
		t.Error("WHOIS expired after 6 minutes")
	}
	f.clock.Advance(24 * time.Hour)
	if domain().Cache.Hit {
		t.Error("WHOIS served after a day")
	}
	// --max-age replaces the time-to-live.
	s.Memory.MaxAge = 48 * time.Hour
	if !domain().Cache.Hit {
		t.Error("--max-age 48h did not serve a day-old answer")
	}
	s.Memory.MaxAge = 0
	// The config's TTL.
	s.Memory.ttl[cloudflare.CacheWhois] = 0
	if domain().Cache.Hit {
		t.Error("a 0 time-to-live served from the cache")
	}
}

func TestMemoryHistoryAndAccounts(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.session(t, CachePolicy{})
	if _, _, err := s.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Client.PassiveDNS(ctx, sim.IPRiskyC2, 1, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := LookupUser(ctx, s.Client, sim.EmailFewEvents); err != nil {
		t.Fatal(err)
	}
	ls, err := s.DB.Lookups(store.LookupQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 3 {
		t.Fatalf("history = %+v, want the user and the IP twice (passive DNS completes a lookup)", ls)
	}
	if ls[0].Kind != KindUser || ls[0].Indicator != sim.EmailFewEvents || ls[0].Verdict == "" {
		t.Errorf("user entry = %+v", ls[0])
	}
	if ls[1].Kind != KindIP || !ls[1].Cached || ls[2].Cached || ls[1].Verdict != ls[2].Verdict || !Risky(ls[1].Verdict) {
		t.Errorf("IP entries = %+v %+v", ls[1], ls[2])
	}
	// Another account on the same database: nothing is served across.
	c2, err := cloudflare.New(cloudflare.Config{BaseURL: f.base, Token: sim.DemoToken, AccountID: "99999999999999999999999999999999", Cache: s.Memory, RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ex, _ := c2.IPOverview(ctx, sim.IPRiskyC2); ex != nil && ex.Cache.Hit {
		t.Error("another account's answer was served")
	}
}

func TestResetReadsFresh(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.session(t, CachePolicy{})
	res, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
	if err != nil {
		t.Fatal(err)
	}
	before := f.sim.Count(opRisk)
	if _, _, err := ReviewRead(ctx, s.Client, res.User.ID); err != nil {
		t.Fatal(err)
	}
	s.Audit = store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	r := Reset(ctx, s.Writer(), ResetRequest{Email: res.Email, UserID: res.User.ID, Reason: "INC-1", Before: res.Risk, AccountID: sim.DemoAccountID})
	if r.Outcome != OutcomeSuccess || r.After == nil {
		t.Fatalf("reset: %+v", r)
	}
	if n := f.sim.Count(opRisk) - before; n != 2 {
		t.Errorf("the review read and the re-read sent %d risk requests, want 2 (both fresh)", n)
	}
	if len(r.After.Events) != 0 {
		t.Errorf("the re-read shows %d events after the reset: it came from the cache", len(r.After.Events))
	}
}

// BenchmarkCacheHit is a lookup answered from the database: the client's
// typed GET, the read, the decode and the history record. Budget: 1 ms.
func BenchmarkCacheHit(b *testing.B) {
	f := newMemFixture(b)
	s := f.session(b, CachePolicy{})
	ctx := context.Background()
	if _, _, err := s.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, ex, err := s.Client.IPOverview(ctx, sim.IPRiskyC2)
		if err != nil || !ex.Cache.Hit {
			b.Fatalf("not a hit: %v", err)
		}
	}
	if n := f.sim.Count(opIP); n != 1 {
		b.Fatalf("%d requests", n)
	}
}

func TestDemoCacheAcrossRuns(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	for run := 0; run < 2; run++ {
		s := &Session{}
		if err := s.StartDemo(); err != nil {
			t.Fatal(err)
		}
		_, ex, err := s.Client.IPOverview(ctx, sim.IPRiskyC2)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Each run's simulator listens on a new port; the cache still
		// knows the answer.
		if ex.Cache.Hit != (run == 1) {
			t.Errorf("run %d: hit = %v", run, ex.Cache.Hit)
		}
	}
}

// TestDemoRestartForgetsUsersAnswers: each demo run's simulator starts
// with its dataset fresh, while the demo's database persists, so a demo
// start forgets the users' answers (a reset's kept re-read would
// otherwise contradict the new simulator); intel answers stay.
func TestDemoRestartForgetsUsersAnswers(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	for run := 0; run < 2; run++ {
		s := &Session{}
		if err := s.StartDemo(); err != nil {
			t.Fatal(err)
		}
		sum, err := RiskyUsers(ctx, s.Client, "")
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		bob, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		if run == 0 {
			if sum.Exchange.Cache.Hit || bob.Exchange.Cache.Hit {
				t.Fatal("the first run's answers came from the cache")
			}
			r := Reset(ctx, s.Writer(), ResetRequest{Email: bob.Email, UserID: bob.User.ID, Reason: "demo", Before: bob.Risk, AccountID: sim.DemoAccountID})
			if r.Outcome != OutcomeSuccess || r.After == nil || len(r.After.Events) != 0 {
				t.Fatalf("demo reset: %+v", r)
			}
		} else {
			if sum.Exchange.Cache.Hit || bob.Exchange.Cache.Hit {
				t.Errorf("a restarted demo served users' answers of the last run (summary hit %v, risk hit %v)", sum.Exchange.Cache.Hit, bob.Exchange.Cache.Hit)
			}
			if len(bob.Risk.Events) == 0 {
				t.Error("a restarted demo shows bob reset: the last run's re-read was served")
			}
		}
		_, ex, err := s.Client.IPOverview(ctx, sim.IPRiskyC2)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ex.Cache.Hit != (run == 1) {
			t.Errorf("run %d: the IP hit = %v", run, ex.Cache.Hit)
		}
	}
}
