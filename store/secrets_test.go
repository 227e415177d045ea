package store

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// go-keyring's mock is global state: these tests must not run in parallel.

func TestKeyringMockRoundTrip(t *testing.T) {
	keyring.MockInit()
	k := NewKeyring(time.Second)

	if _, err := k.Get("default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on empty keyring: %v, want ErrNotFound", err)
	}
	if err := k.Delete("default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete on empty keyring: %v, want ErrNotFound", err)
	}
	if err := k.Set("", "tok-default-0001"); err != nil { // "" is the default profile
		t.Fatal(err)
	}
	if err := k.Set("work", "tok-work-0001"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("default"); err != nil || got != "tok-default-0001" {
		t.Fatalf("Get(default) = %q, %v", got, err)
	}
	// stored under service "cftriage", user = profile name
	if got, err := keyring.Get("cftriage", "work"); err != nil || got != "tok-work-0001" {
		t.Fatalf("raw keyring entry for work = %q, %v", got, err)
	}
	if err := k.Set("work", "tok-work-0002"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get("work"); got != "tok-work-0002" {
		t.Fatalf("after overwrite Get(work) = %q", got)
	}
	if err := k.Delete("work"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("work"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if got, _ := k.Get("default"); got != "tok-default-0001" {
		t.Fatalf("deleting work touched default: %q", got)
	}
}

func TestKeyringRefusesBadInput(t *testing.T) {
	keyring.MockInit()
	k := NewKeyring(time.Second)
	if err := k.Set("default", "  "); err == nil {
		t.Error("Set accepted an empty token")
	}
	for _, name := range []string{"../x", "a/b", ".hidden", strings.Repeat("p", 65), "sp ace"} {
		if err := k.Set(name, "tok-12345678"); err == nil {
			t.Errorf("Set accepted profile name %q", name)
		}
	}
}

func TestKeyringErrorIsUnavailableWithRemedies(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	defer keyring.MockInit()
	k := NewKeyring(time.Second)
	_, err := k.Get("default")
	var ue *KeyringUnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("Get error = %T %v, want *KeyringUnavailableError", err, err)
	}
	if errors.Is(err, ErrNotFound) || ue.TimedOut || ue.Op != "get" {
		t.Errorf("unexpected classification: %+v", ue)
	}
	msg := err.Error()
	for _, want := range []string{"ServiceUnknown", "gnome-keyring", "KeePassXC", "CLOUDFLARE_API_TOKEN", "--insecure-storage"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if err := k.Set("default", "tok-12345678"); !errors.As(err, &ue) || ue.Op != "set" {
		t.Errorf("Set error = %v", err)
	}
	if err := k.Delete("default"); !errors.As(err, &ue) || ue.Op != "delete" {
		t.Errorf("Delete error = %v", err)
	}
}

func TestKeyringTimeout(t *testing.T) {
	k := osKeyring{timeout: 20 * time.Millisecond}
	release := make(chan struct{})
	defer close(release)
	err := k.run("get", func() error { <-release; return nil })
	var ue *KeyringUnavailableError
	if !errors.As(err, &ue) || !ue.TimedOut {
		t.Fatalf("blocked call: %v, want timed-out KeyringUnavailableError", err)
	}
	if !strings.Contains(err.Error(), "did not answer within 20ms") || !strings.Contains(err.Error(), "CLOUDFLARE_API_TOKEN") {
		t.Errorf("timeout message: %s", err)
	}
	// mapping of the library's not-found
	if err := k.run("get", func() error { return fmt.Errorf("wrapped: %w", keyring.ErrNotFound) }); !errors.Is(err, ErrNotFound) {
		t.Errorf("not-found mapped to %v", err)
	}
}

func TestFileSecrets(t *testing.T) {
	cfg := t.TempDir()
	dir := CredentialsDir(cfg)
	fs := NewFileSecrets(dir)
	if _, err := fs.Get("default"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v", err)
	}
	if err := fs.Set("default", "tok-file-0001"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, "default"), 0o600)
	if got, err := fs.Get(""); err != nil || got != "tok-file-0001" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := fs.Set("default", "tok-file-0002"); err != nil {
		t.Fatal(err)
	}
	if got, _ := fs.Get("default"); got != "tok-file-0002" {
		t.Fatalf("after overwrite: %q", got)
	}
	// never inside config.json
	if _, err := os.Stat(filepath.Join(cfg, ConfigFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file secrets created config.json")
	}
	// a file others can read is refused, not used
	os.Chmod(filepath.Join(dir, "default"), 0o644)
	if _, err := fs.Get("default"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("Get on a 0644 file: %v", err)
	}
	os.Chmod(filepath.Join(dir, "default"), 0o600)
	if err := fs.Set("../escape", "tok-file-0003"); err == nil {
		t.Error("profile name with .. accepted")
	}
	if _, err := os.Stat(filepath.Join(cfg, "escape")); err == nil {
		t.Error("file written outside the credentials dir")
	}
	if err := fs.Delete("default"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Delete("default"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v", err)
	}
	if !strings.Contains(InsecureStorageWarning, "0600") || !strings.Contains(InsecureStorageWarning, "plain text") {
		t.Errorf("warning does not say what happens: %s", InsecureStorageWarning)
	}
}

// TestKeyringUnavailableNoBus uses the real go-keyring in a child process
// (the D-Bus session connection is cached per process) with the session
// bus pointed at a socket that does not exist: a quick, classified error.
func TestKeyringUnavailableNoBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Secret Service (D-Bus) test: Linux only")
	}
	out := runHelper(t, "TestHelperKeyringGet", helperEnv+"=keyring-get",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-such-bus"))
	if !strings.Contains(out, "RESULT unavailable timedout=false") {
		t.Errorf("want an immediate unavailable error, got:\n%s", out)
	}
}

// TestKeyringHungBus points the child's session bus at a socket that
// accepts connections and never answers, as a hung Secret Service would:
// the call must give up at the timeout.
func TestKeyringHungBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Secret Service (D-Bus) test: Linux only")
	}
	sock := filepath.Join(t.TempDir(), "hung-bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // never read, never answer
		}
	}()
	out := runHelper(t, "TestHelperKeyringGet", helperEnv+"=keyring-get", "DBUS_SESSION_BUS_ADDRESS=unix:path="+sock)
	if !strings.Contains(out, "RESULT unavailable timedout=true") {
		t.Errorf("want a timeout, got:\n%s", out)
	}
}

