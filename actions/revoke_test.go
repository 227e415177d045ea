package actions

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/indicator"
	"cftriage/store"
)

const (
	opRevoke   = sim.OpRevokeUser
	opSessions = sim.OpActiveSessions
)

// revokeRequest looks the user up and reads the sessions the way a
// review does.
func (f *fixture) revokeRequest(t *testing.T, email string) RevokeRequest {
	t.Helper()
	res, err := LookupUser(context.Background(), f.client, email)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReviewSessions(context.Background(), f.client, res.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	return RevokeRequest{Email: res.Email, UserID: res.User.ID, Name: res.User.Name, Reason: "INC-77 token theft",
		Before: s, BeforeKnown: true, AccountID: f.client.AccountID(), Operator: store.Operator{OSUser: "tester", TokenID: "tid"}}
}

func TestRevokeSuccessRereadsTheSessions(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	if len(req.Before) == 0 {
		t.Fatal("the demo user has no active sessions to revoke")
	}
	reads := f.sim.Count(opSessions)
	res := Revoke(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeSuccess || res.Err != nil || res.Revoked == nil || !*res.Revoked {
		t.Fatalf("outcome %s revoked %v err %v", res.Outcome, res.Revoked, res.Err)
	}
	if n := f.sim.Count(opRevoke); n != 1 {
		t.Fatalf("revoke sent %d times, want 1", n)
	}
	if f.sim.Count(opSessions) != reads+1 || res.After == nil || len(res.After) != 0 || res.Warning != "" {
		t.Fatalf("re-read: after %v warning %q (%d reads)", res.After, res.Warning, f.sim.Count(opSessions)-reads)
	}
	recs := f.records(t)
	if len(recs) != 2 {
		t.Fatalf("%d audit records", len(recs))
	}
	in, out := recs[0], recs[1]
	if in.Phase != store.PhaseIntent || in.Action != store.ActionRevokeSessions || in.Reason != req.Reason ||
		in.TargetEmail != sim.EmailFewEvents || in.TargetUserID != req.UserID || in.Revoke == nil ||
		in.Revoke.SessionsBefore == nil || *in.Revoke.SessionsBefore != len(req.Before) || in.Revoke.Revoked != nil {
		t.Fatalf("intent = %+v (revoke %+v)", in, in.Revoke)
	}
	if out.Outcome != store.OutcomeSuccess || out.AttemptID != in.AttemptID || out.HTTPStatus != 200 || out.Revoke == nil ||
		out.Revoke.Revoked == nil || !*out.Revoke.Revoked || out.Revoke.SessionsAfter == nil || *out.Revoke.SessionsAfter != 0 {
		t.Fatalf("outcome = %+v (revoke %+v)", out, out.Revoke)
	}
	f.assertNoToken(t)
}

func TestRevokeSendsDevicesAndTheUserID(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	req.Devices = true
	var body string
	f.stub.answer(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/revoke_user") {
			b := make([]byte, 512)
			n, _ := r.Body.Read(b)
			body = string(b[:n])
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":true}`))
			return true
		}
		return false
	})
	res := Revoke(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeSuccess {
		t.Fatalf("outcome %s: %v", res.Outcome, res.Err)
	}
	for _, want := range []string{`"email":"` + sim.EmailFewEvents + `"`, `"devices":true`, `"user_uid":"` + req.UserID + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
	if recs := f.records(t); !recs[0].Revoke.Devices || !recs[1].Revoke.Devices {
		t.Fatal("the audit records do not say the devices were revoked")
	}
}

func TestRevokeServerErrorsAreSentOnce(t *testing.T) {
	for _, status := range []int{500, 503, 403, 429} {
		f := newFixture(t, 0)
		req := f.revokeRequest(t, sim.EmailFewEvents)
		f.sim.Inject(sim.Fault{Op: opRevoke, Status: status, RetryAfter: 1})
		reads := f.sim.Count(opSessions)
		res := Revoke(context.Background(), f.writer(), req)
		if n := f.sim.Count(opRevoke); n != 1 {
			t.Fatalf("%d: revoke sent %d times, want exactly 1", status, n)
		}
		if res.Outcome != OutcomeFailure || res.After != nil || f.sim.Count(opSessions) != reads {
			t.Fatalf("%d: outcome %s after %v (a failure is not re-read)", status, res.Outcome, res.After)
		}
		recs := f.records(t)
		if len(recs) != 2 || recs[1].Outcome != store.OutcomeFailure || recs[1].HTTPStatus != status || recs[1].ErrorMessage == "" {
			t.Fatalf("%d: audit records %+v", status, recs)
		}
	}
}

func TestRevokeTimeoutIsUnknownAndRereads(t *testing.T) {
	f := newFixture(t, 300*time.Millisecond)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	// The simulator applies the revoke, then answers too late.
	f.sim.Inject(sim.Fault{Op: opRevoke, Latency: 2 * time.Second, Times: 1})
	res := Revoke(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeUnknown || f.sim.Count(opRevoke) != 1 || res.Revoked != nil {
		t.Fatalf("outcome %s, %d sends, revoked %v", res.Outcome, f.sim.Count(opRevoke), res.Revoked)
	}
	if res.After == nil || res.Finding == "" {
		t.Fatalf("after %v finding %q", res.After, res.Finding)
	}
	recs := f.records(t)
	if len(recs) != 2 || recs[1].Outcome != store.OutcomeUnknown || !strings.Contains(recs[1].ErrorMessage, "re-read") ||
		recs[1].Revoke == nil || recs[1].Revoke.SessionsAfter == nil {
		t.Fatalf("audit records: %+v", recs)
	}
}

func TestRevokeAnsweredUnreadablyIsUnknown(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	f.stub.answer(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/revoke_user") {
			return false
		}
		f.sim.ServeHTTP(discard{}, r) // applied
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"result":tr`))
		return true
	})
	res := Revoke(context.Background(), f.writer(), req)
	var ue *UnreadableAnswerError
	if res.Outcome != OutcomeUnknown || !errors.As(res.Err, &ue) || !strings.Contains(res.Err.Error(), "probably applied") {
		t.Fatalf("outcome %s err %v", res.Outcome, res.Err)
	}
	if !strings.Contains(res.Finding, "appears to have been applied") || len(res.After) != 0 {
		t.Fatalf("finding %q after %v", res.Finding, res.After)
	}
}

func TestRevokeNothingRevokedIsAFailure(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	f.stub.answer(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/revoke_user") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":false}`))
		return true
	})
	res := Revoke(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeFailure || res.Revoked == nil || *res.Revoked || !strings.Contains(res.Err.Error(), "nothing was revoked") {
		t.Fatalf("outcome %s revoked %v err %v", res.Outcome, res.Revoked, res.Err)
	}
	out := f.records(t)[1]
	if out.Outcome != store.OutcomeFailure || out.Revoke == nil || out.Revoke.Revoked == nil || *out.Revoke.Revoked {
		t.Fatalf("outcome record %+v", out)
	}
}

