package store

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Child processes re-run this test binary with -test.run selecting one
// helper test and STORE_HELPER telling it what to do; helpers skip
// themselves in a normal run.
const helperEnv = "STORE_HELPER"

// helperTimeoutEnv sets the keyring timeout of TestHelperKeyringGet.
const helperTimeoutEnv = "STORE_HELPER_TIMEOUT"

func helperCmd(t *testing.T, test string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func runHelper(t *testing.T, test string, env ...string) string {
	t.Helper()
	out, err := helperCmd(t, test, env...).CombinedOutput()
	if err != nil {
		t.Fatalf("helper %s (%v) failed: %v\n%s", test, env, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("helper %s did not run (skipped?):\n%s", test, out)
	}
	return string(out)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", path, got, want)
	}
}
