package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// DefaultProfile is the profile used when none is given.
const DefaultProfile = "default"

// DefaultKeyringTimeout bounds every keyring call made by callers that have
// no better value.
const DefaultKeyringTimeout = 5 * time.Second

// Keyring stores one API token per profile. The OS keyring (NewKeyring) and
// the explicit insecure file store (NewFileSecrets) both implement it.
// Get and Delete return ErrNotFound when the profile has no token.
type Keyring interface {
	Get(profile string) (string, error)
	Set(profile, token string) error
	Delete(profile string) error
}

// ErrNotFound means no token is stored for the profile.
var ErrNotFound = errors.New("no token stored for this profile")

// KeyringUnavailableError is any keyring failure other than not-found,
// including a call that did not finish within the timeout. Its message
// names the remedies.
type KeyringUnavailableError struct {
	Op       string        // "get", "set" or "delete"
	Err      error         // underlying error; nil when TimedOut
	TimedOut bool          // the keyring did not answer within Timeout
	Timeout  time.Duration // the timeout that applied
}

func (e *KeyringUnavailableError) Error() string {
	var cause string
	if e.TimedOut {
		cause = fmt.Sprintf("the OS keyring did not answer within %s (is the Secret Service hung or waiting for an unlock prompt?)", e.Timeout)
	} else {
		cause = fmt.Sprintf("the OS keyring is unavailable: %v", e.Err)
	}
	return fmt.Sprintf("keyring %s: %s. Remedies: start and unlock a Secret Service "+
		"(gnome-keyring-daemon, or KeePassXC with Secret Service integration enabled); "+
		"or set the CLOUDFLARE_API_TOKEN environment variable; "+
		"or log in with --insecure-storage to keep the token in a 0600 file instead", e.Op, cause)
}

func (e *KeyringUnavailableError) Unwrap() error { return e.Err }

// ValidateProfileName rejects profile names that could not safely be used
// as a keyring user or a file name: 1-64 characters of letters, digits,
// '.', '_' and '-', not starting with '.'.
func ValidateProfileName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("invalid profile name %q: must be 1-64 characters", name)
	}
	if name[0] == '.' {
		return fmt.Errorf("invalid profile name %q: must not start with '.'", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return fmt.Errorf("invalid profile name %q: only letters, digits, '.', '_' and '-' are allowed", name)
		}
	}
	return nil
}

func profileOrDefault(p string) string {
	if p == "" {
		return DefaultProfile
	}
	return p
}

func checkToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return errors.New("refusing to store an empty token")
	}
	return nil
}

// osKeyring is the real OS keyring behind a timeout.
type osKeyring struct{ timeout time.Duration }

// NewKeyring returns the OS keyring (Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows) under service "cftriage", user =
// profile name. Every call gives up after timeout (DefaultKeyringTimeout if
// <= 0) with a *KeyringUnavailableError: go-keyring can block forever when
// the Secret Service hangs. A call that timed out keeps running in the
// background; its result is discarded.
func NewKeyring(timeout time.Duration) Keyring {
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	return osKeyring{timeout: timeout}
}

func (k osKeyring) Get(profile string) (string, error) {
	profile = profileOrDefault(profile)
	if err := ValidateProfileName(profile); err != nil {
		return "", err
	}
	var tok string
	err := k.run("get", func() error {
		var err error
		tok, err = keyring.Get(AppName, profile)
		return err
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

func (k osKeyring) Set(profile, token string) error {
	profile = profileOrDefault(profile)
	if err := ValidateProfileName(profile); err != nil {
		return err
	}
	if err := checkToken(token); err != nil {
		return err
	}
	return k.run("set", func() error { return keyring.Set(AppName, profile, token) })
}

func (k osKeyring) Delete(profile string) error {
	profile = profileOrDefault(profile)
	if err := ValidateProfileName(profile); err != nil {
		return err
	}
	return k.run("delete", func() error { return keyring.Delete(AppName, profile) })
}

// run calls fn in a goroutine and maps its result: keyring.ErrNotFound →
// ErrNotFound, other errors and the timeout → *KeyringUnavailableError.
func (k osKeyring) run(op string, fn func() error) error {
	done := make(chan error, 1) // buffered: a late answer must not block the goroutine forever
	go func() { done <- fn() }()
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		default:
			return &KeyringUnavailableError{Op: op, Err: err, Timeout: k.timeout}
		}
	case <-timer.C:
		return &KeyringUnavailableError{Op: op, TimedOut: true, Timeout: k.timeout}
	}
}

// InsecureStorageWarning is what callers must print when they store a token
// with NewFileSecrets (--insecure-storage).
const InsecureStorageWarning = "WARNING: --insecure-storage: the API token is stored in plain text in a file " +
	"readable only by your user (mode 0600), not in the OS keyring. Anyone who can read your files " +
	"(backups, other processes running as you, root) can read it. Prefer the keyring or the " +
	"CLOUDFLARE_API_TOKEN environment variable, and revoke the token if the file leaks."

// CredentialsDir is where NewFileSecrets keeps tokens for a config directory.
func CredentialsDir(configDir string) string {
	return filepath.Join(configDir, "credentials")
}

// fileSecrets keeps one token per file, dir/<profile>, mode 0600.
type fileSecrets struct{ dir string }

// NewFileSecrets returns the --insecure-storage token store: one 0600 file
// per profile in dir (normally CredentialsDir(configDir), directory 0700).
// Never use it as a silent fallback for the keyring; print
// InsecureStorageWarning when storing.
func NewFileSecrets(dir string) Keyring { return fileSecrets{dir: dir} }

func (f fileSecrets) path(profile string) (string, error) {
	profile = profileOrDefault(profile)
	if err := ValidateProfileName(profile); err != nil {
		return "", err
	}
	return filepath.Join(f.dir, profile), nil
}

func (f fileSecrets) Get(profile string) (string, error) {
	p, err := f.path(profile)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	// Like ssh with private keys: a token file others can read is already
	// exposed; refuse it rather than use it quietly.
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("credentials file %s has mode %04o: it must be readable only by you (chmod 600 it, and consider the token leaked)", p, fi.Mode().Perm())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", ErrNotFound
	}
	return tok, nil
}

func (f fileSecrets) Set(profile, token string) error {
	p, err := f.path(profile)
	if err != nil {
		return err
	}
	if err := checkToken(token); err != nil {
		return err
	}
	return writeFileAtomic(p, []byte(token+"\n"))
}

func (f fileSecrets) Delete(profile string) error {
	p, err := f.path(profile)
	if err != nil {
		return err
	}
	err = os.Remove(p)
	if errors.Is(err, os.ErrNotExist) {
		return ErrNotFound
	}
	return err
}
