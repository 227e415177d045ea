package cli

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/net/dns/dnsmessage"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// Tests for the parts of issue 6 the first auth tests did not reach:
// account-owned tokens, inactive tokens, an unavailable keyring at
// login and logout, the resolution order as status reports it, and the
// proxy environment.

const (
	acctToken     = "account-owned-token-0123456789abcdef0123"
	expiredToken  = "expired-token-0123456789abcdef012345678"
	disabledToken = "disabled-token-0123456789abcdef01234567"
)

func configDir() string { return filepath.Join(os.Getenv("XDG_CONFIG_HOME"), store.AppName) }

func TestAuthLoginAccountToken(t *testing.T) {
	f := newFixture(t, sim.Options{Tokens: map[string]sim.TokenSpec{
		acctToken: {Kind: "account", Perms: sim.AllPermissions, ExpiresOn: "2030-01-01T00:00:00Z"},
	}})
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")

	// Without an account id only the user endpoint can be asked, and it
	// refuses an account token: the error says what to do.
	r := f.run(t, acctToken+"\n", "auth", "login", "--with-token")
	if r.code != ExitConfig || !strings.Contains(r.stderr, "--account-id") || !strings.Contains(r.stderr, "account-owned") {
		t.Fatalf("account token without account id: exit %d %q", r.code, r.stderr)
	}
	if _, err := keyring.Get(store.AppName, store.DefaultProfile); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("a token that did not verify was stored")
	}
	if f.sim.Count(sim.OpAccountVerify) != 0 {
		t.Fatal("the account endpoint was asked without an account id")
	}

	// With --account-id: user endpoint, then account endpoint; the kind
	// and expiry are shown; the account cannot be listed, the flag's is used.
	r = f.run(t, acctToken+"\n", "auth", "login", "--with-token", "--account-id", sim.DemoAccountID)
	if r.code != 0 {
		t.Fatalf("login: exit %d %q", r.code, r.stderr)
	}
	if f.sim.Count(sim.OpUserVerify) != 2 || f.sim.Count(sim.OpAccountVerify) != 1 {
		t.Errorf("verify calls: user %d, account %d", f.sim.Count(sim.OpUserVerify), f.sim.Count(sim.OpAccountVerify))
	}
	if !strings.Contains(r.stderr, "account token") || !strings.Contains(r.stderr, "expires 2030-01-01T00:00:00Z") {
		t.Errorf("verify summary: %q", r.stderr)
	}
	if got, _ := keyring.Get(store.AppName, store.DefaultProfile); got != acctToken {
		t.Fatal("account token not stored")
	}
	cfg, err := store.LoadConfig(configDir())
	if err != nil || cfg.Profile("").AccountID != sim.DemoAccountID || cfg.Profile("").TokenID == "" {
		t.Fatalf("config: %+v %v", cfg.Profile(""), err)
	}

	// CLOUDFLARE_ACCOUNT_ID serves as well: the token verified under it,
	// so it is the account, though /accounts cannot list it.
	t.Setenv(store.EnvAccountID, sim.DemoAccountID)
	if r := f.run(t, acctToken+"\n", "auth", "login", "--with-token", "--profile", "acct"); r.code != 0 {
		t.Fatalf("login with the account from the environment: exit %d %q", r.code, r.stderr)
	}
	t.Setenv(store.EnvAccountID, "")
	r = f.run(t, "", "auth", "status", "--profile", "acct", "--json")
	var st statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 0 {
		t.Fatalf("status: exit %d %v %q %q", r.code, err, r.stdout, r.stderr)
	}
	if st.TokenKind != "account" || st.TokenSource != "keyring" || st.AccountSource != "config" || st.ExpiresOn != "2030-01-01T00:00:00Z" {
		t.Errorf("status: %+v", st)
	}
	for _, c := range st.Capabilities[:3] {
		if c.OK == nil || !*c.OK {
			t.Errorf("capability %s: %+v", c.Name, c)
		}
	}
}

