package actions

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

// TestLookupUserFallsBackToSearch runs against the simulator's other
// reading of email= (exact, case included), where the address must go
// out as typed and search= must be asked when email= finds nobody.
func TestLookupUserFallsBackToSearch(t *testing.T) {
	s := sim.New(sim.Options{EmailCaseSensitive: true})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken,
		AccountID: sim.DemoAccountID, BackoffBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// As typed, email= finds the contractor, and only him: lowercasing
	// the address would have found the other Dana Lee.
	res, err := LookupUser(ctx, c, "Dana.Lee@acme-corp.example")
	if err != nil || res.Match != MatchEmail || res.User.Name != "Dana Lee (contractor)" || s.Count(opUsers) != 1 {
		t.Fatalf("as typed: %+v, %v, %d user requests", res, err, s.Count(opUsers))
	}

	// email= finds nobody for another spelling: search= does, and only
	// the exact matches are kept.
	s.ResetCounts()
	res, err = LookupUser(ctx, c, "BOB.MARTIN@acme-corp.example")
	if err != nil || res.Match != MatchSearch || res.User.Name != "Bob Martin" || res.Email != sim.EmailFewEvents {
		t.Fatalf("search fallback: %+v, %v", res, err)
	}
	if s.Count(opUsers) != 2 || s.Count(opRisk) != 1 {
		t.Fatalf("requests: %v", s.Counts())
	}
	res, err = LookupUser(ctx, c, "DANA.LEE@acme-corp.example")
	if err != nil || !res.Ambiguous() || len(res.Candidates) != 2 || res.Match != MatchSearch {
		t.Fatalf("two exact matches by search: %+v, %v", res, err)
	}
	res, err = LookupUser(ctx, c, "lee@acme-corp.example") // search= matches dana.lee@ as a substring
	if !errors.Is(err, ErrUserNotFound) || res.Match != "" {
		t.Fatalf("a substring is not a match: %+v, %v", res, err)
	}
}
