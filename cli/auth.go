package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
)

// lines returns the shared line reader on stdin: one buffer for every
// prompt, so a read does not swallow the next answer.
func (e *env) lines() *bufio.Reader {
	if e.lineReader == nil {
		e.lineReader = bufio.NewReader(e.stdin)
	}
	return e.lineReader
}

// readLine reads one line from stdin without its line ending.
func (e *env) readLine() (string, error) {
	line, err := e.lines().ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runAuthLogin(ctx context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage auth login [--with-token] [--account-id ID] [--insecure-storage] [--profile NAME]")
	}
	if e.g.demo {
		return usageErr("auth login stores a real token; --demo needs none")
	}
	s, err := e.baseSession()
	if err != nil {
		return err
	}
	// The token: from stdin with --with-token, else a hidden prompt.
	var token string
	switch {
	case e.o.withToken:
		line, err := e.readLine()
		if err != nil {
			return usageErr("--with-token: no token on stdin")
		}
		token = strings.TrimSpace(line)
	case e.isTerminal():
		fmt.Fprint(e.stderr, "Paste the Cloudflare API token (input hidden): ")
		t, err := e.readSecret()
		if err != nil {
			return usageErr("reading the token: %v", err)
		}
		token = strings.TrimSpace(t)
	default:
		return usageErr("stdin is not a terminal: pipe the token with --with-token")
	}
	if token == "" {
		return usageErr("empty token")
	}
	if os.Getenv(store.EnvToken) != "" {
		fmt.Fprintf(e.stderr, "note: %s is set and takes precedence over the stored token\n", store.EnvToken)
	}

	// Base URL and a provisional account (account tokens verify under
	// /accounts/{id}) from flags, env and the profile.
	baseURL := firstNonEmpty(e.g.baseURL, os.Getenv(store.EnvBaseURL))
	accountID := firstNonEmpty(e.g.accountID, os.Getenv(store.EnvAccountID))
	if p := s.Config.Profile(s.Profile); p != nil {
		baseURL = firstNonEmpty(baseURL, p.BaseURL)
		accountID = firstNonEmpty(accountID, p.AccountID)
	}
	s.BaseURL = baseURL
	v, err := s.VerifyLogin(ctx, token, accountID)
	if err != nil {
		return loginError(err, token, accountID)
	}
	st := v.Status
	fmt.Fprintf(e.stderr, "Token verified: id %s, %s token, status %s, expires %s\n",
		clean(st.ID), orNone(clean(st.Kind)), clean(st.Status), expiry(st.ExpiresOn))

	acct, err := e.pickAccount(v)
	if err != nil {
		return err
	}
	if e.o.insecure {
		fmt.Fprintln(e.stderr, store.InsecureStorageWarning)
	}
	if _, err := s.CompleteLogin(v, acct, e.o.insecure); err != nil {
		var ku *store.KeyringUnavailableError
		if errors.As(err, &ku) {
			return configErr("%w", err)
		}
		return configErr("storing the token: %v", err)
	}
	where := "the OS keyring (service cftriage)"
	if e.o.insecure {
		where = "the file " + store.CredentialsDir(s.ConfigDir) + "/" + s.Profile
	}
	if e.g.json {
		return writeJSON(e.stdout, loginJSON{Profile: s.Profile, AccountID: acct.ID, AccountName: acct.Name,
			Token: store.MaskToken(token), TokenID: st.ID, StoredIn: where})
	}
	fmt.Fprintf(e.stdout, "Logged in: profile %s, account %s, token %s stored in %s\n",
		s.Profile, accountName(acct), store.MaskToken(token), where)
	return nil
}

// loginError words a failed verify for the command line.
func loginError(err error, token, accountID string) error {
	var ce *cloudflare.Error
	var inactive *actions.InactiveTokenError
	switch {
	case errors.As(err, &inactive):
		return &exitError{code: ExitConfig, msg: fmt.Sprintf("the token is %s, not active; nothing stored", clean(inactive.Status))}
	case errors.As(err, &ce) && ce.Kind == cloudflare.KindInput && ce.Op == cloudflare.OpVerifyToken:
		// An account API token (cfat_) and no account id: nothing sent.
		return &exitError{code: ExitConfig, msg: ce.Message + " Pass --account-id (or set " + store.EnvAccountID + ")."}
	case errors.As(err, &ce) && ce.Kind == cloudflare.KindInput:
		return configErr("%w", err) // a token or account id no request can carry
	}
	msg := "the token did not verify: " + err.Error()
	if accountID == "" && cloudflare.TokenKind(token) == "" && errors.As(err, &ce) && (ce.Kind == cloudflare.KindAuth || ce.Kind == cloudflare.KindPermission) {
		// Only the user endpoint was asked: an account-owned token
		// verifies under its account, which must be known first.
		msg += "\nIf this is an account-owned token, pass --account-id (or set " + store.EnvAccountID + "): account tokens verify under their account."
	}
	return &exitError{code: ExitConfig, msg: msg}
}

