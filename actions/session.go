package actions

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// Session is everything the console runs with; the cli builds it from
// flags, environment, keyring and config and hands it to the console
// hook (cli.Console). The ui imports actions, never cli.
//
// Client is nil when no credentials are configured: the console then
// shows its first-run screen, which verifies a pasted token with
// NewClient, stores it with SaveLogin, or switches to the demo with
// StartDemo.
type Session struct {
	Client *cloudflare.Client
	Demo   bool
	// ReadOnly disables every state-changing action; ReadOnlyReason says
	// why ("--read-only", "profile \"x\" is read-only") for the UI.
	ReadOnly       bool
	ReadOnlyReason string
	Profile        string // never empty
	AccountID      string
	AccountName    string       // from the profile's config, "" when unknown
	TokenSource    store.Source // where the token came from; "none" when Client is nil
	// CredentialErr says why Client is nil when resolving failed rather
	// than found nothing (e.g. the keyring is unavailable; its message
	// names the remedies). The first-run screen shows it.
	CredentialErr error
	Audit         *store.Audit // never nil
	// Guard holds the tokens no writer may put on disk; NewClient and
	// SaveLogin add theirs, and the audit log masks them. Nil until the
	// first of those creates it. It is passed to every writer (config,
	// history, audit): there is no process-wide list.
	Guard     *store.Guard
	Config    *store.Config
	ConfigDir string
	// StateDir holds the request history; "" means store.StateDir().
	// The demo points it, ConfigDir, Config and Audit at the demo's own
	// directories (store.DemoStateDir, store.DemoConfigDir).
	StateDir    string
	Keyring     store.Keyring // the OS keyring (with timeout)
	FileSecrets store.Keyring // the --insecure-storage file store
	Suggestions []string      // indicators worth trying (set by StartDemo)
	// BaseURL and Timeout are what NewClient uses.
	BaseURL string
	Timeout time.Duration
	// LoginBaseURL is the base URL a login stores in the profile: the one
	// given with --base-url ("" stores none; CLOUDFLARE_BASE_URL belongs
	// to the environment). A profile logged in against a proxy gateway or
	// the simulator then keeps using it.
	LoginBaseURL string
	// Tune, when set, adjusts every client config NewClient builds
	// (tests shorten backoffs with it).
	Tune func(*cloudflare.Config)
	// OnQuotaWait is told when a call waits for the quota shared with
	// the profile's other processes (the headless commands print it on
	// stderr; the console shows the wait from Client.QuotaWaiting).
	OnQuotaWait func(cloudflare.QuotaWait)
	// DB is the embedded database (cache, history, cases; see OpenDB)
	// and Memory the cache hook over it that NewClient gives every
	// client. Both nil: no cache, no history.
	DB          *store.DB
	Memory      *Memory
	DBOptions   store.DBOptions
	CachePolicy CachePolicy
	cacheScope  string // cloudflare.Config.CacheScope ("" = the base URL)

	mu      sync.Mutex
	closers []func()
}

// NewClient builds a client for token and accountID with the session's
// base URL and timeout, and forbids the token in the session's Guard,
// which the audit log is given. It changes nothing else in the session.
func (s *Session) NewClient(token, accountID string) (*cloudflare.Client, error) {
	g := s.guard()
	g.Forbid(strings.TrimSpace(token))
	if s.Audit != nil {
		s.Audit.SetGuard(g)
	}
	cfg := cloudflare.Config{BaseURL: s.BaseURL, Token: token, AccountID: accountID, Timeout: s.Timeout,
		SharedQuota: s.quotaStore(), OnQuotaWait: s.OnQuotaWait, Cache: s.cache(), CacheScope: s.cacheScope}
	if s.Tune != nil {
		s.Tune(&cfg)
	}
	return cloudflare.New(cfg)
}

// The profile's quota file is the client's shared quota store.
var _ cloudflare.QuotaStore = (*store.QuotaFile)(nil)

// quotaStore is the profile's shared quota state under the session's
// state directory (the demo's own under the demo's), nil when there is
// no state directory: the client then paces itself alone.
func (s *Session) quotaStore() cloudflare.QuotaStore {
	dir, err := s.HistoryDir()
	if err != nil || dir == "" {
		return nil
	}
	profile := s.Profile
	if store.ValidateProfileName(profile) != nil {
		profile = store.DefaultProfile
	}
	return store.OpenQuota(store.QuotaPath(dir, profile))
}

// guard returns the session's Guard, creating it on first use.
func (s *Session) guard() *store.Guard {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Guard == nil {
		s.Guard = store.NewGuard()
	}
	return s.Guard
}

// HistoryDir is where the request history lives: StateDir, or
// store.StateDir() when it is unset.
func (s *Session) HistoryDir() (string, error) {
	if s.StateDir != "" {
		return s.StateDir, nil
	}
	return store.StateDir()
}

// Operator is the operator for the audit log (OS user + token id).
func (s *Session) Operator(ctx context.Context) store.Operator { return OperatorFor(ctx, s.Client) }

// Close stops what the session started (the demo simulator).
func (s *Session) Close() {
	s.mu.Lock()
	cl := s.closers
	s.closers = nil
	s.mu.Unlock()
	for i := len(cl) - 1; i >= 0; i-- {
		cl[i]()
	}
}

