package actions

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	opReset = "dlp-zt-risk-score-reset-user"
	opRisk  = "dlp-zt-risk-score-user-details"
	opUsers = "zero-trust-users-get-users"
)

type fixture struct {
	sim    *sim.Sim
	stub   *writeStub // in front of sim: the raw write it lacks, and hostile answers
	client *cloudflare.Client
	audit  *store.Audit
	path   string
}

func newFixture(t *testing.T, timeout time.Duration) *fixture {
	t.Helper()
	s := sim.New(sim.Options{})
	stub := &writeStub{next: s}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{
		BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: timeout, BackoffBase: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a := store.OpenAudit(path)
	a.SetGuard(store.NewGuard(sim.DemoToken))
	return &fixture{sim: s, stub: stub, client: c, audit: a, path: path}
}

// writer is what a frontend gets from a writable session.
func (f *fixture) writer() Writer { return Writer{client: f.client, audit: f.audit} }

// request looks the user up the way the console does before a reset.
func (f *fixture) request(t *testing.T, email string) ResetRequest {
	t.Helper()
	res, err := LookupUser(context.Background(), f.client, email)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ambiguous() {
		t.Fatalf("%s is ambiguous", email)
	}
	return ResetRequest{Email: res.Email, UserID: res.User.ID, Name: res.User.Name, Reason: "INC-42 phishing cleared",
		Before: res.Risk, AccountID: f.client.AccountID(), Operator: store.Operator{OSUser: "tester", TokenID: "tid"}}
}

func (f *fixture) records(t *testing.T) []store.AuditRecord {
	t.Helper()
	recs, err := store.ReadAudit(f.path, 0)
	if err != nil {
		t.Fatal(err)
	}
	// ReadAudit is newest first; tests read in write order.
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	return recs
}

func (f *fixture) assertNoToken(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(f.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if strings.Contains(string(b), sim.DemoToken) {
		t.Fatal("the audit log contains the token")
	}
}

func TestLookupUser(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	res, err := LookupUser(ctx, f.client, "  BOB.Martin@ACME-corp.example ")
	if err != nil {
		t.Fatal(err)
	}
	if res.Email != sim.EmailFewEvents || res.User.ID == "" || res.Risk.RiskLevel != "high" || len(res.Risk.Events) == 0 {
		t.Fatalf("unexpected result: email %q id %q level %q events %d", res.Email, res.User.ID, res.Risk.RiskLevel, len(res.Risk.Events))
	}

	_, err = LookupUser(ctx, f.client, "nobody@acme-corp.example")
	if !errors.Is(err, ErrUserNotFound) {
		t.Fatalf("missing user: err = %v, want ErrUserNotFound", err)
	}

	two, err := LookupUser(ctx, f.client, sim.EmailTwoUsers)
	if err != nil {
		t.Fatal(err)
	}
	if !two.Ambiguous() || len(two.Candidates) != 2 {
		t.Fatalf("two users: candidates = %d", len(two.Candidates))
	}
	before := f.sim.Count(opRisk)
	picked, err := LookupUserByID(ctx, f.client, two.Candidates[1].ID, two.Candidates[1].Email)
	if err != nil {
		t.Fatal(err)
	}
	if picked.User.ID != two.Candidates[1].ID || f.sim.Count(opRisk) != before+1 {
		t.Fatalf("LookupUserByID did not read the picked user's risk")
	}

	f.sim.ResetCounts()
	if _, err := LookupUser(ctx, f.client, "not an email"); err == nil {
		t.Fatal("invalid email accepted")
	}
	if f.sim.Total() != 0 {
		t.Fatalf("invalid email sent %d requests", f.sim.Total())
	}
}

func TestResetSuccess(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	res := Reset(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeSuccess || res.Err != nil || res.AuditErr != nil {
		t.Fatalf("outcome %s err %v audit %v", res.Outcome, res.Err, res.AuditErr)
	}
	if n := f.sim.Count(opReset); n != 1 {
		t.Fatalf("reset sent %d times", n)
	}
	if res.After == nil {
		t.Fatal("no re-read after success")
	}
	if len(res.Before.Events) == 0 || len(res.After.Events) != 0 {
		t.Errorf("events %d → %d, want some → 0", len(res.Before.Events), len(res.After.Events))
	}
	if res.After.LastResetTime == nil || sameReset(res.Before.LastResetTime, res.After.LastResetTime) {
		t.Errorf("last_reset_time did not move: %v → %v", showTime(res.Before.LastResetTime), showTime(res.After.LastResetTime))
	}
	if res.Warning != "" {
		t.Errorf("unexpected warning %q", res.Warning)
	}
	recs := f.records(t)
	if len(recs) != 2 {
		t.Fatalf("%d audit records, want 2", len(recs))
	}
	in, out := recs[0], recs[1]
	if in.Phase != store.PhaseIntent || out.Phase != store.PhaseOutcome || in.AttemptID != out.AttemptID || in.AttemptID != res.AttemptID {
		t.Fatalf("records are not an intent/outcome pair: %+v / %+v", in, out)
	}
	if in.Action != store.ActionRiskReset || in.TargetUserID != req.UserID || in.TargetEmail != sim.EmailFewEvents ||
		in.Reason != req.Reason || in.AccountID != sim.DemoAccountID || in.Operator.TokenID != "tid" {
		t.Errorf("intent record: %+v", in)
	}
	if in.Before == nil || in.Before.RiskLevel != "high" || in.Before.EventCount != len(req.Before.Events) {
		t.Errorf("intent before-state: %+v", in.Before)
	}
	if out.Outcome != store.OutcomeSuccess || out.HTTPStatus != 200 || out.After == nil || out.After.EventCount != 0 {
		t.Errorf("outcome record: %+v after %+v", out, out.After)
	}
	f.assertNoToken(t)
	if rep, err := store.VerifyAudit(f.path); err != nil || !rep.OK {
		t.Fatalf("audit verify: %v %+v", err, rep.Problems)
	}
}

func TestResetServerErrorsAreSentOnce(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault sim.Fault
		kind  cloudflare.ErrorKind
	}{
		{"500", sim.Fault{Op: opReset, Status: 500}, cloudflare.KindServer},
		{"503", sim.Fault{Op: opReset, Status: 503}, cloudflare.KindServer},
		{"429", sim.Fault{Op: opReset, Status: 429, RetryAfter: 1}, cloudflare.KindRateLimited},
		{"html", sim.Fault{Op: opReset, HTML: true}, cloudflare.KindGateway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, 0)
			req := f.request(t, sim.EmailFewEvents)
			f.sim.Inject(tc.fault)
			res := Reset(context.Background(), f.writer(), req)
			if n := f.sim.Count(opReset); n != 1 {
				t.Fatalf("reset sent %d times, want exactly 1", n)
			}
			if res.Outcome != OutcomeFailure {
				t.Fatalf("outcome %s, want failure", res.Outcome)
			}
			var ce *cloudflare.Error
			if !errors.As(res.Err, &ce) || ce.Kind != tc.kind {
				t.Fatalf("err = %v, want kind %v", res.Err, tc.kind)
			}
			if res.After != nil {
				t.Error("a failure should not claim an after-state")
			}
			recs := f.records(t)
			if len(recs) != 2 || recs[1].Outcome != store.OutcomeFailure || recs[1].HTTPStatus != statusOf(tc.fault) || recs[1].ErrorMessage == "" {
				t.Fatalf("audit records: %+v", recs)
			}
			// The failure's message and errors come from the API: the
			// token must not reach the file whatever they carry.
			f.assertNoToken(t)
		})
	}
}

