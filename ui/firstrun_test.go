package ui

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/zalando/go-keyring"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
	"cftriage/views"
)

// go-keyring's mock is global state: these tests must not run in parallel.

const (
	frAccountToken = "fr-account-token-7c1e9a3b5d2f4e6a8c0b1d3f"
	frExpiredToken = "fr-expired-token-2b4d6f8a0c1e3a5c7e9b1d3f"
)

// newFirstRunHarness is the console as cftriage starts it with nothing
// configured: no client, the mock keyring (or kr), a private config
// directory, the simulator as the API.
func newFirstRunHarness(t *testing.T, w, hgt int, credErr error) *harness {
	t.Helper()
	isolateHome(t)
	keyring.MockInit()
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }, Tokens: map[string]sim.TokenSpec{
		sim.DemoToken:  {Perms: sim.AllPermissions},
		frAccountToken: {Kind: "account", Perms: sim.AllPermissions, ExpiresOn: "2027-03-01T00:00:00Z"},
		frExpiredToken: {Perms: sim.AllPermissions, ExpiresOn: "2026-01-01T00:00:00Z"},
	}})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "config")
	sess := &actions.Session{
		Profile: "default", TokenSource: store.SourceNone, CredentialErr: credErr,
		Audit:  store.OpenAudit(filepath.Join(dir, "audit.jsonl")),
		Config: &store.Config{Profiles: map[string]*store.Profile{}}, ConfigDir: cfgDir,
		Keyring: store.NewKeyring(time.Second), FileSecrets: store.NewFileSecrets(store.CredentialsDir(cfgDir)),
		BaseURL: srv.URL + sim.BasePath, Timeout: 5 * time.Second,
		Tune: func(c *cloudflare.Config) { c.BackoffBase = time.Millisecond },
	}
	m := New(sess, Options{NoColor: true, DarkBG: true, Now: func() time.Time { return fixedNow }})
	h := &harness{t: t, m: m, sim: s, srv: srv, sess: sess}
	h.send(teaSize(w, hgt))
	return h
}

func (h *harness) firstRun() *firstRun {
	h.t.Helper()
	for _, d := range h.m.dialogs {
		if f, ok := d.d.(*firstRun); ok {
			return f
		}
	}
	return nil
}

// pasteToken pastes as a terminal does (bracketed paste, with the line
// break a copied line brings along), through the root model.
func (h *harness) pasteToken(tok string) {
	h.t.Helper()
	if h.firstRun() == nil {
		h.t.Fatal("no first-run screen to paste into")
	}
	h.send(tea.PasteMsg{Content: tok + "\n"})
}

// mustNotShowToken fails when any 8 consecutive characters of tok are on
// screen: the masked hint may show the last four, nothing more.
func (h *harness) mustNotShowToken(tok string) {
	h.t.Helper()
	sc := h.screen()
	for i := 0; i+8 <= len(tok); i++ {
		if strings.Contains(sc, tok[i:i+8]) {
			h.t.Fatalf("screen shows %q of the token:\n%s", tok[i:i+8], sc)
		}
	}
}

func configJSON(t *testing.T, h *harness) (string, os.FileMode) {
	t.Helper()
	p := filepath.Join(h.sess.ConfigDir, store.ConfigFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	fi, _ := os.Stat(p)
	return string(b), fi.Mode().Perm()
}

func TestFirstRunShownWhenNothingConfigured(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.mustSee("Set up cftriage — profile default", "No Cloudflare API token", "paste an API token", "start the demo",
		"Zero Trust: PII Read")
	if h.firstRun() == nil {
		t.Fatal("no first-run dialog")
	}
	// Keys go to the dialog, not to the search box behind it.
	h.press("x", "/")
	if h.m.omni.Value() != "" || h.firstRun() == nil {
		t.Fatalf("keys leaked past the first-run screen: omnibox %q", h.m.omni.Value())
	}
	// A session with a client never sees it.
	if len(newHarness(t, 100, 30).m.dialogs) != 0 {
		t.Fatal("first-run screen shown with a client")
	}
}

// TestFirstRunShowsKeyringProblemAndRemedies: when the keyring cannot be
// reached a token may well be stored, so the screen says it could not be
// read, why, and the remedies, not that none is configured.
func TestFirstRunShowsKeyringProblemAndRemedies(t *testing.T) {
	credErr := &store.KeyringUnavailableError{Op: "get", Err: errors.New("org.freedesktop.DBus.Error.ServiceUnknown"), Timeout: time.Second}
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		h := newFirstRunHarness(t, sz[0], sz[1], credErr)
		h.mustSee("stored for this profile could not be read", "keyring get: the OS keyring is unavailable",
			"ServiceUnknown", "gnome-keyring", "CLOUDFLARE_API_TOKEN", "--insecure-storage", "0600 file")
		h.mustNotSee("No Cloudflare API token is configured")
		h.golden("firstrun_intro_" + sizeName(sz))
	}
	// Wrapped, as a caller may pass it on: still the keyring's problem.
	h := newFirstRunHarness(t, 100, 30, fmt.Errorf("credentials: %w", credErr))
	h.mustSee("could not be read")
	h.mustNotSee("No Cloudflare API token is configured")

	// Any other problem: nothing usable is configured, and why.
	h = newFirstRunHarness(t, 100, 30, errors.New("no account id: the token (from keyring) has no account"))
	h.mustSee("No Cloudflare API token is configured", "could not be used", "no account id")
	h.mustNotSee("could not be read")
}

