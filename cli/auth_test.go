package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

func configFile(t *testing.T) string {
	return filepath.Join(os.Getenv("XDG_CONFIG_HOME"), store.AppName, store.ConfigFile)
}

func TestAuthLoginStatusLogout(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")

	r := f.run(t, sim.DemoToken+"\n", "auth", "login", "--with-token")
	if r.code != 0 {
		t.Fatalf("login: exit %d %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, sim.DemoToken) {
		t.Fatal("login printed the token")
	}
	if !strings.Contains(r.stdout, store.MaskToken(sim.DemoToken)) || !strings.Contains(r.stdout, sim.DemoAccountID) {
		t.Errorf("login output: %q", r.stdout)
	}
	if got, err := keyring.Get(store.AppName, store.DefaultProfile); err != nil || got != sim.DemoToken {
		t.Fatalf("keyring holds %q, %v", got, err)
	}
	b, err := os.ReadFile(configFile(t))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), sim.DemoToken) || !strings.Contains(string(b), sim.DemoAccountID) {
		t.Fatalf("config: %s", b)
	}
	if fi, _ := os.Stat(configFile(t)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("config mode %v", fi.Mode().Perm())
	}

	// The stored credentials work without any environment token.
	if r := f.run(t, "", "ip", sim.IPRiskyC2, "--json"); r.code != 0 {
		t.Fatalf("lookup with keyring credentials: exit %d %q", r.code, r.stderr)
	}

	r = f.run(t, "", "auth", "status")
	if r.code != 0 {
		t.Fatalf("status: exit %d %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, sim.DemoToken) || !strings.Contains(r.stdout, "OS keyring") || !strings.Contains(r.stdout, "profile config") {
		t.Errorf("status output: %s", r.stdout)
	}
	if strings.Count(r.stdout, "✓") != 3 || !strings.Contains(r.stdout, "untested — needs Zero Trust Write") {
		t.Errorf("capabilities: %s", r.stdout)
	}

	r = f.run(t, "", "auth", "logout", "--all")
	if r.code != 0 {
		t.Fatalf("logout: exit %d %q", r.code, r.stderr)
	}
	if _, err := keyring.Get(store.AppName, store.DefaultProfile); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring entry still there: %v", err)
	}
	cfg, err := store.LoadConfig(filepath.Dir(configFile(t)))
	if err != nil || cfg.Profile(store.DefaultProfile) != nil {
		t.Fatalf("profile still in config: %v", err)
	}
	if r := f.run(t, "", "ip", sim.IPRiskyC2); r.code != ExitConfig {
		t.Fatalf("after logout: exit %d", r.code)
	}
}

func TestAuthLoginProfileAndInsecure(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	r := f.run(t, sim.DemoToken, "auth", "login", "--with-token", "--insecure-storage", "--profile", "lab", "--account-id", sim.DemoAccountID)
	if r.code != 0 {
		t.Fatalf("login: exit %d %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "WARNING: --insecure-storage") {
		t.Errorf("no insecure-storage warning: %q", r.stderr)
	}
	if _, err := keyring.Get(store.AppName, "lab"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("--insecure-storage also wrote the keyring")
	}
	p := filepath.Join(store.CredentialsDir(filepath.Dir(configFile(t))), "lab")
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", err, fi)
	}
	// Only that profile has the token.
	if r := f.run(t, "", "ip", sim.IPRiskyC2); r.code != ExitConfig {
		t.Fatalf("default profile: exit %d", r.code)
	}
	r = f.run(t, "", "auth", "status", "--profile", "lab")
	if r.code != 0 || !strings.Contains(r.stdout, "credentials file") {
		t.Fatalf("status: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := f.run(t, "", "auth", "logout", "--profile", "lab"); r.code != 0 {
		t.Fatalf("logout: %d", r.code)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatal("credentials file not removed")
	}
}

func TestAuthLoginRejectsBadToken(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	r := f.run(t, "not-the-right-token-0000000000\n", "auth", "login", "--with-token")
	if r.code != ExitConfig || !strings.Contains(r.stderr, "did not verify") {
		t.Fatalf("bad token: exit %d %q", r.code, r.stderr)
	}
	if _, err := keyring.Get(store.AppName, store.DefaultProfile); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("a rejected token was stored")
	}
	// Without --with-token and without a terminal there is no way to ask.
	if r := f.run(t, "", "auth", "login"); r.code != ExitUsage {
		t.Fatalf("login without terminal: exit %d", r.code)
	}
	// Hidden input on a terminal.
	if r := f.runTerminal(t, sim.DemoToken, "auth", "login"); r.code != 0 || strings.Contains(r.stdout+r.stderr, sim.DemoToken) {
		t.Fatalf("terminal login: exit %d %q", r.code, r.stderr)
	}
}

