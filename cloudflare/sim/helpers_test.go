package sim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/internal/contracttest"
)

// fixedNow is the clock of most tests, so dates in responses are stable.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// server runs s over real HTTP; with contract set, every exchange is also
// validated against the contract when it is present (without it, the
// test runs unvalidated).
func server(t *testing.T, s *sim.Sim, contract bool, opts ...contracttest.Option) string {
	t.Helper()
	var h http.Handler = s
	if contract {
		h = contracttest.WrapIfAvailable(t, s, opts...)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + sim.BasePath
}

func acct(p string) string { return "/accounts/" + sim.DemoAccountID + p }

type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request; an empty token sends no Authorization header.
func do(t *testing.T, base, method, path, token string) reply {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func get(t *testing.T, base, path string) reply {
	t.Helper()
	return do(t, base, http.MethodGet, path, sim.DemoToken)
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type envelope struct {
	Success    bool            `json:"success"`
	Errors     []apiError      `json:"errors"`
	Messages   []apiError      `json:"messages"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"result_info"`
}

func (r reply) env(t *testing.T) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("body is not an envelope: %v\n%s", err, r.body)
	}
	return e
}

// result decodes a successful response's result into v.
func (r reply) result(t *testing.T, v any) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	e := r.env(t)
	if !e.Success || len(e.Errors) != 0 {
		t.Fatalf("not a success envelope: %s", r.body)
	}
	if err := json.Unmarshal(e.Result, v); err != nil {
		t.Fatalf("decoding result: %v\n%s", err, e.Result)
	}
}

// wantError checks an error envelope's status and first code.
func (r reply) wantError(t *testing.T, status, code int) apiError {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	e := r.env(t)
	if e.Success || len(e.Errors) == 0 || string(e.Result) != "null" {
		t.Fatalf("not an error envelope: %s", r.body)
	}
	if e.Errors[0].Code != code {
		t.Fatalf("error code %d, want %d: %s", e.Errors[0].Code, code, r.body)
	}
	return e.Errors[0]
}

type accessUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// userID finds the one user with email (exact case).
func userID(t *testing.T, base, email string) string {
	t.Helper()
	var users []accessUser
	get(t, base, acct("/access/users?email="+email)).result(t, &users)
	for _, u := range users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s among %v", email, users)
	return ""
}

type riskScore struct {
	Email         string  `json:"email"`
	Name          string  `json:"name"`
	RiskLevel     *string `json:"risk_level"`
	LastResetTime *string `json:"last_reset_time"`
	Events        []struct {
		ID           string         `json:"id"`
		Name         string         `json:"name"`
		RiskLevel    string         `json:"risk_level"`
		Timestamp    string         `json:"timestamp"`
		EventDetails map[string]any `json:"event_details"`
	} `json:"events"`
}

func rateRemaining(t *testing.T, h http.Header) string {
	t.Helper()
	v := h.Get("Ratelimit")
	_, rest, found := strings.Cut(v, ";r=")
	if !found {
		t.Fatalf("Ratelimit header %q has no r=", v)
	}
	r, _, _ := strings.Cut(rest, ";")
	return r
}
