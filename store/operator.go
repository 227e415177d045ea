package store

import (
	"os"
	"os/user"
)

// OSUser is the operator's login name for the audit log: os/user, then
// $USER, then "unknown".
func OSUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}
