package actions

import (
	"context"
	"database/sql"
	_ "modernc.org/sqlite"
	"path/filepath"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// warmUser looks the user up with the risky-users queue and all five
// context parts, so each is kept in the cache, and checks a second round
// costs no request.
func warmUser(t *testing.T, f *memFixture, s *Session, email string) UserResult {
	t.Helper()
	ctx := context.Background()
	var res UserResult
	for round := 0; round < 2; round++ {
		before, devices := f.sim.Total(), f.sim.Count(sim.OpDevices)
		if _, err := RiskyUsers(ctx, s.Client, ""); err != nil {
			t.Fatal(err)
		}
		var err error
		if res, err = LookupUser(ctx, s.Client, email); err != nil {
			t.Fatal(err)
		}
		u := LoadUserContext(ctx, s.Client, res.User.ID, res.Email, 0)
		for _, p := range ContextParts {
			if err := u.Err(p); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
		}
		// Devices are listed fresh every time (never cached).
		if n := f.sim.Total() - before; round == 1 && n != f.sim.Count(sim.OpDevices)-devices {
			t.Fatalf("the second round sent %d requests (%v), want only the devices", n, f.sim.Counts())
		}
	}
	return res
}

// userReads counts the requests of the reads a user pane and the queue
// make, after a write.
func userReads(t *testing.T, f *memFixture, s *Session, res UserResult) map[string]int {
	t.Helper()
	ctx := context.Background()
	f.sim.ResetCounts()
	if _, err := RiskyUsers(ctx, s.Client, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := LookupUser(ctx, s.Client, res.Email); err != nil {
		t.Fatal(err)
	}
	LoadUserContext(ctx, s.Client, res.User.ID, res.Email, 0)
	return f.sim.Counts()
}

func TestResetForgetsTheUsersCachedAnswers(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.session(t, CachePolicy{})
	s.Audit = store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	other := warmUser(t, f, s, sim.EmailNoEvents)
	bob := warmUser(t, f, s, sim.EmailFewEvents)
	if len(bob.Risk.Events) == 0 {
		t.Fatal("bob has no events to reset")
	}
	r := Reset(ctx, s.Writer(), ResetRequest{Email: bob.Email, UserID: bob.User.ID, Reason: "INC-1", Before: bob.Risk, AccountID: sim.DemoAccountID})
	if r.Outcome != OutcomeSuccess {
		t.Fatalf("reset: %+v", r)
	}
	got := userReads(t, f, s, bob)
	// The queue and every cached part are read again; the risk score is
	// the reset's own fresh re-read, kept.
	for _, op := range []string{sim.OpRiskSummary, sim.OpLastSeenIdentity, sim.OpActiveSessions, sim.OpFailedLogins, sim.OpAccessRequests} {
		if got[op] != 1 {
			t.Errorf("%s after the reset: %d requests, want 1 (a cached answer from before the write was served)", op, got[op])
		}
	}
	if got[opRisk] != 0 {
		t.Errorf("the risk score after the reset: %d requests, want 0 (the re-read is kept)", got[opRisk])
	}
	res, err := LookupUser(ctx, s.Client, bob.Email)
	if err != nil || len(res.Risk.Events) != 0 {
		t.Fatalf("after the reset: %d events (%v)", len(res.Risk.Events), err)
	}
	sum, err := RiskyUsers(ctx, s.Client, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range sum.Users {
		if u.Email == bob.Email && u.EventCount != 0 {
			t.Errorf("the queue still says bob has %d events", u.EventCount)
		}
	}
	// Another user's answers stay.
	got = userReads(t, f, s, other)
	if got[opRisk] != 0 || got[sim.OpActiveSessions] != 0 || got[sim.OpLastSeenIdentity] != 0 {
		t.Errorf("another user's answers were dropped: %v", got)
	}
}

func TestRevokeForgetsTheUsersCachedAnswersWhateverTheOutcome(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *sim.Fault
		want  Outcome
	}{
		{"success", nil, OutcomeSuccess},
		{"failure", &sim.Fault{Op: opRevoke, Status: 500}, OutcomeFailure},
		{"unknown", &sim.Fault{Op: opRevoke, DropConnection: true}, OutcomeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newMemFixture(t)
			ctx := context.Background()
			s := f.session(t, CachePolicy{})
			s.Audit = store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
			bob := warmUser(t, f, s, sim.EmailFewEvents)
			before, err := ReviewSessions(ctx, s.Client, bob.User.ID)
			if err != nil || len(before) == 0 {
				t.Fatalf("sessions before: %v %v", before, err)
			}
			if tc.fault != nil {
				f.sim.Inject(*tc.fault)
			}
			r := Revoke(ctx, s.Writer(), RevokeRequest{Email: bob.Email, UserID: bob.User.ID, Reason: "INC-2", Before: before, BeforeKnown: true, AccountID: sim.DemoAccountID})
			if r.Outcome != tc.want {
				t.Fatalf("outcome %s, want %s (%v)", r.Outcome, tc.want, r.Err)
			}
			f.sim.ClearFaults()
			got := userReads(t, f, s, bob)
			for _, op := range []string{sim.OpRiskSummary, opRisk, sim.OpLastSeenIdentity, sim.OpFailedLogins, sim.OpAccessRequests} {
				if got[op] != 1 {
					t.Errorf("%s after the revoke: %d requests, want 1 (a cached answer from before the write was served)", op, got[op])
				}
			}
			// A success or an unknown outcome re-read the sessions (kept);
			// after a failure they are read again.
			want := 0
			if tc.want == OutcomeFailure {
				want = 1
			}
			if got[sim.OpActiveSessions] != want {
				t.Errorf("sessions after the revoke: %d requests, want %d", got[sim.OpActiveSessions], want)
			}
		})
	}
}

// TestForgetThatCannotDeleteServesNoUserAnswer: when the database cannot
// delete the user's answers (another program holds its write lock), none
// is served from it for the rest of the run, even once it is usable.
func TestForgetThatCannotDeleteServesNoUserAnswer(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.sessionWith(t, CachePolicy{}, store.DBOptions{Now: f.clock.Now})
	bob, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", s.DB.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec("BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	s.Memory.ForgetUser(sim.DemoAccountID, bob.User.ID, bob.Email)
	if _, err := raw.Exec("ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(11 * time.Second) // past the database's pause after a lock
	if _, ex, err := s.Client.RiskScore(ctx, bob.User.ID); err != nil || ex.Cache.Hit {
		t.Fatalf("a user answer from before the write was served (hit=%v, %v)", ex != nil && ex.Cache.Hit, err)
	}
	if _, ex, err := s.Client.IPOverview(ctx, sim.IPRiskyC2); err != nil || !ex.Cache.Hit {
		t.Errorf("the IP answer is no longer served: %v", err)
	}
}
