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