// Adopt takes over what another session started (its demo simulator),
// so this session's Close stops it too. The console starts the demo on a
// detached copy off the Update loop, then adopts it. When o runs the
// demo, its storage (audit log, config, state and config directories)
// comes along too: from then on nothing this session records may land
// in the real ones.
func (s *Session) Adopt(o *Session) {
	o.mu.Lock()
	cl := o.closers
	o.closers = nil
	o.mu.Unlock()
	s.mu.Lock()
	s.closers = append(s.closers, cl...)
	s.mu.Unlock()
	if o.Demo {
		s.Audit, s.Config, s.ConfigDir, s.StateDir = o.Audit, o.Config, o.ConfigDir, o.StateDir
		s.DB, s.Memory, s.cacheScope = o.DB, o.Memory, o.cacheScope
	}
	// What o forbade stays forbidden here, in every writer.
	if o.Guard != nil {
		g := s.guard()
		g.Merge(o.Guard)
		if s.Audit != nil {
			s.Audit.SetGuard(g)
		}
	}
}

// StartDemo starts the simulator on a loopback port and points the
// session at it: demo token, demo account, suggestions. Close stops it.
// The session also moves to the demo's own storage: the audit log and
// request history under store.DemoStateDir(), the config (saved
// requests) under store.DemoConfigDir(), so demo records never mix with
// real ones and `cftriage audit --demo` finds them.
func (s *Session) StartDemo() error {
	stateDir, err := store.DemoStateDir()
	if err != nil {
		return fmt.Errorf("the demo's state directory: %w", err)
	}
	configDir, err := store.DemoConfigDir()
	if err != nil {
		return fmt.Errorf("the demo's config directory: %w", err)
	}
	cfg, err := store.LoadConfig(configDir)
	if err != nil {
		return fmt.Errorf("the demo's config: %w", err)
	}
	srv, err := StartSimServer(sim.New(sim.Options{}))
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.closers = append(s.closers, srv.Close)
	s.mu.Unlock()
	s.StateDir, s.ConfigDir, s.Config = stateDir, configDir, cfg
	s.OpenDB(stateDir) // the demo's own cache, history and cases
	// Each run's simulator starts with its dataset fresh while the
	// database persists: users' answers of an earlier run (a reset's
	// re-read) would contradict it. Intel does not change: it stays.
	_, _ = s.DB.CachePurge(cloudflare.CacheUser)
	s.cacheScope = "demo:" // its port changes every run
	// A fresh writer: NewClient below forbids the demo token in it.
	s.Audit = store.OpenAudit(store.AuditPath(stateDir))
	s.BaseURL = srv.BaseURL
	c, err := s.NewClient(sim.DemoToken, sim.DemoAccountID)
	if err != nil {
		return err
	}
	s.Client = c
	s.Demo = true
	s.AccountID = sim.DemoAccountID
	s.AccountName = "Demo account (simulator)"
	s.TokenSource = "demo"
	s.Suggestions = sim.Suggestions()
	return nil
}

// SimServer is a simulator served over real HTTP on loopback.
type SimServer struct {
	BaseURL string // http://127.0.0.1:PORT/client/v4
	Sim     *sim.Sim
	srv     *http.Server
}

// StartSimServer serves s on 127.0.0.1 on a free port.
func StartSimServer(s *sim.Sim) (*SimServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the demo simulator: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return &SimServer{BaseURL: "http://" + ln.Addr().String() + "/client/v4", Sim: s, srv: srv}, nil
}

// Close stops the server.
func (s *SimServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close()
	}
}

// LoginRequest is a verified token to store under a profile.
type LoginRequest struct {
	Profile     string // "" = the session's profile
	Token       string
	TokenID     string // from VerifyToken; safe to keep
	AccountID   string
	AccountName string
	// Insecure stores the token in a 0600 file instead of the keyring;
	// the caller must show store.InsecureStorageWarning.
	Insecure bool
	// BaseURL, when set, becomes the profile's base URL.
	BaseURL string
}

// SaveLogin stores the token in the keyring (or the file store when
// Insecure) under the profile, and the account, token id, storage and
// base URL (when given) in the config file (never the token). The session's Config and Profile
// fields are updated; Client is not.
func (s *Session) SaveLogin(r LoginRequest) error {
	profile := r.Profile
	if profile == "" {
		profile = s.Profile
	}
	if profile == "" {
		profile = store.DefaultProfile
	}
	if err := store.ValidateProfileName(profile); err != nil {
		return err
	}
	if strings.TrimSpace(r.Token) == "" {
		return errors.New("no token to store")
	}
	g := s.guard()
	g.Forbid(strings.TrimSpace(r.Token))
	secrets, storage := s.Keyring, store.StorageKeyring
	if r.Insecure {
		secrets, storage = s.FileSecrets, store.StorageFile
	}
	if secrets == nil {
		return errors.New("no secret store available")
	}
	if err := secrets.Set(profile, r.Token); err != nil {
		return err
	}
	// A token moving between stores must not stay behind in the other.
	other := s.FileSecrets
	if r.Insecure {
		other = s.Keyring
	}
	if other != nil {
		_ = other.Delete(profile)
	}
	cfg := s.Config
	if cfg == nil {
		cfg = &store.Config{}
	}
	p := cfg.Profile(profile)
	np := store.Profile{}
	if p != nil {
		np = *p
	}
	np.AccountID, np.AccountName, np.TokenID, np.Storage = r.AccountID, r.AccountName, r.TokenID, storage
	if b := strings.TrimSpace(r.BaseURL); b != "" {
		np.BaseURL = b
	}
	if err := cfg.SetProfile(profile, &np); err != nil {
		return err
	}
	if err := cfg.Save(s.ConfigDir, g); err != nil {
		return fmt.Errorf("the token is stored, but saving the config failed: %w", err)
	}
	s.Config = cfg
	s.Profile = profile
	s.AccountID, s.AccountName = r.AccountID, r.AccountName
	return nil
}