func TestHelperKeyringGet(t *testing.T) {
	if os.Getenv(helperEnv) != "keyring-get" {
		t.Skip("helper for TestKeyringUnavailableNoBus/TestKeyringHungBus")
	}
	timeout := 500 * time.Millisecond
	if v, err := time.ParseDuration(os.Getenv(helperTimeoutEnv)); err == nil {
		timeout = v
	}
	_, err := NewKeyring(timeout).Get("default")
	var ue *KeyringUnavailableError
	switch {
	case errors.As(err, &ue):
		fmt.Printf("RESULT unavailable timedout=%v\n%v\n", ue.TimedOut, err)
	default:
		fmt.Printf("RESULT other %v\n", err)
	}
}

// TestRealKeyring runs against a real Secret Service (REAL_KEYRING=1, set
// by ../shared/tools/with-keyring). It runs in a child process because
// other tests install go-keyring's mock for the whole process.
func TestRealKeyring(t *testing.T) {
	if os.Getenv("REAL_KEYRING") != "1" {
		t.Skip("REAL_KEYRING=1 not set: run `../shared/tools/with-keyring go test -race -run RealKeyring ./store/` for the real OS keyring")
	}
	out := runHelper(t, "TestHelperRealKeyring", helperEnv+"=real-keyring")
	t.Log(out)
}

func TestHelperRealKeyring(t *testing.T) {
	if os.Getenv(helperEnv) != "real-keyring" {
		t.Skip("helper for TestRealKeyring")
	}
	k := NewKeyring(10 * time.Second)
	profile := fmt.Sprintf("store-test-%d", os.Getpid())
	t.Cleanup(func() { k.Delete(profile) })

	if _, err := k.Get(profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a new profile: %v, want ErrNotFound", err)
	}
	if err := k.Set(profile, "real-token-0001"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := k.Get(profile); err != nil || got != "real-token-0001" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Set(profile, "real-token-0002"); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if got, err := k.Get(profile); err != nil || got != "real-token-0002" {
		t.Fatalf("Get after overwrite = %q, %v", got, err)
	}
	if err := k.Delete(profile); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := k.Delete(profile); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete of a missing entry: %v", err)
	}
}

