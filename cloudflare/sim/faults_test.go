package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

func TestFaults(t *testing.T) {
	ipPath := acct("/intel/ip?ipv4=" + sim.IPRiskyC2)

	t.Run("status once then normal", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{Status: http.StatusServiceUnavailable, Times: 1})
		r := get(t, base, ipPath)
		r.wantError(t, http.StatusServiceUnavailable, 10001)
		if r.header.Get("Ratelimit") == "" {
			t.Error("faulted response without Ratelimit")
		}
		if r := get(t, base, ipPath); r.status != http.StatusOK {
			t.Errorf("second request: %d", r.status)
		}
		if s.Count(sim.OpIPOverview) != 2 {
			t.Errorf("count %d, want 2 (faulted requests count)", s.Count(sim.OpIPOverview))
		}
	})

	t.Run("429 with Retry-After", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7})
		r := get(t, base, ipPath)
		// Cloudflare's real 429 body: code 971.
		if e := r.wantError(t, http.StatusTooManyRequests, 971); e.Message != "Please wait and consider throttling your request speed" {
			t.Errorf("429 message %q", e.Message)
		}
		if r.header.Get("Retry-After") != "7" || rateRemaining(t, r.header) != "0" {
			t.Errorf("Retry-After %q, Ratelimit %q", r.header.Get("Retry-After"), r.header.Get("Ratelimit"))
		}
		s.ClearFaults()
		s.Inject(sim.Fault{Status: http.StatusTooManyRequests})
		if r := get(t, base, ipPath); r.header.Get("Retry-After") != "60" {
			t.Errorf("default Retry-After %q", r.header.Get("Retry-After"))
		}
	})

	t.Run("HTML gateway page", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{HTML: true, Times: 1})
		s.Inject(sim.Fault{HTML: true, Status: http.StatusGatewayTimeout, Times: 1})
		r := get(t, base, ipPath)
		if r.status != http.StatusBadGateway || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.HasPrefix(r.body, []byte("<!DOCTYPE html>")) {
			t.Errorf("HTML fault: %d %q %.40s", r.status, r.header.Get("Content-Type"), r.body)
		}
		if json.Valid(r.body) {
			t.Error("HTML page parses as JSON")
		}
		if r := get(t, base, ipPath); r.status != http.StatusGatewayTimeout {
			t.Errorf("HTML fault with status: %d", r.status)
		}
	})

	t.Run("malformed and truncated JSON", func(t *testing.T) {
		s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }})
		base := server(t, s, false)
		whole := get(t, base, ipPath).body
		s.Inject(sim.Fault{Malformed: true, Times: 1})
		s.Inject(sim.Fault{Truncated: true, Times: 1})
		r := get(t, base, ipPath)
		if r.status != http.StatusOK || json.Valid(r.body) || len(r.body) == 0 {
			t.Errorf("malformed: %d %s", r.status, r.body)
		}
		r = get(t, base, ipPath)
		if r.status != http.StatusOK || json.Valid(r.body) || len(r.body) == 0 || len(r.body) >= len(whole) || !bytes.HasPrefix(whole, r.body) {
			t.Errorf("truncated: %d %s (whole %s)", r.status, r.body, whole)
		}
	})

	t.Run("slow body arrives whole", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{SlowBody: 50 * time.Millisecond, Latency: 10 * time.Millisecond})
		var res []ipResult
		get(t, base, ipPath).result(t, &res)
		if len(res) != 1 {
			t.Errorf("slow body result %+v", res)
		}
	})

	t.Run("latency past the client's deadline", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{Latency: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+ipPath, nil)
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		_, err := http.DefaultClient.Do(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want a deadline error", err)
		}
	})

	// A client that gives up on a held write must free the handler, also
	// when the request has a body net/http has not read (cftriage sends
	// writes with an unrewindable, chunked body).
	t.Run("latency ends when a POST's client hangs up", func(t *testing.T) {
		s := sim.New(sim.Options{})
		done := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.ServeHTTP(w, r)
			if r.Method == http.MethodPost {
				close(done)
			}
		}))
		defer srv.Close()
		base := srv.URL + sim.BasePath
		id := userID(t, base, sim.EmailFewEvents)
		s.Inject(sim.Fault{Op: sim.OpRiskReset, Latency: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+acct("/zt_risk_scoring/"+id+"/reset"), io.NopCloser(strings.NewReader("")))
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		errc := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errc <- err
		}()
		for s.Count(sim.OpRiskReset) == 0 {
			select {
			case err := <-errc:
				t.Fatalf("the POST ended before reaching the simulator: %v", err)
			case <-time.After(5 * time.Millisecond):
			}
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want canceled", err)
		}
		// Bounded wait for an event, not a timing assertion: the held
		// request would otherwise end only after its full minute.
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("the simulator kept holding a request whose client had gone")
		}
	})

	t.Run("dropped connection", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{DropConnection: true, Times: 1})
		req, _ := http.NewRequest(http.MethodGet, base+ipPath, nil)
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("dropped connection answered %d", resp.StatusCode)
		}
		if s.Count(sim.OpIPOverview) != 1 {
			t.Errorf("count %d", s.Count(sim.OpIPOverview))
		}
	})

	t.Run("op, After and Times", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		s.Inject(sim.Fault{Op: sim.OpDomain, After: 2, Times: 2, Status: http.StatusInternalServerError})
		dom := acct("/intel/domain?domain=" + sim.DomainClean)
		var got []int
		for i := 0; i < 5; i++ {
			got = append(got, get(t, base, dom).status)
			if r := get(t, base, ipPath); r.status != http.StatusOK {
				t.Errorf("another operation was faulted: %d", r.status)
			}
		}
		want := []int{200, 200, 500, 500, 200}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("statuses %v, want %v", got, want)
			}
		}
	})

	t.Run("a faulted reset resets nothing", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		id := userID(t, base, sim.EmailFewEvents)
		s.Inject(sim.Fault{Op: sim.OpRiskReset, Status: http.StatusBadGateway})
		do(t, base, http.MethodPost, acct("/zt_risk_scoring/"+id+"/reset"), sim.DemoToken).wantError(t, http.StatusBadGateway, 10001)
		var rs riskScore
		get(t, base, acct("/zt_risk_scoring/"+id)).result(t, &rs)
		if len(rs.Events) == 0 || s.Count(sim.OpRiskReset) != 1 {
			t.Errorf("events %d, resets counted %d", len(rs.Events), s.Count(sim.OpRiskReset))
		}
		s.ClearFaults()
		if r := do(t, base, http.MethodPost, acct("/zt_risk_scoring/"+id+"/reset"), sim.DemoToken); r.status != http.StatusOK {
			t.Errorf("after ClearFaults: %d", r.status)
		}
	})

	t.Run("body of a truncated large answer", func(t *testing.T) {
		s := sim.New(sim.Options{})
		base := server(t, s, false)
		id := userID(t, base, sim.EmailManyEvents)
		s.Inject(sim.Fault{Op: sim.OpRiskScore, Truncated: true})
		r := get(t, base, acct("/zt_risk_scoring/"+id))
		var v any
		if err := json.NewDecoder(bytes.NewReader(r.body)).Decode(&v); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("decoding truncated body: %v, want unexpected EOF", err)
		}
	})
}
