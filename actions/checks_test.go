package actions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
)

// TestSendRefusesUndocumentedMethods: the flow, not only the CLI, keeps
// custom calls to GET, POST, PUT, PATCH and DELETE: anything else is
// refused before the audit log or the network.
func TestSendRefusesUndocumentedMethods(t *testing.T) {
	f := newFixture(t, 0)
	op := store.Operator{OSUser: "tester", TokenID: "tid"}
	for _, m := range []string{"HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO"} {
		_, err := Send(context.Background(), f.writer(), cloudflare.RawRequest{Method: m, Path: "/accounts/{account_id}/intel/asn/13335"}, op)
		var ce *cloudflare.Error
		if !errors.As(err, &ce) || ce.Kind != cloudflare.KindInput || !strings.Contains(ce.Message, "GET, POST, PUT, PATCH, DELETE") {
			t.Errorf("%s: err = %v, want a KindInput refusal naming the methods", m, err)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if _, err := os.Stat(f.path); !os.IsNotExist(err) {
		t.Fatalf("refused methods were audited: %v", err)
	}
}

// TestResetRefusesOverlongReason: a reason the audit log would cut is
// refused by the flow itself, so no frontend can record a shortened one.
func TestResetRefusesOverlongReason(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, "bob.martin@acme-corp.example")
	f.sim.ResetCounts()
	req.Reason = strings.Repeat("é", MaxReasonRunes+1)
	res := Reset(context.Background(), f.writer(), req)
	var ie *indicator.InputError
	if res.Outcome != OutcomeNotSent || !errors.As(res.Err, &ie) || !strings.Contains(ie.Error(), "at most 1000") {
		t.Fatalf("overlong reason: %+v", res)
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if _, err := os.Stat(f.path); !os.IsNotExist(err) {
		t.Fatalf("an overlong reason was audited: %v", err)
	}
	req.Reason = strings.Repeat("é", MaxReasonRunes)
	if res := Reset(context.Background(), f.writer(), req); res.Outcome != OutcomeSuccess {
		t.Fatalf("a reason at the limit: %+v", res)
	}
	recs := f.records(t)
	if len(recs) != 2 || recs[0].Reason != req.Reason {
		t.Fatal("the audit record does not hold the whole reason")
	}
}

// TestExplainIntelRefusals: the sentences an analyst reads for an
// account token on the Intel APIs and for their used-up monthly quota.
func TestExplainIntelRefusals(t *testing.T) {
	intel := &cloudflare.Exchange{URL: "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/ip?ipv4=192.0.2.1"}
	users := &cloudflare.Exchange{URL: "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/access/users?email=a%40b.c"}
	for _, c := range []struct {
		err       *cloudflare.Error
		want, not string
	}{
		{&cloudflare.Error{Kind: cloudflare.KindAccountToken, Exchange: intel, Message: "Refused."},
			"Intel APIs do not accept account-owned API tokens", "lacks"},
		{&cloudflare.Error{Kind: cloudflare.KindQuotaUsedUp, Exchange: intel, Message: "Used up."},
			"2,500 on Enterprise", "rate limited"},
		{&cloudflare.Error{Kind: cloudflare.KindQuotaUsedUp, Exchange: users, Message: "Used up."},
			"renews with the month", "Intel"},
		{&cloudflare.Error{Kind: cloudflare.KindPermission, Exchange: intel, Message: "Lacks Intel Read."},
			"If this is an account-owned API token", ""},
		{&cloudflare.Error{Kind: cloudflare.KindPermission, Exchange: intel, TokenKind: "user", Message: "Lacks Intel Read."},
			"Lacks Intel Read.", "account-owned"},
	} {
		got := Explain(fmt.Errorf("lookup: %w", c.err))
		if !strings.Contains(got, c.want) || c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("Explain(%v %q) = %q; want %q, not %q", c.err.Kind, c.err.Message, got, c.want, c.not)
		}
	}
}
