package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// increment adds one to the number the quota file holds.
func increment(q *QuotaFile) error {
	return q.Update(func(b []byte) []byte {
		n, _ := strconv.Atoi(string(b))
		return []byte(strconv.Itoa(n + 1))
	})
}

func readCount(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		t.Fatalf("content %q", b)
	}
	return n
}

func TestQuotaFileUpdate(t *testing.T) {
	dir := t.TempDir()
	path := QuotaPath(dir, "work")
	if want := filepath.Join(dir, "quota", "work.json"); path != want {
		t.Fatalf("QuotaPath = %s", path)
	}
	q := OpenQuota(path)
	var first []byte
	if err := q.Update(func(b []byte) []byte { first = b; return nil }); err != nil {
		t.Fatal(err)
	}
	if first != nil {
		t.Fatalf("absent file read as %q", first)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a nil result wrote the file: %v", err)
	}
	if err := increment(q); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != fileMode {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != dirMode {
		t.Fatalf("dir mode %v", di.Mode().Perm())
	}
	// Goroutines of one process: no update is lost.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 25; j++ {
				if err := increment(OpenQuota(path)); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := readCount(t, path); n != 201 {
		t.Fatalf("count %d, want 201", n)
	}
	// An oversized file is an error, not a huge read.
	if err := os.WriteFile(path, []byte(strings.Repeat("x", maxQuotaFile+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := increment(q); err == nil {
		t.Fatal("an oversized quota file was accepted")
	}
}

// TestQuotaFileAcrossProcesses: separate processes updating the same
// file lose nothing (the lock is a file lock, not only a mutex).
func TestQuotaFileAcrossProcesses(t *testing.T) {
	path := QuotaPath(t.TempDir(), "default")
	const procs, each = 4, 50
	var wg sync.WaitGroup
	errs := make(chan string, procs)
	for i := 0; i < procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := helperCmd(t, "TestHelperQuotaIncrement", helperEnv+"=quota", "STORE_QUOTA_PATH="+path, "STORE_QUOTA_N="+strconv.Itoa(each)).CombinedOutput()
			if err != nil {
				errs <- string(out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("helper: %s", e)
	}
	if n := readCount(t, path); n != procs*each {
		t.Fatalf("count %d, want %d: updates were lost between processes", n, procs*each)
	}
}

func TestHelperQuotaIncrement(t *testing.T) {
	if os.Getenv(helperEnv) != "quota" {
		t.Skip("helper process only")
	}
	n, _ := strconv.Atoi(os.Getenv("STORE_QUOTA_N"))
	q := OpenQuota(os.Getenv("STORE_QUOTA_PATH"))
	for i := 0; i < n; i++ {
		if err := increment(q); err != nil {
			t.Fatal(err)
		}
	}
}
