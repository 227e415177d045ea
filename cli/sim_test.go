package cli

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
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