// TestFirstRunCoversTheBody: the setup box hides the screen between the
// header and the footer; the welcome text behind names keys that do
// nothing here. The footer shows this screen's own keys.
func TestFirstRunCoversTheBody(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	check := func(step string) {
		t.Helper()
		h.mustNotSee("esc leaves the search box", "? help", "IP, domain, email or ASN", "1 IP")
		h.mustSee("cftriage  profile default", "ctrl+c quit now")
		lines := strings.Split(h.screen(), "\n")
		if len(lines) != 30 {
			t.Fatalf("%s: %d lines", step, len(lines))
		}
		// Between the header and the footer only the box and blanks.
		for i, l := range lines[1 : len(lines)-1] {
			if tl := strings.TrimSpace(l); tl != "" && !strings.ContainsRune("╭│╰", []rune(tl)[0]) {
				t.Fatalf("%s: row %d shows something besides the box: %q\n%s", step, i+1, l, h.screen())
			}
		}
	}
	check("choose")
	h.press("t")
	check("token")
	h.pasteToken(sim.DemoToken)
	h.press("enter")
	check("accounts")
}

func sizeName(sz [2]int) string { return strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1]) }

// TestFirstRunTokenVerifyPickStore is the whole setup: paste (masked),
// verify, pick the account, store in the keyring, then investigate.
func TestFirstRunTokenVerifyPickStore(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.mustSee("Paste the API token", "Account id")
	h.pasteToken(sim.DemoToken)
	h.mustNotShowToken(sim.DemoToken)
	h.mustSee(strconv.Itoa(len(sim.DemoToken))+" characters, ends "+store.MaskToken(sim.DemoToken), "••••")
	if h.sim.Total() != 0 {
		t.Fatal("a request before the user asked to verify")
	}

	h.press("enter")
	f := h.firstRun()
	if f == nil || f.step != views.FirstRunAccount {
		t.Fatalf("after verify: %+v\n%s", f, h.screen())
	}
	h.mustNotShowToken(sim.DemoToken)
	// verify's own answer: user token, status, expiry; the one account
	// preselected.
	h.mustSee("verified: user token, active, expires never", "token id ", "▸ ACME Corp SOC (demo)", sim.DemoAccountID)
	if h.sim.Count(sim.OpUserVerify) != 1 || h.sim.Count(sim.OpListAccounts) != 1 {
		t.Errorf("verify %d, accounts %d", h.sim.Count(sim.OpUserVerify), h.sim.Count(sim.OpListAccounts))
	}
	if _, err := keyring.Get(store.AppName, "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("stored before the account was chosen")
	}

	h.press("enter")
	if h.firstRun() != nil {
		t.Fatalf("first-run screen still open:\n%s", h.screen())
	}
	if got, err := keyring.Get(store.AppName, "default"); err != nil || got != sim.DemoToken {
		t.Fatalf("keyring under (cftriage, default) = %q, %v", got, err)
	}
	cfg, mode := configJSON(t, h)
	if mode != 0o600 || strings.Contains(cfg, sim.DemoToken) || !strings.Contains(cfg, sim.DemoAccountID) || !strings.Contains(cfg, `"storage": "keyring"`) {
		t.Fatalf("config (mode %04o):\n%s", mode, cfg)
	}
	s := h.sess
	if s.Client == nil || s.AccountID != sim.DemoAccountID || s.AccountName != "ACME Corp SOC (demo)" || s.TokenSource != store.SourceKeyring || s.Demo {
		t.Fatalf("session after setup: %+v", s)
	}
	h.mustSee("stored in the OS keyring for profile default", "account ACME Corp SOC (demo)")
	h.mustNotShowToken(sim.DemoToken)

	// The console now works as usual.
	h.lookup(sim.IPRiskyC2)
	h.mustSee("RISKY", "AS64500")
}

func TestFirstRunAccountPickGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		h := newFirstRunHarness(t, sz[0], sz[1], nil)
		h.press("t")
		h.pasteToken(sim.DemoToken)
		h.press("enter")
		h.mustNotShowToken(sim.DemoToken)
		h.golden("firstrun_accounts_" + sizeName(sz))
	}
}

func TestFirstRunBadTokenNothingStored(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")

	// Nothing typed: an inline error, no request.
	h.press("enter")
	h.mustSee("paste the token first")
	// A token no header can carry: refused before any request.
	h.typeText("b4d t0k3n w1th sp4c3s 0123")
	h.press("enter")
	h.mustSee("cannot be sent in a header")
	h.mustNotShowToken("b4d t0k3n w1th sp4c3s 0123")
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("%d requests for unusable input", n)
	}
	h.firstRun().token.Reset()

	const bad = "not-a-known-token-5e6f7a8b9c0d1e2f3a4b"
	h.typeText(bad)
	h.press("enter")
	f := h.firstRun()
	if f == nil || f.step != views.FirstRunToken {
		t.Fatalf("bad token left the token step: %+v", f)
	}
	// Only the user endpoint could be asked: the screen says what an
	// account-owned token needs, and the focus stays on the token.
	h.mustSee("Cloudflare rejected this token (invalid, expired or revoked): paste another,",
		"press tab to give its account id if it is an account-owned token")
	if f.onAcct {
		t.Error("focus moved to the account id field")
	}
	// Not the client's generic advice, which is about the environment.
	h.mustNotSee("CLOUDFLARE_API_TOKEN", "auth login")
	h.mustNotShowToken(bad)
	if _, err := keyring.Get(store.AppName, "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("a rejected token was stored")
	}
	if _, err := os.Stat(filepath.Join(h.sess.ConfigDir, store.ConfigFile)); !os.IsNotExist(err) {
		t.Fatal("config written for a rejected token")
	}
	if h.sess.Client != nil {
		t.Fatal("client set for a rejected token")
	}
	// The console behind is still unusable, the screen stays.
	h.press("esc")
	if h.firstRun() == nil {
		t.Fatal("esc closed the first-run screen")
	}
}

func TestFirstRunExpiredTokenNothingStored(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.pasteToken(frExpiredToken)
	h.press("enter")
	// Judged by the returned status: the HTTP call itself succeeded.
	h.mustSee("the token is expired (expires 2026-01-01T00:00:00Z), not active")
	if h.sim.Count(sim.OpListAccounts) != 0 {
		t.Error("accounts listed for an inactive token")
	}
	if _, err := keyring.Get(store.AppName, "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("an expired token was stored")
	}
	if f := h.firstRun(); f == nil || f.token.Value() != "" {
		t.Fatal("the expired token is still in the field")
	}
}

// TestFirstRunAccountToken: an account-owned token verifies under its
// account (entered by hand: it cannot list accounts).
func TestFirstRunAccountToken(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.pasteToken(frAccountToken)
	h.press("enter")
	h.mustSee("account-owned token")
	h.press("tab")
	h.typeText("0123456789abcdef0123456789abcdef") // not this token's account
	h.press("enter")
	h.mustSee("rejected this token, also for account", "or check the account id")
	h.mustNotSee("CLOUDFLARE_API_TOKEN")
	if f := h.firstRun(); f.token.Value() != frAccountToken {
		t.Fatal("the token was dropped although the account id may be what is wrong")
	}
	h.firstRun().account.Reset()
	h.typeText(sim.DemoAccountID)
	h.press("enter")
	h.mustSee("account token, active, expires 2027-03-01T00:00:00Z", "▸ (unnamed)", sim.DemoAccountID)
	if h.sim.Count(sim.OpAccountVerify) != 2 { // the wrong account, then the right one
		t.Errorf("account verify sent %d times", h.sim.Count(sim.OpAccountVerify))
	}
	h.mustNotShowToken(frAccountToken)
	h.press("enter")
	if got, _ := keyring.Get(store.AppName, "default"); got != frAccountToken {
		t.Fatal("account token not stored")
	}
	if h.sess.Client == nil || h.sess.Client.AccountID() != sim.DemoAccountID {
		t.Fatal("client without the account")
	}
	h.lookup(sim.EmailFewEvents)
	h.mustSee("Bob Martin")
}