// realKeyringEntry reads what the Secret Service holds for the profile
// with libsecret's secret-tool, a reader independent of go-keyring.
func realKeyringEntry(t *testing.T, profile string) (string, bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", AppName, "username", profile).Output()
	if err != nil {
		return "", false // secret-tool exits 1 when nothing matches
	}
	return string(out), true
}

// TestRealKeyringLayout checks, with secret-tool, that the entry lives
// under service "cftriage" and user = profile name, which is what other
// tools (seahorse, secret-tool, scripts) see.
func TestRealKeyringLayout(t *testing.T) {
	if os.Getenv("REAL_KEYRING") != "1" {
		t.Skip("REAL_KEYRING=1 not set: run `../shared/tools/with-keyring go test -race -run RealKeyring ./store/` for the real OS keyring")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatal("REAL_KEYRING=1 but secret-tool (libsecret-tools) is not installed; with-keyring installs it")
	}
	out := runHelper(t, "TestHelperRealKeyringLayout", helperEnv+"=real-keyring-layout")
	t.Log(out)
}

func TestHelperRealKeyringLayout(t *testing.T) {
	if os.Getenv(helperEnv) != "real-keyring-layout" {
		t.Skip("helper for TestRealKeyringLayout")
	}
	k := NewKeyring(10 * time.Second)
	profile := fmt.Sprintf("store-layout-%d", os.Getpid())
	t.Cleanup(func() { k.Delete(profile) })
	if err := k.Set(profile, "real-layout-token-0001"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, ok := realKeyringEntry(t, profile); !ok || got != "real-layout-token-0001" {
		t.Fatalf("secret-tool lookup service %s username %s = %q, %v", AppName, profile, got, ok)
	}
	if err := k.Delete(profile); err != nil {
		t.Fatal(err)
	}
	if _, ok := realKeyringEntry(t, profile); ok {
		t.Fatal("entry still visible to secret-tool after Delete")
	}
}

// TestRealKeyringUnavailable covers the unavailable case next to the
// real keyring: no session bus at all, and a session bus on which no
// Secret Service is running (a private dbus-daemon without service
// files, so nothing can be D-Bus-activated). Both must come back as a
// KeyringUnavailableError that answered (not a timeout), with remedies.
func TestRealKeyringUnavailable(t *testing.T) {
	if os.Getenv("REAL_KEYRING") != "1" {
		t.Skip("REAL_KEYRING=1 not set: run `../shared/tools/with-keyring go test -race -run RealKeyring ./store/` for the real OS keyring")
	}
	if runtime.GOOS != "linux" {
		t.Skip("Secret Service (D-Bus) test: Linux only")
	}
	// A generous timeout: the point is that the error is an answer, not
	// that it beats a clock on a loaded machine.
	const patient = helperTimeoutEnv + "=20s"
	t.Run("no bus", func(t *testing.T) {
		out := runHelper(t, "TestHelperKeyringGet", helperEnv+"=keyring-get", patient,
			"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-such-bus"))
		checkUnavailableAnswer(t, out)
	})
	t.Run("no secret service", func(t *testing.T) {
		addr := startPrivateBus(t)
		out := runHelper(t, "TestHelperKeyringGet", helperEnv+"=keyring-get", patient, "DBUS_SESSION_BUS_ADDRESS="+addr)
		checkUnavailableAnswer(t, out)
		if !strings.Contains(out, "org.freedesktop.secrets") && !strings.Contains(out, "ServiceUnknown") {
			t.Errorf("the error does not say the Secret Service is missing:\n%s", out)
		}
	})
}

func checkUnavailableAnswer(t *testing.T, out string) {
	t.Helper()
	t.Log(out)
	if !strings.Contains(out, "RESULT unavailable timedout=false") {
		t.Fatalf("want an immediate unavailable error, got:\n%s", out)
	}
	for _, want := range []string{"gnome-keyring", "CLOUDFLARE_API_TOKEN", "--insecure-storage"} {
		if !strings.Contains(out, want) {
			t.Errorf("message lacks the remedy %q:\n%s", want, out)
		}
	}
}

// startPrivateBus runs a session dbus-daemon with no service directories
// and returns its address; it is stopped when the test ends.
func startPrivateBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Fatal("REAL_KEYRING=1 but dbus-daemon is not installed; with-keyring installs it")
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "bus")
	cfg := filepath.Join(dir, "bus.conf")
	conf := `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + sock + `</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+cfg, "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// The address is printed once the bus listens.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}
