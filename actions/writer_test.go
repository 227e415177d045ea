package actions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// A frontend that forgets the read-only rule still cannot write: the write
// flows refuse on their own, send nothing, audit nothing, and say why.
func TestWriteFlowsRefuseInReadOnlyMode(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	req := f.request(t, sim.EmailFewEvents)
	sess := &Session{Client: f.client, Audit: f.audit, ReadOnly: true, ReadOnlyReason: `profile "soc" is read-only`}
	f.sim.ResetCounts()

	for name, w := range map[string]Writer{
		"session":      sess.Writer(),
		"no reason":    (&Session{Client: f.client, Audit: f.audit, ReadOnly: true}).Writer(),
		"hand-written": {client: f.client, audit: f.audit, readOnly: "--read-only"},
	} {
		res := new(Resetter).Reset(ctx, w, req)
		if res.Outcome != OutcomeNotSent || !errors.Is(res.Err, ErrReadOnly) || !strings.Contains(res.Err.Error(), "read-only") ||
			!strings.Contains(res.Err.Error(), "nothing was sent") {
			t.Errorf("%s: reset outcome %s, err %v; want not sent, saying read-only", name, res.Outcome, res.Err)
		}
		for _, m := range []string{"POST", "put", "DELETE", "PATCH"} {
			ex, err := Send(ctx, w, cloudflare.RawRequest{Method: m, Path: miscatPath, Body: []byte(miscatBody)}, store.Operator{})
			var re *RefusedError
			if ex != nil || !errors.As(err, &re) || !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), strings.ToUpper(m)) {
				t.Errorf("%s: %s: exchange %v, err %v; want a read-only refusal", name, m, ex, err)
			}
		}
		if OutcomeOf(res.Err) != OutcomeNotSent {
			t.Errorf("%s: OutcomeOf(read-only refusal) = %s", name, OutcomeOf(res.Err))
		}
	}
	if n := f.sim.Total() + int(f.stub.writes.Load()); n != 0 {
		t.Fatalf("%d requests reached the API in read-only mode", n)
	}
	if recs := f.records(t); len(recs) != 0 {
		t.Fatalf("read-only mode wrote %d audit records", len(recs))
	}
	// Reads still go.
	if _, err := Send(ctx, sess.Writer(), cloudflare.RawRequest{Method: "GET", Path: "/accounts/{account_id}/intel/asn/13335"}, store.Operator{}); err != nil {
		t.Fatalf("a GET in read-only mode: %v", err)
	}
}

// A raw call may not bypass a reviewed flow: a risk reset or a session
// revoke sent as a raw call is refused whatever its spelling, points to
// the reviewed flow, and nothing is sent or audited.
func TestRawCallToAReviewedFlowIsRefused(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	id := f.request(t, sim.EmailFewEvents).UserID
	acct := "/accounts/" + sim.DemoAccountID
	f.sim.ResetCounts()
	for _, c := range []struct{ method, path, use string }{
		{"POST", "/accounts/{account_id}/zt_risk_scoring/" + id + "/reset", "cftriage reset"},
		{"post", acct + "/zt_risk_scoring/" + id + "/reset", "R on the User pane"},
		{"POST", "/client/v4/accounts/{account_id}/zt_risk_scoring/" + id + "/reset/", "cftriage reset"},
		{"POST", f.client.BaseURL() + acct + "/zt_risk_scoring/" + id + "/reset?x=1", "cftriage reset"},
		{"POST", acct + "/zt_risk_scoring/" + id + "/%72eset", "cftriage reset"},
		{"POST", acct + "/ZT_Risk_Scoring/" + id + "/RESET", "cftriage reset"},
		{"POST", acct + "/zt_risk_scoring/" + id + "/reset;v=1", "cftriage reset"},
		{"PUT", acct + "/zt_risk_scoring/" + id + "/reset", "cftriage reset"},
		{"POST", "/accounts/{account_id}/access/organizations/revoke_user", "cftriage revoke"},
		{"DELETE", acct + "/access/organizations/revoke_user", "User pane"},
	} {
		req := cloudflare.RawRequest{Method: c.method, Path: c.path, Body: []byte(`{"email":"` + sim.EmailFewEvents + `"}`)}
		ex, err := Send(ctx, f.writer(), req, store.Operator{})
		var re *RefusedError
		if ex != nil || !errors.As(err, &re) || errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), c.use) ||
			!strings.Contains(err.Error(), "as a raw call") {
			t.Errorf("%s %s: exchange %v, err %v; want a refusal pointing to %s", c.method, c.path, ex, err, c.use)
			continue
		}
		// The frontends ask the same question before confirming.
		if _, err := f.writer().Check(req); !errors.As(err, &re) {
			t.Errorf("%s %s: Check = %v, want the same refusal", c.method, c.path, err)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests reached the API", n)
	}
	if recs := f.records(t); len(recs) != 0 {
		t.Fatalf("refused raw calls wrote %d audit records", len(recs))
	}
	// Neighbours of those paths are not refused.
	for _, p := range []string{miscatPath, "/accounts/{account_id}/zt_risk_scoring/" + id + "/reset-notes", "/accounts/{account_id}/zt_risk_scoring/reset"} {
		if _, err := f.writer().Check(cloudflare.RawRequest{Method: "POST", Path: p}); err != nil {
			t.Errorf("POST %s refused: %v", p, err)
		}
	}
}

