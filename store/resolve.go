package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// Source tells where a credential came from.
type Source string

const (
	SourceFlag    Source = "flag"
	SourceEnv     Source = "env"
	SourceKeyring Source = "keyring"
	SourceFile    Source = "file"   // the --insecure-storage credentials file
	SourceConfig  Source = "config" // account id / base URL from the profile in config.json
	SourceNone    Source = "none"
)

// Environment variables read by Resolve.
const (
	EnvToken     = "CLOUDFLARE_API_TOKEN"
	EnvAccountID = "CLOUDFLARE_ACCOUNT_ID"
	EnvBaseURL   = "CLOUDFLARE_BASE_URL"
)

// Credentials is the resolved token and account. Token is secret: never
// print it (use MaskToken).
type Credentials struct {
	Token         string
	AccountID     string
	BaseURL       string // "" means the client's default
	Profile       string
	TokenSource   Source
	AccountSource Source
}

// ResolveInput holds everything Resolve looks at.
type ResolveInput struct {
	FlagToken     string
	FlagAccountID string
	FlagBaseURL   string
	Profile       string              // "" means "default"
	Getenv        func(string) string // nil means os.Getenv
	Keyring       Keyring             // nil: the keyring is not consulted
	FileSecrets   Keyring             // used when the profile's Storage is "file"
	Config        *Config             // nil: no profiles
}

// Resolve finds the token and account, in order: flags, then the
// CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID / CLOUDFLARE_BASE_URL
// environment variables, then the profile: its keyring entry (or its
// credentials file when Storage is "file") and its config.
//
// The secret store is consulted only when neither flag nor env gave a
// token. Not-found there means no token (TokenSource "none", no error); any
// other failure (e.g. *KeyringUnavailableError) is returned, together with
// whatever was resolved, since nothing else supplied a token.
func Resolve(in ResolveInput) (Credentials, error) {
	getenv := in.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Credentials{Profile: profileOrDefault(in.Profile), TokenSource: SourceNone, AccountSource: SourceNone}
	if err := ValidateProfileName(c.Profile); err != nil {
		return c, err
	}
	prof := in.Config.Profile(c.Profile)

	switch {
	case strings.TrimSpace(in.FlagAccountID) != "":
		c.AccountID, c.AccountSource = strings.TrimSpace(in.FlagAccountID), SourceFlag
	case strings.TrimSpace(getenv(EnvAccountID)) != "":
		c.AccountID, c.AccountSource = strings.TrimSpace(getenv(EnvAccountID)), SourceEnv
	case prof != nil && prof.AccountID != "":
		c.AccountID, c.AccountSource = prof.AccountID, SourceConfig
	}
	switch {
	case strings.TrimSpace(in.FlagBaseURL) != "":
		c.BaseURL = strings.TrimSpace(in.FlagBaseURL)
	case strings.TrimSpace(getenv(EnvBaseURL)) != "":
		c.BaseURL = strings.TrimSpace(getenv(EnvBaseURL))
	case prof != nil:
		c.BaseURL = prof.BaseURL
	}

	// Tokens are trimmed: a trailing newline from `$(cat file)` or a paste
	// would otherwise make every request fail authentication.
	if t := strings.TrimSpace(in.FlagToken); t != "" {
		c.Token, c.TokenSource = t, SourceFlag
		return c, nil
	}
	if t := strings.TrimSpace(getenv(EnvToken)); t != "" {
		c.Token, c.TokenSource = t, SourceEnv
		return c, nil
	}

	store, src := in.Keyring, SourceKeyring
	if prof != nil && prof.Storage == StorageFile {
		store, src = in.FileSecrets, SourceFile
		if store == nil {
			return c, fmt.Errorf("profile %q keeps its token in a file (--insecure-storage) but no file store was given", c.Profile)
		}
	}
	if store == nil {
		return c, nil
	}
	tok, err := store.Get(c.Profile)
	switch {
	case errors.Is(err, ErrNotFound):
		return c, nil
	case err != nil:
		return c, err
	}
	if t := strings.TrimSpace(tok); t != "" {
		c.Token, c.TokenSource = t, src
	}
	return c, nil
}

// MaskToken shows only the last 4 characters of a token ("…abcd"), or just
// "…" when the token is shorter than 8 characters (4 would reveal half).
func MaskToken(t string) string {
	if utf8.RuneCountInString(t) < 8 {
		return "…"
	}
	r := []rune(t)
	return "…" + string(r[len(r)-4:])
}
