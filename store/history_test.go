package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHistoryAppendLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	if h, err := LoadHistory(dir, 10); err != nil || len(h) != 0 {
		t.Fatalf("empty history: %v, %v", h, err)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	for i := range 5 {
		err := AppendHistory(dir, nil, HistoryEntry{Time: t0.Add(time.Duration(i) * time.Minute), Method: "GET",
			Path: fmt.Sprintf("/p/%d", i), Query: [][2]string{{"page", "1"}},
			Header: [][2]string{{"Accept", "application/json"}, {"Authorization", "Bearer hist-secret"}, {"X-Auth-Key", "k"}},
			Status: 200 + i})
		if err != nil {
			t.Fatal(err)
		}
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, HistoryFile), 0o600)
	b, _ := os.ReadFile(filepath.Join(dir, HistoryFile))
	if bytes.Contains(b, []byte("hist-secret")) || bytes.Contains(bytes.ToLower(b), []byte("x-auth")) {
		t.Errorf("auth headers in history:\n%s", b)
	}

	h, err := LoadHistory(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Path != "/p/4" || h[2].Path != "/p/2" {
		t.Fatalf("want newest first, 3 entries: %+v", h)
	}
	if h[0].Status != 204 || len(h[0].Header) != 1 || h[0].Time.Location() != time.UTC || !h[0].Time.Equal(t0.Add(4*time.Minute)) {
		t.Errorf("entry = %+v", h[0])
	}
	if all, _ := LoadHistory(dir, 0); len(all) != 5 {
		t.Errorf("LoadHistory(0) gave %d entries", len(all))
	}
}

func TestHistorySkipsTornLineAndRefusesToken(t *testing.T) {
	dir := t.TempDir()
	AppendHistory(dir, nil, HistoryEntry{Method: "GET", Path: "/a"})
	f, _ := os.OpenFile(filepath.Join(dir, HistoryFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"method":"GET","pa`) // interrupted write
	f.Close()
	if err := AppendHistory(dir, nil, HistoryEntry{Method: "POST", Path: "/b"}); err != nil {
		t.Fatal(err)
	}
	h, _ := LoadHistory(dir, 0)
	if len(h) != 2 || h[0].Path != "/b" || h[1].Path != "/a" {
		t.Errorf("after a torn line: %+v", h)
	}

	const tok = "hist-token-0123456789abcdef"
	err := AppendHistory(dir, NewGuard(tok), HistoryEntry{Method: "POST", Path: "/c", Body: `{"token":"` + tok + `"}`})
	if !errors.Is(err, ErrContainsSecret) {
		t.Errorf("history accepted the token: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, HistoryFile)); bytes.Contains(b, []byte(tok)) {
		t.Error("token written to history")
	}
}

func TestHistoryCapped(t *testing.T) {
	dir := t.TempDir()
	for i := range HistoryMaxEntries + 7 {
		if err := AppendHistory(dir, nil, HistoryEntry{Method: "GET", Path: fmt.Sprintf("/n/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := LoadHistory(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != HistoryMaxEntries || h[0].Path != fmt.Sprintf("/n/%d", HistoryMaxEntries+6) || h[len(h)-1].Path != "/n/7" {
		t.Errorf("got %d entries, newest %s, oldest %s", len(h), h[0].Path, h[len(h)-1].Path)
	}
	assertMode(t, filepath.Join(dir, HistoryFile), 0o600)

	big := strings.Repeat("x", historyMaxBody+1)
	AppendHistory(dir, nil, HistoryEntry{Method: "POST", Path: "/big", Body: big})
	h, _ = LoadHistory(dir, 1)
	if h[0].Body != "" || !h[0].BodyOmitted {
		t.Errorf("huge body kept in history (%d bytes)", len(h[0].Body))
	}
}

// reverseLines must agree with a forward split whatever the line lengths
// relative to its chunk size.
func TestReverseLines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 200 {
		var lines []string
		for range r.IntN(6) {
			n := []int{0, 1, 5, 8191, 8192, 8193, 20000}[r.IntN(7)]
			lines = append(lines, strings.Repeat(string(rune('a'+iter%26)), n))
		}
		data := strings.Join(lines, "\n")
		if r.IntN(2) == 0 && len(lines) > 0 {
			data += "\n"
		}
		var want []string
		if data != "" {
			want = strings.Split(strings.TrimSuffix(data, "\n"), "\n")
		}
		var got []string
		err := reverseLines(strings.NewReader(data), int64(len(data)), func(l []byte) bool {
			got = append(got, string(l))
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("iter %d: %d lines, want %d", iter, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[len(want)-1-i] {
				t.Fatalf("iter %d: line %d differs (len %d vs %d)", iter, i, len(got[i]), len(want[len(want)-1-i]))
			}
		}
	}
	// stops early
	n := 0
	reverseLines(strings.NewReader("a\nb\nc\n"), 6, func(l []byte) bool { n++; return string(l) != "b" })
	if n != 2 {
		t.Errorf("did not stop when asked: %d calls", n)
	}
}
