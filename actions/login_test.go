package actions

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const (
	loginAccountToken = "login-account-token-4d2c9e1b7a5f3d1e"
	loginExpiredToken = "login-expired-token-8e6c4a2f0d1b3c5e"
	loginPrefixed     = "cfat_0123456789abcdef0123456789abcdef0123"
)

// loginSession is a session with nothing stored, on a simulator that
// knows a user token, an account token and an expired one.
func loginSession(t *testing.T) (*Session, *sim.Sim) {
	t.Helper()
	keyring.MockInit()
	s := sim.New(sim.Options{Tokens: map[string]sim.TokenSpec{
		sim.DemoToken:     {Perms: sim.AllPermissions},
		loginAccountToken: {Kind: "account", Perms: sim.AllPermissions},
		loginPrefixed:     {Kind: "account", Perms: sim.AllPermissions},
		loginExpiredToken: {Perms: sim.AllPermissions, ExpiresOn: "2020-01-01T00:00:00Z"},
	}})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "config")
	return &Session{
		Profile: "default", Config: &store.Config{}, ConfigDir: cfgDir,
		Audit:   store.OpenAudit(filepath.Join(dir, "audit.jsonl")),
		Keyring: store.NewKeyring(time.Second), FileSecrets: store.NewFileSecrets(store.CredentialsDir(cfgDir)),
		BaseURL: srv.URL + sim.BasePath, Timeout: 5 * time.Second,
	}, s
}

// TestLoginFlow is the flow both `auth login` and the first-run screen
// run: verify, choose, store — with the --base-url the session was given
// kept in the profile (the setup screen used to drop it).
func TestLoginFlow(t *testing.T) {
	s, sm := loginSession(t)
	s.LoginBaseURL = s.BaseURL
	ctx := context.Background()

	v, err := s.VerifyLogin(ctx, " "+sim.DemoToken+"\n", "")
	if err != nil || v.Status.Kind != "user" || len(v.Accounts) != 1 {
		t.Fatalf("verify: %+v, %v", v, err)
	}
	ch, err := v.Choices("")
	if err != nil || !ch.Decided || ch.Accounts[ch.Selected].ID != sim.DemoAccountID {
		t.Fatalf("choices: %+v, %v", ch, err)
	}
	c, err := s.CompleteLogin(v, ch.Accounts[ch.Selected], false)
	if err != nil || c == nil || c.AccountID() != sim.DemoAccountID {
		t.Fatalf("complete: %v", err)
	}
	if got, _ := keyring.Get(store.AppName, "default"); got != sim.DemoToken {
		t.Fatal("the token is not in the keyring")
	}
	cfg, err := store.LoadConfig(s.ConfigDir)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profile("default")
	if p == nil || p.BaseURL != s.BaseURL || p.AccountID != sim.DemoAccountID || p.TokenID != v.Status.ID || p.Storage != store.StorageKeyring {
		t.Fatalf("profile: %+v", p)
	}
	// The client verified with that account: it knows the token id, so
	// the first audited write asks nothing more.
	before := sm.Total()
	if op := OperatorFor(ctx, c); op.TokenID != v.Status.ID || sm.Total() != before {
		t.Fatalf("operator %+v after %d more requests", op, sm.Total()-before)
	}

	// No base URL given: none stored.
	s2, _ := loginSession(t)
	v, _ = s2.VerifyLogin(ctx, sim.DemoToken, "")
	if _, err := s2.CompleteLogin(v, v.Accounts[0], false); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := store.LoadConfig(s2.ConfigDir); cfg.Profile("default").BaseURL != "" {
		t.Fatalf("a base URL was stored: %+v", cfg.Profile("default"))
	}
}

func TestLoginFlowAccountTokens(t *testing.T) {
	s, sm := loginSession(t)
	ctx := context.Background()
	// An account token verifies under its account and lists nothing:
	// its account is the choice.
	v, err := s.VerifyLogin(ctx, loginAccountToken, sim.DemoAccountID)
	if err != nil || v.Status.Kind != "account" || v.Accounts != nil || sm.Count(sim.OpListAccounts) != 0 {
		t.Fatalf("account token: %+v, %v, %d listings", v, err, sm.Count(sim.OpListAccounts))
	}
	ch, err := v.Choices("")
	if err != nil || !ch.Decided || len(ch.Accounts) != 1 || ch.Accounts[0].ID != sim.DemoAccountID {
		t.Fatalf("choices: %+v %v", ch, err)
	}
	// A cfat_ token says what it is: without an account id nothing is
	// sent; with one only the account endpoint is asked.
	sm.ResetCounts()
	_, err = s.VerifyLogin(ctx, loginPrefixed, "")
	var ce *cloudflare.Error
	if !errors.As(err, &ce) || ce.Kind != cloudflare.KindInput || sm.Total() != 0 {
		t.Fatalf("cfat_ without account: %v, %d requests", err, sm.Total())
	}
	if v, err = s.VerifyLogin(ctx, loginPrefixed, sim.DemoAccountID); err != nil || v.Status.Kind != "account" ||
		sm.Count(sim.OpUserVerify) != 0 || sm.Count(sim.OpAccountVerify) != 1 {
		t.Fatalf("cfat_: %+v %v %v", v, err, sm.Counts())
	}
	// Expired: refused, nothing stored.
	_, err = s.VerifyLogin(ctx, loginExpiredToken, "")
	var inactive *InactiveTokenError
	if !errors.As(err, &inactive) || inactive.Status != "expired" {
		t.Fatalf("expired: %v", err)
	}
	if _, err := keyring.Get(store.AppName, "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("something was stored")
	}
}

// TestLoginChoices: an account id given comes first (named when listed),
// else the listed ones with the verify account preselected.
func TestLoginChoices(t *testing.T) {
	a, b := cloudflare.Account{ID: "a", Name: "A"}, cloudflare.Account{ID: "b", Name: "B"}
	v := &VerifiedToken{Status: cloudflare.TokenStatus{Kind: "user"}, Accounts: []cloudflare.Account{a, b}, AccountID: "b"}
	if ch, _ := v.Choices(""); ch.Decided || ch.Selected != 1 || len(ch.Accounts) != 2 {
		t.Errorf("no pick: %+v", ch)
	}
	if ch, _ := v.Choices("a"); !ch.Decided || ch.Accounts[ch.Selected] != a || ch.NotListed {
		t.Errorf("listed pick: %+v", ch)
	}
	if ch, _ := v.Choices("c"); !ch.Decided || ch.Accounts[0].ID != "c" || !ch.NotListed || len(ch.Accounts) != 3 {
		t.Errorf("unlisted pick: %+v", ch)
	}
	v = &VerifiedToken{Status: cloudflare.TokenStatus{Kind: "user"}, ListErr: errors.New("boom")}
	var le *AccountListError
	if _, err := v.Choices(""); !errors.As(err, &le) {
		t.Errorf("list error: %v", err)
	}
	v = &VerifiedToken{Status: cloudflare.TokenStatus{Kind: "user"}}
	if _, err := v.Choices(""); !errors.Is(err, ErrNoAccounts) {
		t.Errorf("no accounts: %v", err)
	}
}