func TestAuthLoginInactiveToken(t *testing.T) {
	f := newFixture(t, sim.Options{Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
		Tokens: map[string]sim.TokenSpec{
			expiredToken:  {Perms: sim.AllPermissions, ExpiresOn: "2026-01-01T00:00:00Z"},
			disabledToken: {Perms: sim.AllPermissions, Status: "disabled"},
		}})
	t.Setenv(store.EnvToken, "")
	for tok, want := range map[string]string{expiredToken: "expired", disabledToken: "disabled"} {
		r := f.run(t, tok+"\n", "auth", "login", "--with-token")
		// Judged by the returned status, not by the HTTP success.
		if r.code != ExitConfig || !strings.Contains(r.stderr, "the token is "+want+", not active; nothing stored") {
			t.Errorf("%s token: exit %d %q", want, r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, tok) {
			t.Errorf("%s token printed", want)
		}
	}
	if _, err := keyring.Get(store.AppName, store.DefaultProfile); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("an inactive token was stored")
	}
	if _, err := os.Stat(filepath.Join(configDir(), store.ConfigFile)); !os.IsNotExist(err) {
		t.Fatalf("config written for an inactive token: %v", err)
	}
}

// TestAuthKeyringUnavailable: login refuses with the remedies and never
// falls back to a file on its own; --insecure-storage works and warns;
// a file profile can be used and logged out while the keyring is broken.
func TestAuthKeyringUnavailable(t *testing.T) {
	f := newFixture(t, sim.Options{})
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	t.Cleanup(keyring.MockInit)
	t.Setenv(store.EnvToken, "")

	r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token")
	if r.code != ExitConfig {
		t.Fatalf("login with a broken keyring: exit %d %q", r.code, r.stderr)
	}
	for _, want := range []string{"keyring", "ServiceUnknown", "gnome-keyring", "CLOUDFLARE_API_TOKEN", "--insecure-storage"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error lacks %q: %q", want, r.stderr)
		}
	}
	if _, err := os.Stat(store.CredentialsDir(configDir())); !os.IsNotExist(err) {
		t.Fatal("the token went to a file without --insecure-storage")
	}
	if _, err := os.Stat(filepath.Join(configDir(), store.ConfigFile)); !os.IsNotExist(err) {
		t.Fatal("config written although the token could not be stored")
	}

	// A lookup with nothing stored explains the keyring too.
	r = f.run(t, "", "ip", sim.IPRiskyC2)
	if r.code != ExitConfig || !strings.Contains(r.stderr, "--insecure-storage") {
		t.Fatalf("lookup: exit %d %q", r.code, r.stderr)
	}

	r = f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token", "--insecure-storage")
	if r.code != 0 || !strings.Contains(r.stderr, store.InsecureStorageWarning) {
		t.Fatalf("--insecure-storage: exit %d %q", r.code, r.stderr)
	}
	if r := f.run(t, "", "ip", sim.IPRiskyC2, "--json"); r.code != 0 {
		t.Fatalf("lookup with the file token: exit %d %q", r.code, r.stderr)
	}
	r = f.run(t, "", "auth", "logout", "--all")
	if r.code != 0 || !strings.Contains(r.stdout, "Removed the stored token") || !strings.Contains(r.stderr, "could not check the OS keyring") {
		t.Fatalf("logout of a file profile: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(store.CredentialsDir(configDir()), store.DefaultProfile)); !os.IsNotExist(err) {
		t.Fatal("token file left behind")
	}
	if cfg, _ := store.LoadConfig(configDir()); cfg.Profile("") != nil {
		t.Fatal("--all left the profile in the config")
	}

	// A keyring profile cannot be logged out while the keyring is broken:
	// that is an error, and the profile stays in the config.
	keyring.MockInit()
	if r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token", "--profile", "kr"); r.code != 0 {
		t.Fatalf("login: exit %d %q", r.code, r.stderr)
	}
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	r = f.run(t, "", "auth", "logout", "--all", "--profile", "kr")
	if r.code != ExitConfig || !strings.Contains(r.stderr, "could not be removed") || !strings.Contains(r.stderr, "--insecure-storage") {
		t.Fatalf("logout with a broken keyring: exit %d %q", r.code, r.stderr)
	}
	if cfg, _ := store.LoadConfig(configDir()); cfg.Profile("kr") == nil {
		t.Fatal("profile removed from the config although its token may remain")
	}
}