// An api_call intent records the body sent: the token masked, cut at
// 4 KiB, with the whole body's SHA-256 and size.
func TestSendAuditsTheBody(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	for _, body := range []string{
		`{"indicator_type":"domain","url":"x.example","note":"` + sim.DemoToken + `","security_adds":[131]}`,
		`{"indicator_type":"domain","url":"x.example","note":"` + strings.Repeat("a", 10000) + `","security_adds":[131]}`,
	} {
		if _, err := Send(ctx, f.writer(), cloudflare.RawRequest{Method: "POST", Path: miscatPath, Body: []byte(body)}, store.Operator{}); err != nil {
			t.Fatal(err)
		}
		recs := f.records(t)
		in := recs[len(recs)-2]
		sum := sha256.Sum256([]byte(body))
		if in.Phase != store.PhaseIntent || in.BodySHA256 != hex.EncodeToString(sum[:]) || in.BodySize != len(body) {
			t.Errorf("intent %+v: want the body's sha256 %x and size %d", in, sum, len(body))
		}
		switch {
		case len(body) > 4096:
			if !in.BodyTruncated || len(in.Body) > 4096 || !strings.HasPrefix(in.Body, body[:100]) {
				t.Errorf("a 10 KB body: truncated %v, %d bytes kept", in.BodyTruncated, len(in.Body))
			}
		default:
			want := strings.Replace(body, sim.DemoToken, "…"+sim.DemoToken[len(sim.DemoToken)-4:], 1)
			if in.BodyTruncated || in.Body != want {
				t.Errorf("body recorded as %q, want %q", in.Body, want)
			}
		}
	}
	f.assertNoToken(t)
}

// hostileReset answers the reset POST itself, after passing it to the
// simulator when apply is set (so the reset is applied), with status 200
// and an unreadable body.
func hostileReset(f *fixture, apply bool, body string, contentLength int) {
	f.stub.answer(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/reset") {
			return false
		}
		if apply {
			f.sim.ServeHTTP(discard{}, r)
		}
		w.Header().Set("Content-Type", "application/json")
		if contentLength > 0 {
			w.Header().Set("Content-Length", strconv.Itoa(contentLength))
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
		return true
	})
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// A write answered 2xx with a body that cannot be read was received and
// probably applied: the outcome is unknown (not a failure), the user is
// re-read, and the result and the audit log say what the re-read showed.
func TestResetAnsweredUnreadablyIsUnknown(t *testing.T) {
	for _, c := range []struct {
		name    string
		apply   bool
		body    string
		length  int
		applied bool
	}{
		{"truncated", true, `{"success":true,"errors":[],"mess`, 0, true},
		{"malformed", false, `{"success":true,,}`, 0, false},
		{"over the cap", true, `{"success":true}`, 17 << 20, true},
	} {
		f := newFixture(t, 0)
		req := f.request(t, sim.EmailFewEvents)
		hostileReset(f, c.apply, c.body, c.length)
		res := Reset(context.Background(), f.writer(), req)
		var ue *UnreadableAnswerError
		if res.Outcome != OutcomeUnknown || !errors.As(res.Err, &ue) || !strings.Contains(res.Err.Error(), "probably applied") {
			t.Errorf("%s: outcome %s, err %v; want unknown, saying it was probably applied", c.name, res.Outcome, res.Err)
			continue
		}
		if res.After == nil {
			t.Errorf("%s: the user was not re-read (%s)", c.name, res.Finding)
			continue
		}
		moved := strings.Contains(res.Finding, "appears to have been applied")
		if moved != c.applied {
			t.Errorf("%s: finding %q, applied %v", c.name, res.Finding, c.applied)
		}
		recs := f.records(t)
		out := recs[len(recs)-1]
		if out.Outcome != store.OutcomeUnknown || out.HTTPStatus != 200 || out.After == nil || !strings.Contains(out.ErrorMessage, "re-read") {
			t.Errorf("%s: audit outcome %+v", c.name, out)
		}
		if n := f.sim.Count(opReset); n != map[bool]int{true: 1, false: 0}[c.apply] {
			t.Errorf("%s: %d resets reached the simulator (never retried)", c.name, n)
		}
	}
}

func TestSendAnsweredUnreadablyIsUnknown(t *testing.T) {
	f := newFixture(t, 0)
	f.stub.answer(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost {
			return false
		}
		f.stub.writes.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":tr`))
		return true
	})
	ex, err := Send(context.Background(), f.writer(), cloudflare.RawRequest{Method: "POST", Path: miscatPath, Body: []byte(miscatBody)}, store.Operator{})
	var ue *UnreadableAnswerError
	if ex == nil || ex.StatusCode != 200 || !errors.As(err, &ue) || OutcomeOf(err) != OutcomeUnknown || f.stub.writes.Load() != 1 {
		t.Fatalf("exchange %+v, err %v; want the 200 and an unknown outcome, sent once", ex, err)
	}
	recs := f.records(t)
	if out := recs[len(recs)-1]; out.Outcome != store.OutcomeUnknown || out.HTTPStatus != 200 {
		t.Fatalf("audit outcome %+v, want unknown with HTTP 200", out)
	}
}