// loginJSON is `auth login --json`.
type loginJSON struct {
	Profile     string `json:"profile"`
	AccountID   string `json:"accountId"`
	AccountName string `json:"accountName"`
	Token       string `json:"token"` // masked
	TokenID     string `json:"tokenId"`
	StoredIn    string `json:"storedIn"`
}

// logoutJSON is `auth logout --json`.
type logoutJSON struct {
	Profile        string `json:"profile"`
	TokenRemoved   bool   `json:"tokenRemoved"`
	ProfileRemoved bool   `json:"profileRemoved"`
}

// pickAccount chooses the account: --account-id (named when the token
// can list it), an account token's own, the only one, or a numbered
// choice on a terminal.
func (e *env) pickAccount(v *actions.VerifiedToken) (cloudflare.Account, error) {
	ch, err := v.Choices(e.g.accountID)
	var le *actions.AccountListError
	switch {
	case errors.As(err, &le):
		return cloudflare.Account{}, &exitError{code: ExitConfig, msg: "listing the token's accounts failed (" + le.Err.Error() + "); pass --account-id"}
	case errors.Is(err, actions.ErrNoAccounts):
		return cloudflare.Account{}, configErr("the token sees no accounts; pass --account-id")
	case err != nil:
		return cloudflare.Account{}, configErr("%v", err)
	}
	if ch.NotListed {
		fmt.Fprintf(e.stderr, "note: account %s is not among the %d account(s) this token lists\n", clean(ch.Accounts[0].ID), len(ch.Accounts)-1)
	}
	if ch.Decided {
		return ch.Accounts[ch.Selected], nil
	}
	accts := ch.Accounts
	if e.o.withToken || !e.isTerminal() {
		return cloudflare.Account{}, usageErr("the token sees %d accounts; pick one with --account-id", len(accts))
	}
	fmt.Fprintln(e.stderr, "Accounts this token can see:")
	for i, a := range accts {
		fmt.Fprintf(e.stderr, "  %d) %s  %s\n", i+1, clean(a.Name), clean(a.ID))
	}
	for {
		fmt.Fprintf(e.stderr, "Account [1-%d]: ", len(accts))
		line, err := e.readLine()
		if err != nil {
			return cloudflare.Account{}, refused("no account chosen")
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		if err == nil && n >= 1 && n <= len(accts) {
			return accts[n-1], nil
		}
		fmt.Fprintln(e.stderr, "Enter a number from the list.")
	}
}

func accountName(a cloudflare.Account) string {
	if a.Name == "" {
		return clean(a.ID)
	}
	return fmt.Sprintf("%s (%s)", clean(a.Name), clean(a.ID))
}

func expiry(s string) string {
	if s == "" {
		return "never"
	}
	return clean(s)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if t := strings.TrimSpace(s); t != "" {
			return t
		}
	}
	return ""
}

// capability is one line of auth status's capability check.
type capability struct {
	Name   string `json:"name"`
	OK     *bool  `json:"ok"` // null: untested
	Detail string `json:"detail"`
}

type statusJSON struct {
	Profile       string       `json:"profile"`
	TokenSource   string       `json:"tokenSource"`
	Token         string       `json:"token"` // masked
	TokenID       string       `json:"tokenId"`
	TokenKind     string       `json:"tokenKind"`
	Status        string       `json:"status"`
	ExpiresOn     string       `json:"expiresOn"`
	AccountID     string       `json:"accountId"`
	AccountSource string       `json:"accountSource"`
	AccountName   string       `json:"accountName"`
	BaseURL       string       `json:"baseUrl"`
	ReadOnly      bool         `json:"readOnly"`
	Error         *errorBody   `json:"error,omitempty"` // as every --json failure has it
	Capabilities  []capability `json:"capabilities"`
}

// capabilityProbeEmail is a syntactically valid address no user has; the
// users capability is "can search", so not-found is a pass.
const capabilityProbeEmail = "cftriage-capability-check@example.com"

