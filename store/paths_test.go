package store

import (
	"path/filepath"
	"testing"
)

func TestXDGDirs(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)

	t.Setenv("XDG_CONFIG_HOME", "/x/cfg")
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if d, _ := ConfigDir(); d != filepath.Join("/x/cfg", "cftriage") {
		t.Errorf("ConfigDir with XDG_CONFIG_HOME = %q", d)
	}
	if d, _ := StateDir(); d != filepath.Join("/x/state", "cftriage") {
		t.Errorf("StateDir with XDG_STATE_HOME = %q", d)
	}

	// unset, and relative (invalid per the XDG spec): the home defaults
	for _, v := range []string{"", "relative/dir"} {
		t.Setenv("XDG_CONFIG_HOME", v)
		t.Setenv("XDG_STATE_HOME", v)
		if d, _ := ConfigDir(); d != filepath.Join(home, ".config", "cftriage") {
			t.Errorf("ConfigDir with XDG_CONFIG_HOME=%q: %q", v, d)
		}
		if d, _ := StateDir(); d != filepath.Join(home, ".local", "state", "cftriage") {
			t.Errorf("StateDir with XDG_STATE_HOME=%q: %q", v, d)
		}
	}

	t.Setenv("XDG_STATE_HOME", "/x/state")
	if p, _ := DefaultAuditPath(); p != "/x/state/cftriage/audit.jsonl" {
		t.Errorf("DefaultAuditPath = %q", p)
	}
}

// The demo's directories sit inside the real ones but never are them.
func TestDemoDirs(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/x/cfg")
	t.Setenv("XDG_STATE_HOME", "/x/state")
	if d, err := DemoConfigDir(); err != nil || d != "/x/cfg/cftriage/demo" {
		t.Errorf("DemoConfigDir = %q, %v", d, err)
	}
	if d, err := DemoStateDir(); err != nil || d != "/x/state/cftriage/demo" {
		t.Errorf("DemoStateDir = %q, %v", d, err)
	}
	if p := AuditPath("/x/state/cftriage/demo"); p != "/x/state/cftriage/demo/audit.jsonl" {
		t.Errorf("AuditPath = %q", p)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", "")
	if _, err := DemoStateDir(); err == nil {
		t.Error("DemoStateDir without HOME or XDG_STATE_HOME: no error")
	}
}
