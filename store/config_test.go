package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadConfigMissingIsEmpty(t *testing.T) {
	c, err := LoadConfig(filepath.Join(t.TempDir(), "nope"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile("default") != nil || len(c.SavedRequests) != 0 {
		t.Errorf("missing file gave %+v", c)
	}
	if err := c.SetProfile("", &Profile{AccountID: "a1"}); err != nil || c.Profile("default").AccountID != "a1" {
		t.Errorf("SetProfile on a loaded empty config: %v", err)
	}
}

func TestConfigSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cftriage")
	c := &Config{}
	c.SetProfile("default", &Profile{AccountID: "acc1", AccountName: "Corp", TokenID: "tid1", Storage: StorageKeyring})
	c.SetProfile("lab", &Profile{AccountID: "acc2", BaseURL: "http://127.0.0.1:8080/client/v4", ReadOnly: true, Storage: StorageFile})
	err := c.SaveRequest(SavedRequest{Name: "users", Method: "GET", Path: "/accounts/{account_id}/access/users",
		Query:  [][2]string{{"per_page", "50"}},
		Header: [][2]string{{"Accept", "application/json"}, {"authorization", "Bearer x"}, {"X-Auth-Key", "k"}, {"x-auth-email", "e"}, {"Proxy-Authorization", "p"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(dir, nil); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, ConfigFile), 0o600)
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("leftover temp files: %v", ents)
	}

	got, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Profile("lab"); p == nil || p.AccountID != "acc2" || !p.ReadOnly || p.Storage != StorageFile || p.BaseURL == "" {
		t.Errorf("lab profile = %+v", p)
	}
	if p := got.Profile(""); p == nil || p.AccountName != "Corp" || p.TokenID != "tid1" {
		t.Errorf("default profile = %+v", p)
	}
	r := got.Request("users")
	if r == nil || len(r.Header) != 1 || r.Header[0] != [2]string{"Accept", "application/json"} || r.Query[0][1] != "50" {
		t.Errorf("saved request = %+v", r)
	}

	// replace by name, then delete
	got.SaveRequest(SavedRequest{Name: "users", Method: "GET", Path: "/x"})
	if len(got.SavedRequests) != 1 || got.Request("users").Path != "/x" {
		t.Errorf("SaveRequest did not replace: %+v", got.SavedRequests)
	}
	if !got.DeleteRequest("users") || got.DeleteRequest("users") || !got.DeleteProfile("lab") || got.Profile("lab") != nil {
		t.Error("delete helpers misbehave")
	}
}

func TestConfigSaveDropsAuthHeadersAddedDirectly(t *testing.T) {
	dir := t.TempDir()
	c := &Config{SavedRequests: []SavedRequest{{Name: "n", Method: "GET", Path: "/p",
		Header: [][2]string{{" Authorization ", "Bearer secret-header-value"}}}}}
	if err := c.Save(dir, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ConfigFile))
	if strings.Contains(string(b), "secret-header-value") || strings.Contains(strings.ToLower(string(b)), "authorization") {
		t.Errorf("auth header written to config:\n%s", b)
	}
}

func TestConfigNeverContainsToken(t *testing.T) {
	const tok = "cfg-token-9f8e7d6c5b4a3210"
	g := NewGuard(tok)
	dir := t.TempDir()
	c := &Config{}
	c.SetProfile("default", &Profile{AccountID: "acc1", TokenID: "tid"})
	if err := c.Save(dir, g); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, ConfigFile))

	// a token pasted by mistake in any field is refused, and the file on
	// disk is left as it was
	c.Profile("default").TokenID = tok
	if err := c.Save(dir, g); !errors.Is(err, ErrContainsSecret) {
		t.Fatalf("Save with the token in a field: %v", err)
	}
	c.Profile("default").TokenID = "tid"
	c.SaveRequest(SavedRequest{Name: "n", Method: "POST", Path: "/p", Body: `{"t":"` + tok + `"}`})
	if err := c.Save(dir, g); !errors.Is(err, ErrContainsSecret) {
		t.Fatalf("Save with the token in a body: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, ConfigFile))
	if string(after) != string(before) || strings.Contains(string(after), tok) {
		t.Errorf("config changed or contains the token:\n%s", after)
	}
}

func TestConfigRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ConfigFile), []byte("{not json"), 0o600)
	if _, err := LoadConfig(dir); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("malformed config: %v", err)
	}
	c := &Config{Profiles: map[string]*Profile{"../evil": {}}}
	if err := c.Save(t.TempDir(), nil); err == nil {
		t.Error("Save accepted profile name ../evil")
	}
	c = &Config{Profiles: map[string]*Profile{"p": {Storage: "plaintext"}}}
	if err := c.Save(t.TempDir(), nil); err == nil {
		t.Error("Save accepted an unknown storage kind")
	}
	if err := (&Config{}).SaveRequest(SavedRequest{Name: "  "}); err == nil {
		t.Error("SaveRequest accepted an empty name")
	}
}

func TestConfigJSONShape(t *testing.T) {
	// the file is meant to be read and edited by people: stable snake_case keys
	dir := t.TempDir()
	c := &Config{}
	c.SetProfile("default", &Profile{AccountID: "a", ReadOnly: true})
	c.Save(dir, nil)
	var raw map[string]map[string]map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, ConfigFile))
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	p := raw["profiles"]["default"]
	if p["account_id"] != "a" || p["read_only"] != true {
		t.Errorf("unexpected JSON shape: %s", b)
	}
}

func TestIsAuthHeader(t *testing.T) {
	for h, want := range map[string]bool{
		"Authorization": true, "AUTHORIZATION": true, "x-auth-key": true, "X-Auth-Email": true,
		"X-Auth-User-Service-Key": true, "Proxy-Authorization": true,
		"Accept": false, "X-Authenticated": false, "Content-Type": false,
	} {
		if IsAuthHeader(h) != want {
			t.Errorf("IsAuthHeader(%q) = %v", h, !want)
		}
	}
}

func TestConfigCloneIsDeep(t *testing.T) {
	c := &Config{}
	c.SetProfile("default", &Profile{AccountID: "a1", Storage: StorageKeyring})
	c.SaveRequest(SavedRequest{Name: "r", Method: "GET", Path: "/p", Query: [][2]string{{"k", "v"}}, Header: [][2]string{{"Accept", "x"}}})
	cp := c.Clone()

	// every level of the copy can change without touching the original
	cp.Profile("default").AccountID = "changed"
	cp.SetProfile("work", &Profile{AccountID: "w"})
	cp.SavedRequests[0].Query[0][1] = "changed"
	cp.SavedRequests[0].Header[0][1] = "changed"
	cp.SavedRequests[0].Path = "/changed"
	if c.Profile("default").AccountID != "a1" || c.Profile("work") != nil {
		t.Errorf("profiles shared with the clone: %+v", c.Profiles)
	}
	r := c.Request("r")
	if r.Query[0][1] != "v" || r.Header[0][1] != "x" || r.Path != "/p" {
		t.Errorf("saved request shared with the clone: %+v", r)
	}
	if n := (*Config)(nil).Clone(); n == nil || n.Profiles == nil {
		t.Errorf("Clone of nil = %+v", n)
	}
}