// TestFirstRunKeyringUnavailable: the keyring refuses; the screen says so
// with the remedies, and a file is used only after the user confirms
// the warning.
func TestFirstRunKeyringUnavailable(t *testing.T) {
	h := newFirstRunHarness(t, 100, 40, nil)
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	t.Cleanup(keyring.MockInit)
	h.press("t")
	h.pasteToken(sim.DemoToken)
	h.press("enter", "enter")
	h.mustSee("could not be stored in the OS keyring", "ServiceUnknown", "gnome-keyring", "CLOUDFLARE_API_TOKEN",
		"--insecure-storage", "store the token in a plain file instead")
	credFile := filepath.Join(store.CredentialsDir(h.sess.ConfigDir), "default")
	if _, err := os.Stat(credFile); !os.IsNotExist(err) {
		t.Fatal("the token went to a file without being asked")
	}
	if h.sess.Client != nil {
		t.Fatal("client set although nothing was stored")
	}

	h.press("i")
	h.mustSee("WARNING: --insecure-storage", "plain text", credFile)
	h.press("n")
	h.mustSee("could not be stored in the OS keyring")
	if _, err := os.Stat(credFile); !os.IsNotExist(err) {
		t.Fatal("declining the warning still wrote the file")
	}

	h.press("i", "y")
	if h.firstRun() != nil {
		t.Fatalf("screen still open:\n%s", h.screen())
	}
	fi, err := os.Stat(credFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", err, fi)
	}
	cfg, mode := configJSON(t, h)
	if mode != 0o600 || strings.Contains(cfg, sim.DemoToken) || !strings.Contains(cfg, `"storage": "file"`) {
		t.Fatalf("config (mode %04o):\n%s", mode, cfg)
	}
	if h.sess.TokenSource != store.SourceFile {
		t.Errorf("token source %q", h.sess.TokenSource)
	}
	h.mustSee("stored in " + credFile)
	h.lookup(sim.IPRiskyC2)
	h.mustSee("RISKY")
}

func TestFirstRunDemo(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("d")
	if h.firstRun() != nil {
		t.Fatalf("screen still open:\n%s", h.screen())
	}
	s := h.sess
	if !s.Demo || s.Client == nil || s.AccountID != sim.DemoAccountID || len(s.Suggestions) == 0 {
		t.Fatalf("demo session: %+v", s)
	}
	h.mustSee("DEMO", "Demo data — try one of these", s.Suggestions[0])
	if _, err := keyring.Get(store.AppName, "default"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal("the demo stored a token")
	}
	if _, err := os.Stat(filepath.Join(s.ConfigDir, store.ConfigFile)); !os.IsNotExist(err) {
		t.Fatal("the demo wrote the config")
	}
	h.lookup(sim.IPRiskyC2)
	h.mustSee("RISKY", "AS64500")
	if h.sim.Total() != 0 {
		t.Fatal("the demo used the test's simulator instead of its own")
	}
}

// TestFirstRunCancelVerify: esc while verifying drops the late answer.
func TestFirstRunCancelVerify(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.pasteToken(sim.DemoToken)
	pending := h.sendNoRun(kp("enter"))
	h.mustSee("Verifying the token…")
	h.press("esc")
	h.run(pending) // the answer arrives after the cancel
	f := h.firstRun()
	if f == nil || f.step != views.FirstRunToken || f.verified != nil {
		t.Fatalf("a canceled verify was applied: %+v", f)
	}
	h.mustSee("verification canceled")
}

// TestFirstRunPasteReplaces: a token is never pasted in pieces, so a
// second paste replaces the first; a paste elsewhere goes nowhere.
func TestFirstRunPasteReplaces(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.send(tea.PasteMsg{Content: sim.DemoToken})
	if h.firstRun().token.Value() != "" || h.m.omni.Value() != "" {
		t.Fatal("a paste on the first screen landed somewhere")
	}
	h.press("t")
	h.pasteToken("first-paste-0123456789")
	h.pasteToken(sim.DemoToken)
	if got := h.firstRun().token.Value(); got != sim.DemoToken {
		t.Fatalf("field holds %d characters after two pastes, want the second paste only", len(got))
	}
	h.mustNotShowToken(sim.DemoToken)
}