// The read-only rule is inside the flow: a caller that forgets it still
// sends nothing and audits nothing.
func TestRevokeRefusedInReadOnlyInsideTheFlow(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	f.sim.ResetCounts()
	w := (&Session{Client: f.client, Audit: f.audit, ReadOnly: true, ReadOnlyReason: "--read-only"}).Writer()
	res := Revoke(context.Background(), w, req)
	if res.Outcome != OutcomeNotSent || !errors.Is(res.Err, ErrReadOnly) || !strings.Contains(res.Err.Error(), "revoke the user's sessions") {
		t.Fatalf("outcome %s err %v", res.Outcome, res.Err)
	}
	if f.sim.Total() != 0 || len(f.records(t)) != 0 {
		t.Fatalf("%d requests, %d audit records in read-only mode", f.sim.Total(), len(f.records(t)))
	}
}

func TestRevokeValidationSendsAndAuditsNothing(t *testing.T) {
	f := newFixture(t, 0)
	base := f.revokeRequest(t, sim.EmailFewEvents)
	f.sim.ResetCounts()
	for name, mut := range map[string]func(*RevokeRequest){
		"no reason": func(r *RevokeRequest) { r.Reason = "  " },
		"no id":     func(r *RevokeRequest) { r.UserID = "" },
		"bad email": func(r *RevokeRequest) { r.Email = "not an email" },
		"bad id":    func(r *RevokeRequest) { r.UserID = "bob@x" },
		"long":      func(r *RevokeRequest) { r.Reason = strings.Repeat("x", MaxReasonRunes+1) },
	} {
		r := base
		mut(&r)
		res := Revoke(context.Background(), f.writer(), r)
		var ie *indicator.InputError
		var ce *cloudflare.Error
		if res.Outcome != OutcomeNotSent || res.Err == nil || !(errors.As(res.Err, &ie) || errors.As(res.Err, &ce)) {
			t.Errorf("%s: outcome %s err %v", name, res.Outcome, res.Err)
		}
	}
	if f.sim.Total() != 0 || len(f.records(t)) != 0 {
		t.Fatal("an invalid revoke was sent or audited")
	}
	if res := Revoke(context.Background(), Writer{client: f.client}, base); res.Outcome != OutcomeNotSent || f.sim.Count(opRevoke) != 0 {
		t.Fatal("a revoke without an audit log was sent")
	}
}

func TestRevokerSendsOnceUnderConcurrentSubmits(t *testing.T) {
	f := newFixture(t, 0)
	req := f.revokeRequest(t, sim.EmailFewEvents)
	var rv Revoker
	var wg sync.WaitGroup
	outcomes := make([]Outcome, 8)
	for i := range outcomes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			outcomes[i] = rv.Revoke(context.Background(), f.writer(), req).Outcome
		}(i)
	}
	wg.Wait()
	sent := 0
	for _, o := range outcomes {
		if o != OutcomeNotSent {
			sent++
		}
	}
	if sent != 1 || f.sim.Count(opRevoke) != 1 || len(f.records(t)) != 2 || !rv.Sent() {
		t.Fatalf("%d sent, %d revokes, %d records", sent, f.sim.Count(opRevoke), len(f.records(t)))
	}
	if again := rv.Revoke(context.Background(), f.writer(), req); !errors.Is(again.Err, ErrAlreadySent) {
		t.Fatalf("a later call: %v", again.Err)
	}
}
