package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolveOrder(t *testing.T) {
	keyring.MockInit()
	kr := NewKeyring(time.Second)
	kr.Set("default", "keyring-token-default")
	kr.Set("work", "keyring-token-work")
	fileDir := t.TempDir()
	fs := NewFileSecrets(fileDir)
	fs.Set("lab", "file-token-lab")

	cfg := &Config{}
	cfg.SetProfile("default", &Profile{AccountID: "cfg-acc", BaseURL: "http://cfg"})
	cfg.SetProfile("work", &Profile{AccountID: "work-acc"})
	cfg.SetProfile("lab", &Profile{AccountID: "lab-acc", Storage: StorageFile})

	env := map[string]string{EnvToken: "env-token", EnvAccountID: "env-acc", EnvBaseURL: "http://env"}
	tests := []struct {
		name             string
		in               ResolveInput
		token, acc, base string
		tokenSrc, accSrc Source
	}{
		{"flags win", ResolveInput{FlagToken: "flag-token", FlagAccountID: "flag-acc", FlagBaseURL: "http://flag", Getenv: envOf(env)},
			"flag-token", "flag-acc", "http://flag", SourceFlag, SourceFlag},
		{"env next", ResolveInput{Getenv: envOf(env)}, "env-token", "env-acc", "http://env", SourceEnv, SourceEnv},
		{"env token, config account", ResolveInput{Getenv: envOf(map[string]string{EnvToken: " env-token\n"})},
			"env-token", "cfg-acc", "http://cfg", SourceEnv, SourceConfig},
		{"keyring and config", ResolveInput{Getenv: envOf(nil)}, "keyring-token-default", "cfg-acc", "http://cfg", SourceKeyring, SourceConfig},
		{"other profile", ResolveInput{Profile: "work", Getenv: envOf(nil)}, "keyring-token-work", "work-acc", "", SourceKeyring, SourceConfig},
		{"file storage profile", ResolveInput{Profile: "lab", Getenv: envOf(nil)}, "file-token-lab", "lab-acc", "", SourceFile, SourceConfig},
		{"flag account with keyring token", ResolveInput{FlagAccountID: "flag-acc", Getenv: envOf(nil)}, "keyring-token-default", "flag-acc", "http://cfg", SourceKeyring, SourceFlag},
		{"nothing configured", ResolveInput{Profile: "empty", Getenv: envOf(nil)}, "", "", "", SourceNone, SourceNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Keyring, tc.in.FileSecrets, tc.in.Config = kr, fs, cfg
			c, err := Resolve(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if c.Token != tc.token || c.AccountID != tc.acc || c.BaseURL != tc.base || c.TokenSource != tc.tokenSrc || c.AccountSource != tc.accSrc {
				t.Errorf("got token=%q acc=%q base=%q src=%s/%s", c.Token, c.AccountID, c.BaseURL, c.TokenSource, c.AccountSource)
			}
			if want := tc.in.Profile; want != "" && c.Profile != want || want == "" && c.Profile != "default" {
				t.Errorf("profile = %q", c.Profile)
			}
		})
	}
}

func TestResolveKeyringUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	defer keyring.MockInit()
	kr := NewKeyring(time.Second)
	cfg := &Config{}
	cfg.SetProfile("default", &Profile{AccountID: "cfg-acc"})

	// nothing else supplied a token: the error is returned, with the account
	c, err := Resolve(ResolveInput{Getenv: envOf(nil), Keyring: kr, Config: cfg})
	var ue *KeyringUnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want KeyringUnavailableError", err)
	}
	if c.Token != "" || c.TokenSource != SourceNone || c.AccountID != "cfg-acc" {
		t.Errorf("credentials with the error: %+v", c)
	}
	// the env var supplies a token: the broken keyring is not even asked
	c, err = Resolve(ResolveInput{Getenv: envOf(map[string]string{EnvToken: "env-token"}), Keyring: kr, Config: cfg})
	if err != nil || c.Token != "env-token" {
		t.Errorf("env token with broken keyring: %+v, %v", c, err)
	}
	c, err = Resolve(ResolveInput{FlagToken: "flag-token", Getenv: envOf(nil), Keyring: kr, Config: cfg})
	if err != nil || c.TokenSource != SourceFlag {
		t.Errorf("flag token with broken keyring: %+v, %v", c, err)
	}
}

func TestResolveFileProfileNeedsFileStore(t *testing.T) {
	keyring.MockInit()
	keyring.Set(AppName, "lab", "keyring-token-should-not-be-used")
	cfg := &Config{}
	cfg.SetProfile("lab", &Profile{Storage: StorageFile})
	c, err := Resolve(ResolveInput{Profile: "lab", Getenv: envOf(nil), Keyring: NewKeyring(time.Second), Config: cfg})
	if err == nil || c.Token != "" {
		t.Errorf("file-storage profile without a file store: %+v, %v", c, err)
	}
}

func TestResolveRejectsBadProfile(t *testing.T) {
	if _, err := Resolve(ResolveInput{Profile: "../../etc", Getenv: envOf(nil)}); err == nil {
		t.Error("bad profile name accepted")
	}
}

func TestMaskToken(t *testing.T) {
	for in, want := range map[string]string{
		"":         "…",
		"1234567":  "…",
		"12345678": "…5678",
		"abcdefghijklmnopqrstuvwxyz0123456789ABCD": "…ABCD",
		"ééééééééé":                                "…éééé",
	} {
		if got := MaskToken(in); got != want {
			t.Errorf("MaskToken(%q) = %q, want %q", in, got, want)
		}
	}
	const tok = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
	if m := MaskToken(tok); strings.Contains(m, tok[:len(tok)-4]) || len([]rune(m)) != 5 {
		t.Errorf("mask %q reveals more than the last 4", m)
	}
}
