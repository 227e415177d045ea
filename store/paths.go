package store

import (
	"errors"
	"os"
	"path/filepath"
)

// AppName is the directory name used under the XDG base directories and the
// keyring service name.
const AppName = "cftriage"

const (
	dirMode  os.FileMode = 0o700
	fileMode os.FileMode = 0o600
)

// ConfigDir returns $XDG_CONFIG_HOME/cftriage, or ~/.config/cftriage when the
// variable is unset or not absolute (the XDG spec says relative values are
// invalid and must be ignored). It does not create the directory.
func ConfigDir() (string, error) {
	return xdgDir("XDG_CONFIG_HOME", ".config")
}

// StateDir returns $XDG_STATE_HOME/cftriage, or ~/.local/state/cftriage.
// It does not create the directory.
func StateDir() (string, error) {
	return xdgDir("XDG_STATE_HOME", filepath.Join(".local", "state"))
}

// DemoDir is the subdirectory of the config and state directories that
// the demo (--demo, or the first-run screen's demo) keeps its audit log,
// request history and saved requests in, so that simulated actions never
// mix with real ones.
const DemoDir = "demo"

// DemoConfigDir is ConfigDir()/demo.
func DemoConfigDir() (string, error) { return subDir(ConfigDir()) }

// DemoStateDir is StateDir()/demo.
func DemoStateDir() (string, error) { return subDir(StateDir()) }

func subDir(dir string, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, DemoDir), nil
}

func xdgDir(env, fallback string) (string, error) {
	if v := os.Getenv(env); v != "" && filepath.IsAbs(v) {
		return filepath.Join(v, AppName), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("cannot find the home directory: set " + env + " or HOME")
	}
	return filepath.Join(home, fallback, AppName), nil
}

// ensureDir creates dir (and parents) with mode 0700.
func ensureDir(dir string) error {
	if dir == "" {
		return errors.New("store: empty directory path")
	}
	return os.MkdirAll(dir, dirMode)
}