func runAuthStatus(ctx context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage auth status [--profile NAME]")
	}
	var (
		s     *actions.Session
		creds store.Credentials
		err   error
		token string
	)
	if e.g.demo {
		s, err = e.connect(ctx, true)
		if err != nil {
			return err
		}
		defer s.Close()
		creds = store.Credentials{Profile: s.Profile, AccountID: s.AccountID, BaseURL: s.BaseURL, TokenSource: "demo", AccountSource: "demo"}
	} else {
		s, err = e.baseSession()
		if err != nil {
			return err
		}
		creds, err = e.resolve(s)
		if err != nil {
			if e.g.json {
				// What is known so far, with why the rest is not.
				return e.statusFailure(statusJSON{Profile: s.Profile, TokenSource: string(store.SourceNone), AccountID: creds.AccountID,
					AccountSource: string(creds.AccountSource), AccountName: s.AccountName, BaseURL: firstNonEmpty(creds.BaseURL, cloudflare.DefaultBaseURL),
					ReadOnly: s.ReadOnly, Capabilities: []capability{}}, err)
			}
			return err
		}
		token = creds.Token
	}
	out := statusJSON{Profile: s.Profile, TokenSource: string(creds.TokenSource), AccountID: creds.AccountID,
		AccountSource: string(creds.AccountSource), AccountName: s.AccountName, BaseURL: firstNonEmpty(creds.BaseURL, cloudflare.DefaultBaseURL),
		ReadOnly: s.ReadOnly, Capabilities: []capability{}}
	if token != "" {
		out.Token = store.MaskToken(token)
	}
	if s.Client == nil && token == "" {
		return e.statusFailure(out, &exitError{code: ExitConfig, msg: "no API token: set CLOUDFLARE_API_TOKEN, run `cftriage auth login`, or try --demo"})
	}
	c := s.Client
	if c == nil {
		s.BaseURL = creds.BaseURL
		c, err = s.NewClient(token, creds.AccountID)
		if err != nil {
			return configErr("%w", err)
		}
	}
	st, _, verr := c.VerifyToken(ctx)
	if verr != nil {
		out.Status = "invalid"
		return e.statusFailure(out, withExchange(&exitError{code: exitCode(verr), msg: "token verify failed: " + verr.Error()}, exchangeOf(verr)))
	}
	out.TokenID, out.TokenKind, out.Status, out.ExpiresOn = st.ID, st.Kind, st.Status, st.ExpiresOn
	if creds.AccountID == "" {
		return e.statusFailure(out, &exitError{code: ExitConfig, msg: "no account id: set CLOUDFLARE_ACCOUNT_ID, pass --account-id, or run `cftriage auth login`"})
	}
	out.Capabilities = checkCapabilities(ctx, c)
	if !strings.EqualFold(st.Status, "active") {
		return e.statusFailure(out, &exitError{code: ExitConfig, msg: fmt.Sprintf("the token is %s", clean(st.Status))})
	}
	e.printStatus(out)
	return nil
}

// statusFailure prints the status with the failure in it, and returns
// the failure for the exit code and stderr.
func (e *env) statusFailure(out statusJSON, err error) error {
	b := newErrorBody(err)
	out.Error = &b
	e.printStatus(out)
	return err
}

// checkCapabilities makes one cheap read per capability. A 403 means the
// permission is missing (the client's message names it); not-found on
// the users probe still proves the permission.
func checkCapabilities(ctx context.Context, c *cloudflare.Client) []capability {
	probe := func(name, needs string, call func() error) capability {
		err := call()
		ok := err == nil
		var ce *cloudflare.Error
		if err != nil && errors.As(err, &ce) && ce.Kind == cloudflare.KindNotFound {
			ok = true
		}
		cp := capability{Name: name, OK: &ok, Detail: needs}
		if !ok {
			cp.Detail = errText(err)
		}
		return cp
	}
	return []capability{
		probe("intel", "Intel Read", func() error { _, _, err := c.IPOverview(ctx, "1.1.1.1"); return err }),
		probe("users", "Access: Audit Logs Read", func() error { _, _, err := c.FindUsers(ctx, capabilityProbeEmail); return err }),
		probe("risk read", "Zero Trust: PII Read", func() error { _, _, err := c.RiskSummary(ctx); return err }),
		{Name: "reset", Detail: "untested — needs Zero Trust Write"},
	}
}