// TestFirstRunPastedTokenNeverInTheAccountField is the reviewer's
// repro: a token refused, then the right one pasted. Whatever has the
// focus, a paste that is not an account id goes to the masked token
// field, and the account id field takes only hex digits.
func TestFirstRunPastedTokenNeverInTheAccountField(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.pasteToken("wrong-token-0a1b2c3d4e5f6a7b8c9d0e1f2a3b")
	h.press("enter")
	f := h.firstRun()
	if f.onAcct {
		t.Fatal("a refused token moved the focus to the account id field")
	}
	// ctrl+u clears the token: the focus is where the screen says.
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	if f.token.Value() != "" {
		t.Fatalf("ctrl+u left %d characters in the token field", len(f.token.Value()))
	}

	// The analyst tabs to the account id field, then pastes the token.
	h.press("tab")
	if !f.onAcct {
		t.Fatal("tab did not move to the account id field")
	}
	h.pasteToken(sim.DemoToken)
	h.mustNotShowToken(sim.DemoToken)
	if f.token.Value() != sim.DemoToken || f.account.Value() != "" {
		t.Fatalf("paste went to the wrong field: token %d characters, account %q", len(f.token.Value()), f.account.Value())
	}
	if f.onAcct {
		t.Error("focus left on the account id field after the paste went to the token")
	}
	h.mustSee("not an account id", "so it went into the Token", "ends "+store.MaskToken(sim.DemoToken))

	// An account id pasted there stays there, and leaves the token be.
	h.press("tab")
	h.pasteToken(sim.DemoAccountID)
	if f.account.Value() != sim.DemoAccountID || f.token.Value() != sim.DemoToken {
		t.Fatalf("account id paste: account %q, token %d characters", f.account.Value(), len(f.token.Value()))
	}

	// Typed: hex digits only, with a hint for the rest.
	f.account.Reset()
	h.typeText("0a-")
	h.mustSee("only hex digits (0-9, a-f)")
	h.typeText("Z9 ")
	if got := f.account.Value(); got != "0a9" {
		t.Fatalf("account field took %q from \"0a-Z9 \"", got)
	}
	h.press("backspace")
	h.mustNotSee("only hex digits")
	if f.account.Value() != "0a" {
		t.Fatalf("backspace: %q", f.account.Value())
	}

	// ctrl+v (the clipboard, read off the loop) follows the same rule.
	const clip = "Qx9LmP2rT5wZ8yB3nK6jH4gF1dS0aE7cV2uN5pR8"
	old := readClipboard
	readClipboard = func() (string, error) { return clip + "\n", nil }
	t.Cleanup(func() { readClipboard = old })
	h.send(tea.KeyPressMsg{Code: 'v', Mod: tea.ModCtrl})
	h.mustNotShowToken(clip)
	if f.token.Value() != clip || f.account.Value() != "0a" {
		t.Fatalf("ctrl+v: token %d characters, account %q", len(f.token.Value()), f.account.Value())
	}
}

func TestFirstRunQuitAndBack(t *testing.T) {
	h := newFirstRunHarness(t, 100, 30, nil)
	h.press("t")
	h.typeText("q") // typed into the field, not a quit
	if h.quit {
		t.Fatal("q in the token field quit")
	}
	h.press("esc")
	if f := h.firstRun(); f.step != views.FirstRunChoose || f.token.Value() != "" {
		t.Fatalf("esc from the token field: step %v, field kept", f.step)
	}
	h.press("q")
	if !h.quit {
		t.Fatal("q on the first screen did not quit")
	}
	h = newFirstRunHarness(t, 100, 30, nil)
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
}

// TestFirstRunAccountPrefilled: an account id configured without a
// token is offered for account-owned tokens.
func TestFirstRunAccountPrefilled(t *testing.T) {
	keyring.MockInit()
	sess := &actions.Session{Profile: "work", AccountID: sim.DemoAccountID, Audit: store.OpenAudit(filepath.Join(t.TempDir(), "a.jsonl"))}
	m := New(sess, Options{NoColor: true})
	f, ok := m.dialogs[0].d.(*firstRun)
	if !ok || f.account.Value() != sim.DemoAccountID {
		t.Fatalf("account field = %q", f.account.Value())
	}
}
