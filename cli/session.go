package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
)

// session wraps actions.Session with what the commands need.
type session struct {
	*actions.Session
}

func (s *session) close() { s.Close() }

// accountLabel is "Name (id)" or the id.
func (s *session) accountLabel() string {
	if s.AccountName != "" {
		return fmt.Sprintf("%s (%s)", clean(s.AccountName), clean(s.AccountID))
	}
	return clean(s.AccountID)
}

// clientConfigHook lets tests adjust every client the cli builds (for
// example a short backoff); nil in production.
var clientConfigHook func(*cloudflare.Config)

// baseSession loads config and stores for the global flags without
// resolving credentials.
func (e *env) baseSession() (*actions.Session, error) {
	profile := e.g.profile
	if profile == "" {
		profile = store.DefaultProfile
	}
	if err := store.ValidateProfileName(profile); err != nil {
		return nil, usageErr("--profile: %v", err)
	}
	s := &actions.Session{Profile: profile, Timeout: e.g.timeout, TokenSource: store.SourceNone, Tune: clientConfigHook,
		OnQuotaWait: e.sayQuotaWait, LoginBaseURL: strings.TrimSpace(e.g.baseURL), Guard: store.NewGuard()}
	stateDir, err := store.StateDir()
	if err != nil {
		return nil, configErr("audit log: %v", err)
	}
	s.StateDir = stateDir
	s.Audit = store.OpenAudit(store.AuditPath(stateDir))
	s.Audit.SetGuard(s.Guard)
	dir, err := store.ConfigDir()
	if err != nil {
		return nil, configErr("%w", err)
	}
	s.ConfigDir = dir
	cfg, err := store.LoadConfig(dir)
	if err != nil {
		return nil, configErr("config: %v", err)
	}
	s.Config = cfg
	s.Keyring = store.NewKeyring(store.DefaultKeyringTimeout)
	s.FileSecrets = store.NewFileSecrets(store.CredentialsDir(dir))
	if e.g.readOnly {
		s.ReadOnly, s.ReadOnlyReason = true, "--read-only"
	}
	if p := cfg.Profile(profile); p != nil {
		s.AccountName = p.AccountName
		if p.ReadOnly && !s.ReadOnly {
			s.ReadOnly, s.ReadOnlyReason = true, fmt.Sprintf("profile %q is read-only", profile)
		}
	}
	return s, nil
}

// sayQuotaWait tells on stderr that a call waits more than a second for
// the quota shared with the profile's other processes (a loop's next
// process waits for the window instead of earning a 429), or that the
// shared state could not be used.
func (e *env) sayQuotaWait(w cloudflare.QuotaWait) {
	if w.Err == nil && w.Wait <= time.Second {
		return
	}
	msg := w.Message()
	if w.Err == nil {
		msg += "; ctrl+c stops"
	}
	fmt.Fprintln(e.stderr, "cftriage: "+sanitizeMultiline(msg))
}

// resolve finds the credentials of the session's profile.
func (e *env) resolve(s *actions.Session) (store.Credentials, error) {
	creds, err := store.Resolve(store.ResolveInput{
		FlagAccountID: e.g.accountID,
		FlagBaseURL:   e.g.baseURL,
		Profile:       s.Profile,
		Keyring:       s.Keyring,
		FileSecrets:   s.FileSecrets,
		Config:        s.Config,
	})
	if err != nil {
		var ku *store.KeyringUnavailableError
		if errors.As(err, &ku) {
			return creds, configErr("%w", err)
		}
		return creds, configErr("credentials: %v", err)
	}
	return creds, nil
}

// open builds the session for a command that calls the API: the demo
// with --demo, else the resolved credentials. Missing credentials are a
// config error before any request.
func (e *env) open(ctx context.Context) (*session, error) {
	s, err := e.connect(ctx, true)
	if err != nil {
		return nil, err
	}
	return &session{s}, nil
}

// connect builds the session; with require false a missing token leaves
// Client nil (the console's first-run screen) instead of failing.
func (e *env) connect(_ context.Context, require bool) (*actions.Session, error) {
	s, err := e.baseSession()
	if err != nil {
		return nil, err
	}
	if err := e.checkCacheFlags(); err != nil {
		return nil, err
	}
	e.dbSetup(s, !require)
	if e.g.demo {
		if err := s.StartDemo(); err != nil {
			return nil, err
		}
		return s, nil
	}
	s.OpenDB(s.StateDir)
	creds, err := e.resolve(s)
	s.BaseURL = creds.BaseURL
	if creds.Token == "" {
		if !require {
			// The first-run screen shows why and offers the known
			// account id for account-owned tokens.
			s.CredentialErr = err
			s.AccountID = creds.AccountID
			return s, nil
		}
		msg := "no API token: set CLOUDFLARE_API_TOKEN, run `cftriage auth login`, or try --demo"
		if err != nil {
			// Say why the profile's stored token could not be read.
			msg += "\n" + err.Error()
		}
		return nil, configErr("%s", msg)
	}
	if creds.AccountID == "" {
		msg := fmt.Sprintf("no account id: the token (from %s) has no account; set CLOUDFLARE_ACCOUNT_ID, pass --account-id, or run `cftriage auth login`", sourceLabel(string(creds.TokenSource)))
		if require {
			return nil, configErr("%s", msg)
		}
		// The console's first-run screen says why nothing is usable.
		s.CredentialErr = configErr("%s", msg)
		return s, nil
	}
	s.AccountID, s.TokenSource = creds.AccountID, creds.TokenSource
	c, err := e.newClient(s, creds.Token, creds.AccountID)
	if err != nil {
		return nil, configErr("%w", err)
	}
	s.Client = c
	return s, nil
}

func (e *env) newClient(s *actions.Session, token, accountID string) (*cloudflare.Client, error) {
	return s.NewClient(token, accountID)
}