// TestAuthStatusResolutionOrder: flags, then the environment, then the
// profile's keyring entry and config, as auth status reports them.
func TestAuthStatusResolutionOrder(t *testing.T) {
	const otherAccount = "0123456789abcdef0123456789abcdef"
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")
	if r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token"); r.code != 0 {
		t.Fatalf("login: exit %d %q", r.code, r.stderr)
	}
	status := func(args ...string) statusJSON {
		t.Helper()
		r := f.run(t, "", append([]string{"auth", "status", "--json"}, args...)...)
		var st statusJSON
		if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
			t.Fatalf("status %v: %v %q %q", args, err, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, sim.DemoToken) {
			t.Fatal("status printed the token")
		}
		return st
	}
	if st := status(); st.TokenSource != "keyring" || st.AccountSource != "config" || st.AccountID != sim.DemoAccountID {
		t.Errorf("stored only: %+v", st)
	}
	t.Setenv(store.EnvToken, sim.DemoToken)
	t.Setenv(store.EnvAccountID, otherAccount)
	if st := status(); st.TokenSource != "env" || st.AccountSource != "env" || st.AccountID != otherAccount {
		t.Errorf("environment over the profile: %+v", st)
	}
	if st := status("--account-id", sim.DemoAccountID); st.AccountSource != "flag" || st.AccountID != sim.DemoAccountID {
		t.Errorf("flag over the environment: %+v", st)
	}
	// Another profile sees neither the default's keyring entry nor its account.
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")
	if st := status("--profile", "other"); st.TokenSource != "none" || st.AccountID != "" || st.Profile != "other" {
		t.Errorf("other profile: %+v", st)
	}
}

// TestConsoleSessionWithoutAccount: a token without any account id
// gives the console no client and says why (the first-run screen shows
// it); a stored account id without a token is passed on for the
// first-run screen's account-owned tokens.
func TestConsoleSessionWithoutAccount(t *testing.T) {
	f := newFixture(t, sim.Options{})
	_ = f
	e := &env{streams: &streams{stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &strings.Builder{}, isTerminal: func() bool { return false }}}
	t.Setenv(store.EnvAccountID, "")
	s, err := e.connect(t.Context(), false)
	if err != nil || s.Client != nil || s.CredentialErr == nil || !strings.Contains(s.CredentialErr.Error(), "no account id") {
		t.Fatalf("token without account: %+v %v", s, err)
	}
	if strings.Contains(s.CredentialErr.Error(), sim.DemoToken) {
		t.Fatal("the reason quotes the token")
	}
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, sim.DemoAccountID)
	s, err = e.connect(t.Context(), false)
	if err != nil || s.Client != nil || s.CredentialErr != nil || s.AccountID != sim.DemoAccountID {
		t.Fatalf("account without token: %+v %v", s, err)
	}
}

// proxyHost is a name under .invalid: it never resolves, so a request
// reaches it only through the proxy, or (in the NO_PROXY case) through
// the child's in-process resolver, which knows this one name.
const proxyHost = "api.cftriage-proxy-test.invalid"

// TestProxyEnvironment checks that the client honours HTTPS_PROXY and
// NO_PROXY. net/http reads them once per process, so each case runs the
// command in a child process with its own environment.
func TestProxyEnvironment(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var seen []string
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				mu.Lock()
				seen = append(seen, req.Method+" "+req.Host+" auth="+fmt.Sprint(req.Header.Get("Authorization") != ""))
				mu.Unlock()
				fmt.Fprint(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}(c)
		}
	}()
	proxy := "http://" + ln.Addr().String()

	// direct stands in for the API when NO_PROXY sends the child past the
	// proxy: it records the first byte of each connection (0x16 opens a
	// TLS handshake) and hangs up, so the child fails fast after trying.
	direct, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	var directSeen []byte
	go func() {
		for {
			c, err := direct.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				var b [1]byte
				if _, err := io.ReadFull(c, b[:]); err != nil {
					return
				}
				// Recorded before the hang-up the child waits for, so
				// it is in place when the child exits.
				mu.Lock()
				directSeen = append(directSeen, b[0])
				mu.Unlock()
			}(c)
		}
	}()
	_, directPort, err := net.SplitHostPort(direct.Addr().String())
	if err != nil {
		t.Fatal(err)
	}

	child := func(noProxy, baseURL string, extra ...string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProxyChild$", "-test.count=1", "-test.v")
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch strings.ToUpper(k) {
			case "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY", "REQUEST_METHOD", "CLI_HELPER_RESOLVE":
				continue
			}
			cmd.Env = append(cmd.Env, kv)
		}
		cmd.Env = append(cmd.Env, "CLI_HELPER=proxy",
			"HTTPS_PROXY="+proxy, "https_proxy="+proxy, "NO_PROXY="+noProxy, "no_proxy="+noProxy,
			"XDG_CONFIG_HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir(),
			store.EnvToken+"="+sim.DemoToken, store.EnvAccountID+"="+sim.DemoAccountID,
			store.EnvBaseURL+"="+baseURL)
		cmd.Env = append(cmd.Env, extra...)
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), "--- PASS: TestHelperProxyChild") {
			t.Fatalf("child did not run:\n%s", out)
		}
		if strings.Contains(string(out), sim.DemoToken) {
			t.Fatalf("the token was printed:\n%s", out)
		}
		return string(out)
	}
	snapshot := func() ([]string, []byte) {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...), append([]byte(nil), directSeen...)
	}

	out := child("", "https://"+proxyHost+"/client/v4")
	got, _ := snapshot()
	if len(got) == 0 || got[0] != "CONNECT "+proxyHost+":443 auth=false" {
		t.Fatalf("HTTPS_PROXY: proxy saw %q\nchild:\n%s", got, out)
	}

	// NO_PROXY names the API host: the child must connect to it directly.
	// Its resolver maps proxyHost to 127.0.0.1 in process (and refuses
	// every other name), so the direct connection lands on the local
	// listener without DNS or network.
	n := len(got)
	out = child(proxyHost, "https://"+net.JoinHostPort(proxyHost, directPort)+"/client/v4", "CLI_HELPER_RESOLVE=127.0.0.1")
	got, dseen := snapshot()
	if len(got) != n {
		t.Fatalf("NO_PROXY=%s: the proxy was still used: %q\nchild:\n%s", proxyHost, got[n:], out)
	}
	if len(dseen) == 0 || dseen[0] != 0x16 {
		t.Fatalf("NO_PROXY=%s: no direct TLS connection reached the API host (first bytes %x)\nchild:\n%s", proxyHost, dseen, out)
	}
}

// TestHelperProxyChild runs `auth status` with the environment its
// parent set; it only reports. With CLI_HELPER_RESOLVE set, proxyHost
// resolves to that IPv4 address in process and nothing else resolves.
func TestHelperProxyChild(t *testing.T) {
	if os.Getenv("CLI_HELPER") != "proxy" {
		t.Skip("helper for TestProxyEnvironment")
	}
	if ip := os.Getenv("CLI_HELPER_RESOLVE"); ip != "" {
		addr, err := netip.ParseAddr(ip)
		if err != nil || !addr.Is4() {
			t.Fatalf("CLI_HELPER_RESOLVE=%q: want an IPv4 address", ip)
		}
		net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
			c, s := net.Pipe()
			go serveFakeDNS(s, proxyHost, addr.As4())
			return c, nil
		}}
	}
	clientConfigHook = func(c *cloudflare.Config) { c.BackoffBase = time.Millisecond; c.MaxRetries = -1 }
	var out, errb strings.Builder
	code := Main([]string{"auth", "status", "--timeout", "5s"}, strings.NewReader(""), &out, &errb)
	t.Logf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
}

// serveFakeDNS answers DNS over a stream connection (2-byte length
// prefix, as the Go resolver speaks to a conn that is not a PacketConn):
// host gets an A record for ip, every other name NXDOMAIN.
func serveFakeDNS(c net.Conn, host string, ip [4]byte) {
	defer c.Close()
	for {
		var l [2]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(l[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		var p dnsmessage.Parser
		h, err := p.Start(q)
		if err != nil {
			return
		}
		question, err := p.Question()
		if err != nil {
			return
		}
		resp := dnsmessage.Message{
			Header:    dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true},
			Questions: []dnsmessage.Question{question},
		}
		switch {
		case !strings.EqualFold(strings.TrimSuffix(question.Name.String(), "."), host):
			resp.Header.RCode = dnsmessage.RCodeNameError
		case question.Type == dnsmessage.TypeA:
			resp.Answers = []dnsmessage.Resource{{
				Header: dnsmessage.ResourceHeader{Name: question.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60},
				Body:   &dnsmessage.AResource{A: ip},
			}}
		}
		b, err := resp.Pack()
		if err != nil {
			return
		}
		binary.BigEndian.PutUint16(l[:], uint16(len(b)))
		if _, err := c.Write(append(l[:], b...)); err != nil {
			return
		}
	}
}

// TestAuthStatusErrorPrintedOnce: the reason status fails is on stderr
// exactly once (it used to be printed by the status and again on exit).
func TestAuthStatusErrorPrintedOnce(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "not-a-known-token-0123456789abcdef")
	r := f.run(t, "", "auth", "status")
	if r.code == 0 || strings.Count(r.stderr, "token verify failed") != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	t.Setenv(store.EnvToken, "")
	r = f.run(t, "", "auth", "status")
	if r.code != ExitConfig || strings.Count(r.stderr, "no API token") != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestRealKeyringAuthFlow runs auth login, a lookup, status and logout
// against a real Secret Service (REAL_KEYRING=1, set by
// ../shared/tools/with-keyring). It runs in a child process: the other
// tests install go-keyring's mock for the whole process.
func TestRealKeyringAuthFlow(t *testing.T) {
	if os.Getenv("REAL_KEYRING") != "1" {
		t.Skip("REAL_KEYRING=1 not set: run `../shared/tools/with-keyring go test -race -run RealKeyring ./cli/ ./store/` for the real OS keyring")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRealKeyringAuthFlow$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "CLI_HELPER=real-keyring")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHelperRealKeyringAuthFlow") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestHelperRealKeyringAuthFlow(t *testing.T) {
	if os.Getenv("CLI_HELPER") != "real-keyring" {
		t.Skip("helper for TestRealKeyringAuthFlow")
	}
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")
	t.Setenv(store.EnvBaseURL, srv.URL+sim.BasePath)
	profile := fmt.Sprintf("cli-test-%d", os.Getpid())
	kr := store.NewKeyring(10 * time.Second)
	t.Cleanup(func() { kr.Delete(profile) })
	run := func(stdin string, args ...string) result {
		var out, errb strings.Builder
		code := Main(append(args, "--profile", profile), strings.NewReader(stdin), &out, &errb)
		if strings.Contains(out.String()+errb.String(), sim.DemoToken) {
			t.Fatalf("%v printed the token", args)
		}
		return result{code, out.String(), errb.String()}
	}
	if r := run(sim.DemoToken+"\n", "auth", "login", "--with-token"); r.code != 0 {
		t.Fatalf("login: %d %q", r.code, r.stderr)
	}
	if got, err := kr.Get(profile); err != nil || got != sim.DemoToken {
		t.Fatalf("real keyring holds %q, %v", got, err)
	}
	if r := run("", "ip", sim.IPRiskyC2, "--json"); r.code != 0 {
		t.Fatalf("lookup: %d %q", r.code, r.stderr)
	}
	if r := run("", "auth", "status"); r.code != 0 || !strings.Contains(r.stdout, "OS keyring") {
		t.Fatalf("status: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run("", "auth", "logout", "--all"); r.code != 0 {
		t.Fatalf("logout: %d %q", r.code, r.stderr)
	}
	if _, err := kr.Get(profile); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after logout: %v", err)
	}
}

// TestAuthLoginRemembersBaseURLFlag: --base-url at login is kept by the
// profile; CLOUDFLARE_BASE_URL is not (it belongs to the environment).
func TestAuthLoginRemembersBaseURLFlag(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	if r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token"); r.code != 0 {
		t.Fatalf("login: %d %q", r.code, r.stderr)
	}
	if cfg, _ := store.LoadConfig(configDir()); cfg.Profile("").BaseURL != "" {
		t.Fatalf("the environment's base URL was stored: %+v", cfg.Profile(""))
	}
	t.Setenv(store.EnvBaseURL, "")
	if r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token", "--profile", "sim", "--base-url", f.base); r.code != 0 {
		t.Fatalf("login: %d %q", r.code, r.stderr)
	}
	if cfg, _ := store.LoadConfig(configDir()); cfg.Profile("sim").BaseURL != f.base {
		t.Fatalf("profile: %+v", cfg.Profile("sim"))
	}
	// Without flag or environment, the profile's base URL is used.
	before := f.sim.Total()
	if r := f.run(t, "", "ip", sim.IPRiskyC2, "--profile", "sim"); r.code != 0 || f.sim.Total() == before {
		t.Fatalf("lookup through the profile's base URL: %d %q", r.code, r.stderr)
	}
}

// TestConsoleSessionKeyringOutageKeepsItsType: the console's first-run
// screen tells a keyring outage from a missing token by the error's type,
// so the session must carry the keyring error itself, not a copy of its text.
func TestConsoleSessionKeyringOutageKeepsItsType(t *testing.T) {
	f := newFixture(t, sim.Options{})
	_ = f
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	t.Cleanup(keyring.MockInit)
	e := &env{streams: &streams{stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &strings.Builder{}, isTerminal: func() bool { return false }}}
	s, err := e.connect(t.Context(), false)
	if err != nil || s.Client != nil || s.CredentialErr == nil {
		t.Fatalf("keyring outage: %+v %v", s, err)
	}
	var ku *store.KeyringUnavailableError
	if !errors.As(s.CredentialErr, &ku) {
		t.Fatalf("the session's error lost its type: %T %v", s.CredentialErr, s.CredentialErr)
	}
}
