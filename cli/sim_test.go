package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSimCommand(t *testing.T) {
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	st := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, isTerminal: func() bool { return false }}
	go func() { done <- run(ctx, []string{"sim", "--addr", "127.0.0.1:0"}, st) }()

	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, l := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(l, "base URL: "); ok {
				base = strings.TrimSpace(v)
			}
		}
	}
	if base == "" {
		t.Fatalf("no base URL printed: %q %q", out.String(), errb.String())
	}
	if !strings.Contains(out.String(), sim.DemoAccountID) {
		t.Errorf("no account id printed: %q", out.String())
	}
	req, _ := http.NewRequest("GET", base+"/user/tokens/verify", nil)
	req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("verify on the standalone simulator: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("sim exit %d %q", code, errb.String())
	}
}

// startSim runs `cftriage sim` with args on a free port until the test
// ends and returns what it printed once it listens.
func startSim(t *testing.T, args ...string) (base, out string) {
	t.Helper()
	var stdout, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	st := &streams{stdin: strings.NewReader(""), stdout: &stdout, stderr: &errb, isTerminal: func() bool { return false }}
	go func() { done <- run(ctx, append([]string{"sim", "--addr", "127.0.0.1:0"}, args...), st) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("sim exit %d %q", code, errb.String())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s := stdout.String(); strings.Contains(s, "export CLOUDFLARE_API_TOKEN=") {
			for _, l := range strings.Split(s, "\n") {
				if v, ok := strings.CutPrefix(l, "base URL: "); ok {
					return strings.TrimSpace(v), s
				}
			}
		}
	}
	t.Fatalf("the simulator printed no export lines: %q %q", stdout.String(), errb.String())
	return "", ""
}

func simGet(t *testing.T, base, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestSimExportLines: the export lines are ready to paste, and with them
// a headless lookup runs against the simulator.
func TestSimExportLines(t *testing.T) {
	f := newFixture(t, sim.Options{}) // private XDG dirs and keyring
	base, out := startSim(t)
	env := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "export "); ok {
			k, v, _ := strings.Cut(rest, "=")
			env[k] = strings.Trim(v, "'")
		}
	}
	want := map[string]string{store.EnvBaseURL: base, store.EnvAccountID: sim.DemoAccountID, store.EnvToken: sim.DemoToken}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("export %s=%q, want %q (printed %q)", k, env[k], v, out)
		}
		t.Setenv(k, env[k])
	}
	if r := f.run(t, "", "domain", sim.DomainClean); r.code != 0 || !strings.Contains(r.stdout, sim.DomainClean) {
		t.Fatalf("lookup with the exported variables: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestSimQuotaFlags(t *testing.T) {
	base, out := startSim(t, "--quota", "2", "--window", "10s")
	if !strings.Contains(out, "quota: 2 requests per 10s") {
		t.Errorf("quota not said: %q", out)
	}
	var codes []int
	var policy string
	for i := 0; i < 3; i++ {
		resp, _ := simGet(t, base, "/user/tokens/verify")
		codes = append(codes, resp.StatusCode)
		policy = resp.Header.Get("Ratelimit-Policy")
	}
	if fmt.Sprint(codes) != "[200 200 429]" || policy != `"burst";q=2;w=10` {
		t.Fatalf("codes %v, policy %q", codes, policy)
	}
}

func TestSimFaultFlags(t *testing.T) {
	verify := "/user/tokens/verify"
	t.Run("429 after N", func(t *testing.T) {
		base, out := startSim(t, "--429-after", "1", "--retry-after", "7")
		if !strings.Contains(out, "429 (Retry-After 7s) for 1 request(s) after the first 1") {
			t.Errorf("faults not said: %q", out)
		}
		var got []string
		for i := 0; i < 3; i++ {
			resp, _ := simGet(t, base, verify)
			got = append(got, fmt.Sprint(resp.StatusCode, "/", resp.Header.Get("Retry-After")))
		}
		if fmt.Sprint(got) != "[200/ 429/7 200/]" {
			t.Fatalf("answers %v", got)
		}
	})
	t.Run("5xx rate on one operation", func(t *testing.T) {
		base, _ := startSim(t, "--5xx-rate", "0.5", "--fault-op", opVerify)
		var codes []int
		for i := 0; i < 4; i++ {
			resp, _ := simGet(t, base, verify)
			codes = append(codes, resp.StatusCode)
		}
		if fmt.Sprint(codes) != "[200 500 200 500]" {
			t.Fatalf("codes %v", codes)
		}
		if resp, _ := simGet(t, base, "/accounts/"+sim.DemoAccountID+"/intel/domain?domain="+sim.DomainClean); resp.StatusCode != 200 {
			t.Fatalf("another operation was faulted: %d", resp.StatusCode)
		}
	})
	t.Run("html, malformed, truncated", func(t *testing.T) {
		for _, tc := range []struct {
			flag  string
			check func(*http.Response, string) bool
		}{
			{"--html-rate", func(r *http.Response, b string) bool {
				return r.StatusCode == 502 && strings.HasPrefix(r.Header.Get("Content-Type"), "text/html")
			}},
			{"--malformed-rate", func(r *http.Response, b string) bool { return r.StatusCode == 200 && !json.Valid([]byte(b)) }},
			{"--truncated-rate", func(r *http.Response, b string) bool {
				return r.StatusCode == 200 && !json.Valid([]byte(b)) && strings.HasPrefix(b, `{"`)
			}},
		} {
			base, _ := startSim(t, tc.flag, "1")
			if resp, body := simGet(t, base, verify); !tc.check(resp, body) {
				t.Errorf("%s 1: %d %q %.80q", tc.flag, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
	})
}

// TestSimFlagsToOptions: latency goes with every fault (the simulator
// answers with the first that fires) and delays the rest.
func TestSimFlagsToOptions(t *testing.T) {
	so := simOpts{quota: 0, window: 30 * time.Second, latency: 250 * time.Millisecond, rate5xx: 0.1, faultOp: opIP, times429: 1, retryAfter: 60}
	o, faults, err := so.options()
	if err != nil {
		t.Fatal(err)
	}
	if o.RateQuota != -1 || o.RateWindow != 30*time.Second {
		t.Errorf("options %+v", o)
	}
	if len(faults) != 2 || faults[0].Status != 500 || faults[0].Rate != 0.1 || faults[1].Status != 0 {
		t.Fatalf("faults %+v", faults)
	}
	for _, f := range faults {
		if f.Latency != 250*time.Millisecond || f.Op != opIP {
			t.Errorf("fault %+v", f)
		}
	}
}

func TestSimBadFlags(t *testing.T) {
	newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"--window", "1500ms"},
		{"--window", "0s"},
		{"--quota", "-3"},
		{"--5xx-rate", "2"},
		{"--html-rate", "-0.1"},
		{"--latency", "-1s"},
		{"--429-after", "-1"},
		{"--429-after", "x"},
		{"--429-after", "3", "--retry-after", "0"},
		{"--fault-op", "no-such-operation"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		code := Main(append([]string{"sim", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errb)
		if code != ExitUsage || out.Len() != 0 || errb.Len() == 0 {
			t.Errorf("sim %v: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
	}
}
