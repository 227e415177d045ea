package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ConfigFile is the config file's name inside the config directory.
const ConfigFile = "config.json"

// Token storage kinds for Profile.Storage.
const (
	StorageKeyring = "keyring" // the OS keyring (default when empty)
	StorageFile    = "file"    // NewFileSecrets, chosen with --insecure-storage
)

// Config is everything cftriage keeps in config.json. It never holds a token.
type Config struct {
	Profiles      map[string]*Profile `json:"profiles"`
	SavedRequests []SavedRequest      `json:"saved_requests,omitempty"`
	Cache         CacheConfig         `json:"cache,omitzero"` // per-kind time-to-live (cache.go)
}

// Profile is one named account setup. The token itself lives in the keyring
// (or the credentials file when Storage is "file").
type Profile struct {
	AccountID   string `json:"account_id,omitempty"`
	AccountName string `json:"account_name,omitempty"`
	BaseURL     string `json:"base_url,omitempty"`
	ReadOnly    bool   `json:"read_only,omitempty"`
	TokenID     string `json:"token_id,omitempty"` // from token verify; safe to show and to audit
	Storage     string `json:"storage,omitempty"`  // StorageKeyring (or "") | StorageFile
}

// SavedRequest is a named custom API request. Auth headers are never kept.
type SavedRequest struct {
	Name   string      `json:"name"`
	Method string      `json:"method"`
	Path   string      `json:"path"`
	Query  [][2]string `json:"query,omitempty"`
	Header [][2]string `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
}

// LoadConfig reads dir/config.json. A missing file is an empty config, not
// an error; a malformed one is an error (never silently replaced).
func LoadConfig(dir string) (*Config, error) {
	p := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return &Config{Profiles: map[string]*Profile{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (fix or remove it): %w", p, err)
	}
	if err := c.Cache.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	for name, p := range c.Profiles {
		if p == nil {
			delete(c.Profiles, name)
		}
	}
	return &c, nil
}

// Save writes dir/config.json atomically (temp file + rename), mode 0600,
// creating dir 0700. It drops auth headers from saved requests, validates
// profile names and storage kinds, and refuses (ErrContainsSecret) to write
// a token g forbids.
func (c *Config) Save(dir string, g *Guard) error {
	out := Config{Profiles: c.Profiles, SavedRequests: make([]SavedRequest, len(c.SavedRequests)), Cache: c.Cache}
	if out.Profiles == nil {
		out.Profiles = map[string]*Profile{}
	}
	for name, p := range out.Profiles {
		if err := ValidateProfileName(name); err != nil {
			return err
		}
		if p != nil && p.Storage != "" && p.Storage != StorageKeyring && p.Storage != StorageFile {
			return fmt.Errorf("profile %q: unknown token storage %q", name, p.Storage)
		}
	}
	for i, r := range c.SavedRequests {
		r.Header = StripAuthHeaders(r.Header)
		out.SavedRequests[i] = r
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	if g.Contains(b) {
		return ErrContainsSecret
	}
	return writeFileAtomic(filepath.Join(dir, ConfigFile), append(b, '\n'))
}

// Clone returns a deep copy, so a copy can be changed and saved off the
// UI goroutine while the original is still being read. Clone of nil is an
// empty config.
func (c *Config) Clone() *Config {
	out := &Config{Profiles: map[string]*Profile{}}
	if c == nil {
		return out
	}
	out.Cache = c.Cache.clone()
	for name, p := range c.Profiles {
		if p != nil {
			cp := *p
			out.Profiles[name] = &cp
		}
	}
	if c.SavedRequests != nil {
		out.SavedRequests = make([]SavedRequest, len(c.SavedRequests))
		for i, r := range c.SavedRequests {
			r.Query = cloneKV(r.Query)
			r.Header = cloneKV(r.Header)
			out.SavedRequests[i] = r
		}
	}
	return out
}

func cloneKV(kv [][2]string) [][2]string {
	if kv == nil {
		return nil
	}
	return append([][2]string(nil), kv...)
}

// Profile returns the named profile ("" means "default"), or nil.
func (c *Config) Profile(name string) *Profile {
	if c == nil {
		return nil
	}
	return c.Profiles[profileOrDefault(name)]
}

// SetProfile adds or replaces a profile ("" means "default").
func (c *Config) SetProfile(name string, p *Profile) error {
	name = profileOrDefault(name)
	if err := ValidateProfileName(name); err != nil {
		return err
	}
	if c.Profiles == nil {
		c.Profiles = map[string]*Profile{}
	}
	c.Profiles[name] = p
	return nil
}

// DeleteProfile removes a profile; it reports whether it existed.
func (c *Config) DeleteProfile(name string) bool {
	name = profileOrDefault(name)
	_, ok := c.Profiles[name]
	delete(c.Profiles, name)
	return ok
}

// Request returns the saved request with that name, or nil.
func (c *Config) Request(name string) *SavedRequest {
	for i := range c.SavedRequests {
		if c.SavedRequests[i].Name == name {
			return &c.SavedRequests[i]
		}
	}
	return nil
}

// SaveRequest adds r, or replaces the saved request with the same name.
// Authorization, Proxy-Authorization and X-Auth-* headers are dropped.
func (c *Config) SaveRequest(r SavedRequest) error {
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		return errors.New("a saved request needs a name")
	}
	r.Header = StripAuthHeaders(r.Header)
	if old := c.Request(r.Name); old != nil {
		*old = r
		return nil
	}
	c.SavedRequests = append(c.SavedRequests, r)
	return nil
}

// DeleteRequest removes the saved request with that name; it reports
// whether it existed.
func (c *Config) DeleteRequest(name string) bool {
	for i := range c.SavedRequests {
		if c.SavedRequests[i].Name == name {
			c.SavedRequests = append(c.SavedRequests[:i], c.SavedRequests[i+1:]...)
			return true
		}
	}
	return false
}

// IsAuthHeader reports whether a header name carries credentials and so must
// never be user-supplied, saved or recorded: Authorization,
// Proxy-Authorization and X-Auth-* (case-insensitive).
func IsAuthHeader(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	return n == "authorization" || n == "proxy-authorization" || strings.HasPrefix(n, "x-auth-")
}

// StripAuthHeaders returns h without auth headers (see IsAuthHeader). The
// input is not modified.
func StripAuthHeaders(h [][2]string) [][2]string {
	if h == nil {
		return nil
	}
	out := make([][2]string, 0, len(h))
	for _, kv := range h {
		if !IsAuthHeader(kv[0]) {
			out = append(out, kv)
		}
	}
	return out
}