func (e *env) printStatus(out statusJSON) {
	if e.g.json {
		_ = writeJSON(e.stdout, out)
		return
	}
	w := e.stdout
	fmt.Fprintf(w, "profile:  %s\n", clean(out.Profile))
	if out.Token != "" || out.TokenSource == "demo" {
		fmt.Fprintf(w, "token:    %s from %s\n", orNone(out.Token), clean(sourceLabel(out.TokenSource)))
	} else {
		fmt.Fprintln(w, "token:    none")
	}
	if out.TokenID != "" {
		fmt.Fprintf(w, "token id: %s (%s token), status %s, expires %s\n", clean(out.TokenID), orNone(clean(out.TokenKind)), clean(out.Status), expiry(out.ExpiresOn))
	}
	acct := orNone(clean(out.AccountID))
	if out.AccountName != "" {
		acct = fmt.Sprintf("%s (%s)", clean(out.AccountName), acct)
	}
	if out.AccountID != "" {
		acct += " from " + clean(sourceLabel(out.AccountSource))
	}
	fmt.Fprintf(w, "account:  %s\n", acct)
	fmt.Fprintf(w, "base URL: %s\n", clean(out.BaseURL))
	if out.ReadOnly {
		fmt.Fprintln(w, "mode:     read-only")
	}
	if len(out.Capabilities) > 0 {
		fmt.Fprintln(w, "capabilities:")
		for _, cp := range out.Capabilities {
			mark := "?"
			if cp.OK != nil {
				mark = "✗"
				if *cp.OK {
					mark = "✓"
				}
			}
			fmt.Fprintf(w, "  %s %-10s %s\n", mark, cp.Name, clean(cp.Detail))
		}
	}
	// out.Error is not printed here: every caller that sets it also
	// returns it, and report prints it once.
}

func sourceLabel(s string) string {
	switch store.Source(s) {
	case store.SourceEnv:
		return "environment (CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID)"
	case store.SourceFlag:
		return "flag"
	case store.SourceKeyring:
		return "OS keyring"
	case store.SourceFile:
		return "credentials file (--insecure-storage)"
	case store.SourceConfig:
		return "profile config"
	}
	return s
}

func runAuthLogout(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage auth logout [--all] [--profile NAME]")
	}
	s, err := e.baseSession()
	if err != nil {
		return err
	}
	// Both stores are tried, the file first: a profile kept in a file
	// (--insecure-storage, typically where there is no keyring) must be
	// removable while the keyring is unavailable.
	fileProfile := false
	if p := s.Config.Profile(s.Profile); p != nil && p.Storage == store.StorageFile {
		fileProfile = true
	}
	removed := false
	var keyringErr, fileErr error
	if err := s.FileSecrets.Delete(s.Profile); err == nil {
		removed = true
	} else if !errors.Is(err, store.ErrNotFound) {
		fileErr = err
	}
	if err := s.Keyring.Delete(s.Profile); err == nil {
		removed = true
	} else if !errors.Is(err, store.ErrNotFound) {
		keyringErr = err
	}
	switch {
	case e.g.json:
	case removed:
		fmt.Fprintf(e.stdout, "Removed the stored token of profile %s.\n", s.Profile)
	case fileErr == nil && keyringErr == nil:
		fmt.Fprintf(e.stdout, "No token was stored for profile %s.\n", s.Profile)
	}
	if fileErr != nil {
		return configErr("removing the token file of profile %s: %v", s.Profile, fileErr)
	}
	if keyringErr != nil && !fileProfile {
		// The token may still be in the keyring: say so, and leave the
		// config alone so a later logout can still find the profile.
		return configErr("the keyring entry of profile %s could not be removed; run `cftriage auth logout` again once the keyring works.\n%v", s.Profile, keyringErr)
	}
	if keyringErr != nil {
		// The profile keeps its token in a file, removed above; a stray
		// keyring entry is unlikely but cannot be ruled out.
		fmt.Fprintf(e.stderr, "note: could not check the OS keyring for a leftover entry of profile %s: %v\n", s.Profile, keyringErr)
	}
	profileRemoved := false
	if e.o.all {
		if s.Config.DeleteProfile(s.Profile) {
			if err := s.Config.Save(s.ConfigDir, s.Guard); err != nil {
				return configErr("saving the config: %v", err)
			}
			profileRemoved = true
			if !e.g.json {
				fmt.Fprintf(e.stdout, "Removed profile %s from the config.\n", s.Profile)
			}
		}
	}
	if os.Getenv(store.EnvToken) != "" {
		fmt.Fprintf(e.stderr, "note: %s is still set and still supplies a token\n", store.EnvToken)
	}
	if e.g.json {
		return writeJSON(e.stdout, logoutJSON{Profile: s.Profile, TokenRemoved: removed, ProfileRemoved: profileRemoved})
	}
	return nil
}
