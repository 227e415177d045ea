package cli

import (
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestHelpFlags: -h and --help print the usage on stdout and exit 0,
// for the program and for each command, and send nothing.
func TestHelpFlags(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Usage:", "Commands:", "Exit codes"}},
		{[]string{"-h"}, []string{"Usage:", "Commands:"}},
		{[]string{"--demo", "--help"}, []string{"Commands:"}},
		{[]string{"ip", "--help"}, []string{"Usage: cftriage ip <addr>", "passive DNS", "Global flags"}},
		{[]string{"ip", "1.2.3.4", "-h"}, []string{"Usage: cftriage ip <addr>"}},
		{[]string{"sim", "--help"}, []string{"Usage: cftriage sim", "--addr HOST:PORT", "default 127.0.0.1:8787"}},
		{[]string{"reset", "-h"}, []string{"Usage: cftriage reset <email>", "--reason TEXT", "--yes", "--user-id ID"}},
		{[]string{"api", "--help"}, []string{"Usage: cftriage api <METHOD> <path>", "--body JSON", "--query k=v"}},
		{[]string{"audit", "--help"}, []string{"Usage: cftriage audit", "cftriage audit verify", "--json"}},
		{[]string{"audit", "verify", "--help"}, []string{"Usage: cftriage audit verify"}},
		{[]string{"auth", "--help"}, []string{"cftriage auth login", "cftriage auth status", "cftriage auth logout"}},
		{[]string{"help", "reset"}, []string{"Usage: cftriage reset <email>"}},
		{[]string{"help", "audit", "verify"}, []string{"Usage: cftriage audit verify"}},
	} {
		r := f.run(t, "", tc.args...)
		if r.code != ExitOK || r.stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%q: stdout lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("help sent %d requests", n)
	}
	// An unknown command named to help is still a usage error.
	if r := f.run(t, "", "help", "frobnicate"); r.code != ExitUsage {
		t.Fatalf("help frobnicate: exit %d", r.code)
	}
	// After "--", -h is an argument, not a request for help.
	if r := f.run(t, "", "ip", "--", "-h"); r.code != ExitUsage || strings.Contains(r.stdout, "Usage:") {
		t.Fatalf("ip -- -h: exit %d stdout %q", r.code, r.stdout)
	}
}