func TestAuthStatusNamesMissingPermission(t *testing.T) {
	const limited = "limited-token-0123456789abcdef0123456789"
	f := newFixture(t, sim.Options{Tokens: map[string]sim.TokenSpec{
		limited: {Perms: []sim.Permission{sim.PermIntelRead, sim.PermAccessUsersRead, sim.PermAccountsRead}},
	}})
	t.Setenv(store.EnvToken, limited)
	r := f.run(t, "", "auth", "status")
	if r.code != 0 {
		t.Fatalf("status: exit %d %q", r.code, r.stderr)
	}
	var riskLine string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.Contains(l, "risk read") {
			riskLine = l
		}
	}
	if !strings.Contains(riskLine, "✗") || !strings.Contains(riskLine, cloudflare.PermZeroTrustPIIRead) {
		t.Fatalf("risk read line %q in:\n%s", riskLine, r.stdout)
	}
	if strings.Count(r.stdout, "✓") != 2 || !strings.Contains(r.stdout, "environment") {
		t.Errorf("status:\n%s", r.stdout)
	}

	r = f.run(t, "", "auth", "status", "--json")
	var st statusJSON
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v %q", err, r.stdout)
	}
	if st.TokenID == "" || st.Status != "active" || len(st.Capabilities) != 4 || *st.Capabilities[2].OK || st.Capabilities[3].OK != nil {
		t.Fatalf("status json: %+v", st)
	}
	if strings.Contains(r.stdout, limited) {
		t.Fatal("status printed the token")
	}
}

func TestAuthStatusWithoutToken(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	r := f.run(t, "", "auth", "status")
	if r.code != ExitConfig || !strings.Contains(r.stdout, "token:    none") || f.sim.Total() != 0 {
		t.Fatalf("exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestPickAccount covers the numbered choice, which the one-account
// simulator cannot show.
func TestPickAccount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":[` +
			`{"id":"11111111111111111111111111111111","name":"First","type":"standard"},` +
			`{"id":"22222222222222222222222222222222","name":"Second \u001b[2J","type":"standard"}],` +
			`"result_info":{"page":1,"per_page":50,"count":2,"total_count":2,"total_pages":1}}`))
	}))
	defer srv.Close()
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + "/client/v4", Token: "tok-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	accts, _, err := c.ListAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v := &actions.VerifiedToken{Status: cloudflare.TokenStatus{Kind: "user", Status: "active"}, Client: c, Accounts: accts}
	var errb bytes.Buffer
	e := &env{streams: &streams{stdin: strings.NewReader("7\nx\n2\n"), stdout: &bytes.Buffer{}, stderr: &errb, isTerminal: func() bool { return true }}}
	a, err := e.pickAccount(v)
	if err != nil || a.ID != "22222222222222222222222222222222" {
		t.Fatalf("picked %+v, %v", a, err)
	}
	if strings.Count(errb.String(), "Enter a number") != 2 {
		t.Errorf("invalid answers were not re-asked: %q", errb.String())
	}
	assertNoTerminalControls(t, errb.String())

	e = &env{streams: &streams{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errb, isTerminal: func() bool { return false }}}
	if _, err := e.pickAccount(v); exitCode(err) != ExitUsage {
		t.Fatalf("several accounts without a terminal: %v", err)
	}
}