func statusOf(f sim.Fault) int {
	if f.HTML && f.Status == 0 {
		return 502
	}
	return f.Status
}

func TestResetTimeoutIsUnknownAndRereads(t *testing.T) {
	f := newFixture(t, 300*time.Millisecond)
	req := f.request(t, sim.EmailFewEvents)
	f.sim.Inject(sim.Fault{Op: opReset, Latency: 2 * time.Second})
	reads := f.sim.Count(opRisk)
	res := Reset(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeUnknown {
		t.Fatalf("outcome %s (err %v), want unknown", res.Outcome, res.Err)
	}
	if n := f.sim.Count(opReset); n != 1 {
		t.Fatalf("reset sent %d times, want exactly 1", n)
	}
	if f.sim.Count(opRisk) != reads+1 {
		t.Fatalf("the user was not re-read after the unknown outcome")
	}
	if res.After == nil || res.Finding == "" {
		t.Fatalf("after %v finding %q", res.After, res.Finding)
	}
	recs := f.records(t)
	if len(recs) != 2 || recs[1].Outcome != store.OutcomeUnknown || !strings.Contains(recs[1].ErrorMessage, "re-read") {
		t.Fatalf("audit records: %+v", recs)
	}
}

func TestResetDeadlineIsUnknown(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	f.sim.Inject(sim.Fault{Op: opReset, Latency: 2 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res := Reset(ctx, f.writer(), req)
	if res.Outcome != OutcomeUnknown || f.sim.Count(opReset) != 1 {
		t.Fatalf("outcome %s, %d sends", res.Outcome, f.sim.Count(opReset))
	}
	// The caller's deadline is spent; the re-read must still happen.
	if res.After == nil {
		t.Fatalf("no re-read after the deadline: %q", res.Finding)
	}
}

func TestResetIntentWriteFailureSendsNothing(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	// A regular file where the log's directory should be: the intent
	// cannot be written.
	blocker := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := store.OpenAudit(filepath.Join(blocker, "audit.jsonl"))
	res := Reset(context.Background(), Writer{client: f.client, audit: bad}, req)
	if res.Outcome != OutcomeNotSent || res.Err == nil {
		t.Fatalf("outcome %s err %v, want not_sent with an error", res.Outcome, res.Err)
	}
	if n := f.sim.Count(opReset); n != 0 {
		t.Fatalf("reset sent %d times without an intent record", n)
	}
}

func TestResetValidation(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	req.Reason = "   "
	res := Reset(context.Background(), f.writer(), req)
	var ie *indicator.InputError
	if res.Outcome != OutcomeNotSent || !errors.As(res.Err, &ie) {
		t.Fatalf("outcome %s err %v, want not_sent with an InputError", res.Outcome, res.Err)
	}
	if f.sim.Count(opReset) != 0 || len(f.records(t)) != 0 {
		t.Fatal("an invalid reset was sent or audited")
	}
	if res := Reset(context.Background(), Writer{client: f.client}, f.request(t, sim.EmailFewEvents)); res.Outcome != OutcomeNotSent || f.sim.Count(opReset) != 0 {
		t.Fatal("a reset without an audit log was sent")
	}
}

func TestResetterSendsOnce(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	var rs Resetter
	first := rs.Reset(context.Background(), f.writer(), req)
	second := rs.Reset(context.Background(), f.writer(), req)
	if first.Outcome != OutcomeSuccess {
		t.Fatalf("first: %s %v", first.Outcome, first.Err)
	}
	if second.Outcome != OutcomeNotSent || !errors.Is(second.Err, ErrAlreadySent) {
		t.Fatalf("second: %s %v, want not_sent ErrAlreadySent", second.Outcome, second.Err)
	}
	if n := f.sim.Count(opReset); n != 1 {
		t.Fatalf("reset sent %d times", n)
	}
	if len(f.records(t)) != 2 {
		t.Fatal("the refused second call was audited")
	}
}

func TestResetterConcurrentDoubleSubmit(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	var rs Resetter
	var wg sync.WaitGroup
	outcomes := make([]Outcome, 8)
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = rs.Reset(context.Background(), f.writer(), req).Outcome
		}()
	}
	wg.Wait()
	sent := 0
	for _, o := range outcomes {
		if o != OutcomeNotSent {
			sent++
		}
	}
	if sent != 1 || f.sim.Count(opReset) != 1 {
		t.Fatalf("%d calls went through, %d POSTs; want 1 and 1", sent, f.sim.Count(opReset))
	}
}

func TestSend(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	op := store.Operator{OSUser: "tester", TokenID: "tid"}

	ex, err := Send(ctx, f.writer(), cloudflare.RawRequest{Method: "get", Path: "/accounts/{account_id}/intel/ip",
		Query: [][2]string{{"ipv4", sim.IPRiskyC2}}}, op)
	if err != nil || ex.StatusCode != 200 || !strings.Contains(string(ex.Body), sim.IPRiskyC2) {
		t.Fatalf("GET: %v %+v", err, ex)
	}
	if n := len(f.records(t)); n != 0 {
		t.Fatalf("a GET wrote %d audit records", n)
	}

	// A POST goes out once and is audited with method and URL.
	ex, err = Send(ctx, f.writer(), cloudflare.RawRequest{Method: "POST", Path: miscatPath, Body: []byte(miscatBody)}, op)
	if err != nil || ex.StatusCode != 200 {
		t.Fatalf("POST: %v %+v", err, ex)
	}
	if n := f.stub.writes.Load(); n != 1 {
		t.Fatalf("POST sent %d times", n)
	}
	recs := f.records(t)
	if len(recs) != 2 || recs[0].Action != store.ActionAPICall || recs[0].Method != "POST" ||
		!strings.Contains(recs[0].URL, sim.DemoAccountID+"/intel/miscategorization") ||
		recs[1].Outcome != store.OutcomeSuccess || recs[1].HTTPStatus != 200 {
		t.Fatalf("audit records: %+v", recs)
	}

	// A failing POST is not retried.
	f.stub.status.Store(502)
	_, err = Send(ctx, f.writer(), cloudflare.RawRequest{Method: "POST", Path: miscatPath, Body: []byte(miscatBody)}, op)
	if err == nil || f.stub.writes.Load() != 2 {
		t.Fatalf("failing POST: err %v, sends %d (want 2 in total)", err, f.stub.writes.Load())
	}
	if recs := f.records(t); len(recs) != 4 || recs[3].Outcome != store.OutcomeFailure || recs[3].HTTPStatus != 502 {
		t.Fatalf("audit after failure: %+v", recs)
	}

	// Another origin: refused before the audit log or the network.
	total := f.sim.Total()
	_, err = Send(ctx, f.writer(), cloudflare.RawRequest{Method: "POST", Path: "https://evil.example/client/v4/x"}, op)
	var ce *cloudflare.Error
	if !errors.As(err, &ce) || ce.Kind != cloudflare.KindOrigin {
		t.Fatalf("foreign origin: err = %v, want KindOrigin", err)
	}
	if f.sim.Total() != total || len(f.records(t)) != 4 {
		t.Fatal("a foreign-origin request was sent or audited")
	}
	f.assertNoToken(t)

	// An audit log that cannot be written (its path is a directory): the
	// intent fails, so the write must never reach the API.
	f.sim.ResetCounts()
	unwritable := store.OpenAudit(t.TempDir())
	unwritable.SetGuard(store.NewGuard(sim.DemoToken))
	ex, err = Send(ctx, Writer{client: f.client, audit: unwritable}, cloudflare.RawRequest{Method: "POST", Path: miscatPath, Body: []byte(miscatBody)}, op)
	if err == nil || !strings.Contains(err.Error(), "was not sent") {
		t.Fatalf("unwritable audit: err = %v, want one saying the POST was not sent", err)
	}
	if ex != nil {
		t.Errorf("unwritable audit: got an exchange %+v for a request that was not sent", ex)
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("unwritable audit: the simulator received %d requests, want 0", n)
	}
}

func TestOperator(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	st, _, err := f.client.VerifyToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	op := OperatorFor(ctx, f.client)
	if op.TokenID != st.ID || op.TokenID == "" || op.OSUser == "" {
		t.Fatalf("operator %+v, want token id %s", op, st.ID)
	}
	if strings.Contains(op.TokenID, sim.DemoToken) {
		t.Fatal("operator carries the token")
	}
	calls := f.sim.Total()
	OperatorFor(ctx, f.client)
	if f.sim.Total() != calls {
		t.Fatal("the token id is not cached per client")
	}

	// A token the API rejects: "unknown", never the token.
	bad, err := cloudflare.New(cloudflare.Config{BaseURL: f.client.BaseURL(), Token: "not-a-valid-token-000000000000", AccountID: sim.DemoAccountID, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if op := OperatorFor(ctx, bad); op.TokenID != UnknownTokenID {
		t.Fatalf("failed verify gave token id %q", op.TokenID)
	}
}
