package request

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// runAside runs cmd off the test goroutine, as Bubble Tea would, and
// hands back the messages it led to (batches flattened, timers dropped)
// once every part has returned. The test goroutine stays free to press
// keys while the "network" is busy.
func runAside(cmd tea.Cmd) <-chan []tea.Msg {
	ch := make(chan []tea.Msg, 1)
	go func() { ch <- collectMsgs(cmd) }()
	return ch
}

func collectMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collectMsgs(c)...)
		}
		return out
	default:
		if isTimerMsg(msg) {
			return nil
		}
		return []tea.Msg{msg}
	}
}

// requestGate stands in front of the simulator: a request it holds
// announces itself on arrived and waits for release (or for its own
// cancellation) before the simulator sees it. It turns "the request is
// on the wire" into an event a test can wait for, with no clock.
type requestGate struct {
	arrived chan *http.Request
	release chan struct{}
	once    sync.Once
}

func (g *requestGate) open() { g.once.Do(func() { close(g.release) }) }

// gateRequests points the session's client at a gate in front of h.sim
// that holds the requests hold picks.
func gateRequests(h *harness, hold func(*http.Request) bool) *requestGate {
	h.t.Helper()
	g := &requestGate{arrived: make(chan *http.Request, 8), release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold(r) {
			g.arrived <- r
			select {
			case <-g.release:
			case <-r.Context().Done():
			}
		}
		h.stub.ServeHTTP(w, r)
	}))
	h.t.Cleanup(srv.Close)
	h.t.Cleanup(g.open) // runs first: Close waits for held handlers
	c, err := cloudflare.New(cloudflare.Config{
		BaseURL: srv.URL + "/client/v4", Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.sess.Client = c
	return g
}

// auditPairs reads the audit log and checks it holds exactly one POST
// attempt: one intent and one outcome of the same attempt. It returns
// the outcome.
func auditPairs(h *harness) store.AuditRecord {
	h.t.Helper()
	recs, err := store.ReadAudit(h.sess.Audit.Path(), 0)
	if err != nil {
		h.t.Fatal(err)
	}
	var intents, outcomes []store.AuditRecord
	for _, r := range recs {
		if r.Method != "POST" {
			h.t.Fatalf("unexpected audit record %+v", r)
		}
		switch r.Phase {
		case store.PhaseIntent:
			intents = append(intents, r)
		case store.PhaseOutcome:
			outcomes = append(outcomes, r)
		}
	}
	if len(recs) != 2 || len(intents) != 1 || len(outcomes) != 1 || outcomes[0].AttemptID != intents[0].AttemptID {
		h.t.Fatalf("audit = %+v, want one intent and its outcome", recs)
	}
	return outcomes[0]
}

// A second send while a write is in flight must not send it again: the
// analyst who presses ctrl+r and y twice gets one POST and one audited
// attempt.
func TestRequestSecondSendWhileWriteInFlightSendsNothing(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint(writePath)
	// The operator's token id is looked up once per client: look it up
	// now so the count below holds only what the send itself sent.
	actions.OperatorFor(context.Background(), h.sess.Client)
	before := h.sim.Total() + int(h.stub.writes.Load())
	h.keys("shift+tab", "right", "ctrl+r") // POST, asks first
	if len(h.dialogs) != 1 {
		t.Fatalf("no confirmation for the POST:\n%s", h.screen())
	}
	held := h.confirmHeld() // confirmed; the answer has not come yet
	if !h.tool.sending {
		t.Fatal("the confirmed POST is not in flight")
	}
	h.keys("ctrl+r") // the same again, confirmed at once
	h.mustSee("send disabled: a request is running")
	h.keys("y")
	if len(h.dialogs) != 0 {
		t.Fatal("a second confirmation opened while the write runs")
	}
	h.run(held)
	if n := h.stub.writes.Load(); n != 1 {
		t.Fatalf("the POST reached the API %d times, want exactly 1", n)
	}
	if n := h.sim.Total() + int(h.stub.writes.Load()) - before; n != 1 {
		t.Fatalf("the API got %d requests after the send, want 1", n)
	}
	if out := auditPairs(h); out.Outcome != store.OutcomeSuccess {
		t.Fatalf("outcome %+v, want success", out)
	}
	h.mustSee("200 OK")
}

// esc cancels a running GET but never a write: cancelling would not
// undo a POST already on the wire, only lose its outcome. The footer
// never offers to cancel a write.
func TestRequestEscDoesNotCancelAWriteInFlight(t *testing.T) {
	h := newHarness(t, 120, 40)
	path := writePath
	g := gateRequests(h, func(r *http.Request) bool { return r.Method == http.MethodPost })
	h.setEndpoint(path)
	h.keys("shift+tab", "right", "ctrl+r")
	tl := h.tool
	done := runAside(h.confirmHeld())
	<-g.arrived // the POST is at the server, waiting
	h.mustSee("a write cannot be canceled")
	if f := h.footerLine(); strings.Contains(f, "cancel") {
		t.Fatalf("the footer offers to cancel a write: %q", f)
	}
	h.keys("esc")
	if !tl.sending {
		t.Fatal("esc ended the write in flight")
	}
	h.mustSee("sending POST … (a write cannot be canceled)")
	if f := h.footerLine(); strings.Contains(f, "cancel") {
		t.Fatalf("the footer offers to cancel a write: %q", f)
	}
	g.open()
	for _, msg := range <-done {
		h.send(msg)
	}
	if n := h.stub.writes.Load(); n != 1 {
		t.Fatalf("the POST reached the API %d times, want 1", n)
	}
	if tl.sending || tl.resp == nil {
		t.Fatalf("after the write: sending %v, response %v", tl.sending, tl.resp != nil)
	}
	if tl.resp.status != http.StatusOK || tl.resp.err != "" {
		t.Fatalf("the write's answer is lost: status %d, %q", tl.resp.status, tl.resp.err)
	}
	h.mustSee("200 OK")
	h.mustNotSee("OUTCOME UNKNOWN", "canceled")
	if out := auditPairs(h); out.Outcome != store.OutcomeSuccess || out.HTTPStatus != http.StatusOK {
		t.Fatalf("outcome %+v, want success 200", out)
	}
}

// esc cancels a GET while it waits at the server; the answer says it
// was canceled (not a timeout, which is what an uncancelled GET to a
// server that never answers would end in).
func TestRequestEscCancelsARunningGet(t *testing.T) {
	h := newHarness(t, 100, 30)
	done := sendHeldGet(h)
	h.mustSee("Sending GET")
	if f := h.footerLine(); !strings.Contains(f, "esc cancel GET") {
		t.Fatalf("the footer does not offer to cancel the GET: %q", f)
	}
	h.keys("esc")
	for _, msg := range <-done {
		h.send(msg)
	}
	tl := h.tool
	if tl.sending || tl.resp == nil {
		t.Fatalf("after esc: sending %v, response %v", tl.sending, tl.resp != nil)
	}
	if !strings.Contains(tl.resp.err, "canceled") {
		t.Fatalf("after esc the GET ended with %q, want it canceled", tl.resp.err)
	}
}

// The audit log names the operator of the client that sent the write:
// the command uses the client of the connection when the send started,
// not one the console may switch to (first run) before it runs.
func TestRequestWriteAuditsTheSendingClientsOperator(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint(writePath)
	h.keys("shift+tab", "right", "ctrl+r")
	held := h.confirmHeld()
	c := h.sess.Client
	h.sess.Client = nil // replaced after Update, before the command runs
	h.run(held)
	h.sess.Client = c
	st, _, err := c.VerifyToken(context.Background())
	if err != nil || st.ID == "" {
		t.Fatalf("token verify: %+v %v", st, err)
	}
	if out := auditPairs(h); out.Outcome != store.OutcomeSuccess || out.Operator.TokenID != st.ID {
		t.Fatalf("outcome %s by token %q, want success by %q", out.Outcome, out.Operator.TokenID, st.ID)
	}
}

// Quitting cancels a GET still waiting at the server: without that it
// would run on until the client's timeout.
func TestRequestQuitCancelsARunningGet(t *testing.T) {
	h := newHarness(t, 100, 30)
	done := sendHeldGet(h)
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	for _, msg := range <-done {
		h.send(msg)
	}
	tl := h.tool
	if tl.resp == nil {
		t.Fatal("no response after quitting")
	}
	if !strings.Contains(tl.resp.err, "canceled") {
		t.Fatalf("after quitting, the GET ended with %q, want it canceled", tl.resp.err)
	}
}

// Quitting leaves a write in flight alone, as esc does, even when the
// console cancels the pane's requests: its outcome is still audited.
func TestRequestQuitLeavesAWriteInFlight(t *testing.T) {
	h := newHarness(t, 120, 40)
	path := writePath
	g := gateRequests(h, func(r *http.Request) bool { return r.Method == http.MethodPost })
	h.setEndpoint(path)
	h.keys("shift+tab", "right", "ctrl+r")
	done := runAside(h.confirmHeld())
	<-g.arrived
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	g.open()
	<-done
	if out := auditPairs(h); out.Outcome != store.OutcomeSuccess {
		t.Fatalf("outcome %+v, want success", out)
	}
}

// confirmHeld answers y to the confirmation and hands the pane its
// answer; it returns the command that sends the write, unrun.
func (h *harness) confirmHeld() tea.Cmd {
	h.t.Helper()
	if len(h.dialogs) != 1 {
		h.t.Fatalf("no confirmation open:\n%s", h.screen())
	}
	yes := h.sendNoRun(kp("y"))
	if yes == nil {
		h.t.Fatal("y gave no answer")
	}
	return h.deliver(yes())
}

// sendHeldGet sends an IP-overview GET that the simulator holds, and
// returns once it has reached the server; done yields the command's
// messages when it ends.
func sendHeldGet(h *harness) (done <-chan []tea.Msg) {
	h.t.Helper()
	h.sim.Inject(sim.Fault{Op: opIP, Latency: time.Hour})
	g := gateRequests(h, func(r *http.Request) bool { return r.Method == http.MethodGet })
	g.open() // only announce arrivals; the latency holds the GET
	h.setEndpoint("/accounts/{account_id}/intel/ip?ipv4=" + sim.IPRiskyC2)
	done = runAside(h.sendNoRun(kp("ctrl+r")))
	<-g.arrived
	return done
}
