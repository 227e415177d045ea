package cli

import (
	"flag"
	"strings"
)

// reorderArgs moves every flag (with its value) in front of the
// positional arguments so the standard flag package, which stops at the
// first positional, also sees flags written after them
// ("cftriage ip 1.2.3.4 --json"). "--" ends the flags: everything after
// it stays positional, in order. A flag the set does not know is kept
// with the flags so fs.Parse reports it.
func reorderArgs(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) {
			continue
		}
		// A non-bool flag written as "--name value" takes the next
		// argument, whatever it looks like ("--body -1" is a value).
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	out := make([]string, 0, len(flags)+len(pos)+1)
	out = append(out, flags...)
	out = append(out, "--")
	return append(out, pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// firstPositional returns the index of the first positional argument,
// skipping flags of fs (and their values), or -1.
func firstPositional(fs *flag.FlagSet, args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		}
		if len(a) < 2 || a[0] != '-' {
			return i
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) {
			i++
		}
	}
	return -1
}

// multiFlag collects a repeatable flag ("--query k=v --query k2=v2").
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }
