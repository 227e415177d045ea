// Package cli implements cftriage's headless commands and hands over to
// the console when none is given.
//
// Commands:
//
//	cftriage ip <addr> [--no-pdns] [--since DAY] [--until DAY] [--pdns-max N]
//	cftriage domain <name|URL>
//	cftriage lookup <indicator>
//	cftriage asn <number>
//	cftriage user <email> [--user-id ID] [--context]
//	cftriage users [--level low|medium|high] [--csv]
//	cftriage reset <email> --reason <text> [--yes] [--user-id ID]
//	cftriage revoke <email> --reason <text> [--devices] [--yes] [--user-id ID]
//	cftriage api <METHOD> <path> [--query k=v]... [--header k=v]... [--body <json>|@file] [--yes]
//	cftriage sim [--addr 127.0.0.1:8787] [--variants] [--quota N --window D] [--latency D] [--429-after N] [--5xx-rate F] ...
//	cftriage audit [--limit N]        cftriage audit verify [--strict]
//	cftriage auth login [--with-token] [--insecure-storage]
//	cftriage auth status              cftriage auth logout [--all]
//	cftriage cache stats | purge [--users]
//	cftriage history [--since D] [--kind K] [--limit N]
//	cftriage case new|use|add|note|list|show|export
//	cftriage version | help
//
// Global flags, accepted before or after the command and its arguments:
// --demo, --json, --profile NAME, --read-only, --account-id ID,
// --base-url URL, --timeout DURATION, --max-age D, --no-cache. "--"
// ends the flags.
//
// Exit codes:
//
//	0 ok
//	1 API error (the request was answered with an error, a refused redirect too, or failed); audit verify found problems
//	2 usage error: bad flags or arguments, invalid input (nothing sent)
//	3 not found (no such user)
//	4 configuration: no token or account id, keyring unavailable
//	5 refused: confirmation declined, stdin not a terminal without --yes, read-only, a raw call to a reviewed flow
//	6 outcome unknown: a write timed out, lost its connection, or was answered 2xx unreadably
//
// Errors go to stderr; results to stdout. With --json every outcome,
// failures included, is one JSON object on stdout.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
)

// Exit codes; see the package documentation.
const (
	ExitOK       = 0
	ExitAPI      = 1
	ExitUsage    = 2
	ExitNotFound = 3
	ExitConfig   = 4
	ExitRefused  = 5
	ExitUnknown  = 6
)

// Console runs the interactive console. main wires it to the ui package
// (cli must not import ui). Nil means the console is not built in.
var Console func(ctx context.Context, s *actions.Session) error

// Version is set at build time with -ldflags "-X cftriage/cli.Version=…".
var Version = "dev"

// io bundles the streams and the terminal hooks so tests can inject them.
type streams struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// isTerminal reports whether stdin is an interactive terminal.
	isTerminal func() bool
	// readSecret reads a line without echo (the token at login).
	readSecret func() (string, error)
}

// Main runs cftriage with args (without the program name) and returns
// the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return run(ctx, args, defaultStreams(stdin, stdout, stderr))
}

func defaultStreams(stdin io.Reader, stdout, stderr io.Writer) *streams {
	s := &streams{stdin: stdin, stdout: stdout, stderr: stderr}
	f, isFile := stdin.(*os.File)
	s.isTerminal = func() bool { return isFile && term.IsTerminal(int(f.Fd())) }
	s.readSecret = func() (string, error) {
		if !isFile {
			return "", errors.New("stdin is not a terminal")
		}
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	return s
}

// globals are the flags every command accepts.
type globals struct {
	demo      bool
	json      bool
	readOnly  bool
	profile   string
	accountID string
	baseURL   string
	timeout   time.Duration
	cache     cacheFlags // --no-cache, --max-age (cache.go)
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.BoolVar(&g.demo, "demo", false, "use the built-in simulator instead of Cloudflare")
	fs.BoolVar(&g.json, "json", false, "print the connector's JSON output")
	fs.BoolVar(&g.readOnly, "read-only", false, "refuse every state-changing request")
	fs.StringVar(&g.profile, "profile", "", "credential profile (default \"default\")")
	fs.StringVar(&g.accountID, "account-id", "", "Cloudflare account id (overrides env and profile)")
	fs.StringVar(&g.baseURL, "base-url", "", "API base URL (default "+cloudflare.DefaultBaseURL+")")
	fs.DurationVar(&g.timeout, "timeout", 30*time.Second, "timeout of each API call")
	g.cache.register(fs)
}

// check refuses global flag values the flag package accepts but that
// mean nothing: a zero or negative --timeout would otherwise fall back to
// the default without a word.
func (g *globals) check() error {
	if g.timeout <= 0 {
		return usageErr("--timeout %s: the per-call timeout must be positive, such as 30s or 2m", g.timeout)
	}
	return nil
}

// exitError carries an exit code and the message for stderr.
type exitError struct {
	code int
	msg  string
	err  error // the cause, when the message wraps one (%w)
}

func (e *exitError) Error() string { return e.msg }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, a ...any) error {
	return &exitError{code: ExitUsage, msg: fmt.Sprintf(format, a...)}
}

func refused(format string, a ...any) error {
	return &exitError{code: ExitRefused, msg: fmt.Sprintf(format, a...)}
}

func configErr(format string, a ...any) error {
	// fmt.Errorf keeps a %w cause reachable (the console's first-run
	// screen tells a keyring outage from a missing token by its type).
	e := fmt.Errorf(format, a...)
	return &exitError{code: ExitConfig, msg: e.Error(), err: errors.Unwrap(e)}
}

// errSilent is an exit code whose message was already printed.
type errSilent int

func (e errSilent) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// command is one headless command: its flags and what it runs.
type command struct {
	name  string
	usage string                          // "ip <addr>": the synopsis after "cftriage"
	desc  string                          // one or two sentences for --help
	flags func(fs *flag.FlagSet, o *opts) // command-specific flags
	run   func(ctx context.Context, e *env) error
	// sub holds subcommands (auth login, audit verify); defaultSub runs
	// when none is named.
	sub        map[string]*command
	defaultSub *command
}

// opts holds every command-specific flag; each command registers the
// ones it accepts.
type opts struct {
	format    string // triage --format
	output    string // triage -o
	failOn    string // triage --fail-on
	reason    string
	yes       bool
	devices   bool // revoke --devices
	userID    string
	query     multiFlag
	header    multiFlag
	body      string
	addr      string
	sim       simOpts
	limit     int
	withToken bool
	insecure  bool
	all       bool
	id        identityOpts // users, user --context (users.go)
	mem       memoryOpts   // cache, history and case commands (cache.go)
	strict    bool
	noPDNS    bool
	since     string
	until     string
	pdnsMax   int
}

// env is what a running command sees.
type env struct {
	*streams
	g    globals
	o    opts
	args []string // positionals after the command word(s)
	// parsed is set once the command's flags parsed: g.json is then
	// what was asked.
	parsed bool

	lineReader *bufio.Reader // see lines()
}

func run(ctx context.Context, args []string, s *streams) int {
	out := &countingWriter{w: s.stdout}
	ss := *s
	ss.stdout = out
	e := &env{streams: &ss}
	err := dispatch(ctx, args, e)
	if err != nil && out.n == 0 && (e.g.json || (!e.parsed && jsonAsked(args))) {
		// --json promises one JSON object on stdout whatever happens; a
		// command that failed before printing gets the error's.
		_ = writeJSON(s.stdout, newErrorJSON(err))
	}
	return report(s.stderr, err)
}

// printHelp prints help text, or with --json an object holding it.
func (e *env) printHelp(args []string, text string) {
	if e.g.json || jsonAsked(args) {
		_ = writeJSON(e.stdout, map[string]string{"help": text})
		return
	}
	fmt.Fprint(e.stdout, text)
}

// countingWriter tells whether a command printed anything on stdout.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// jsonAsked finds --json among arguments that did not parse (a bad flag
// elsewhere), so even a usage error answers in JSON.
func jsonAsked(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "json" {
			continue
		}
		if !hasVal {
			return true
		}
		b, err := strconv.ParseBool(val)
		return err == nil && b
	}
	return false
}

func dispatch(ctx context.Context, args []string, e *env) error {
	probe := newFlagSet("cftriage", e, nil)
	idx := firstPositional(probe, args)
	if idx < 0 {
		// Only global flags (or none): the console.
		if err := probe.Parse(reorderArgs(probe, args)); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				e.printHelp(args, helpText)
				return nil
			}
			return usageErr("%v", err)
		}
		if err := e.g.check(); err != nil {
			return err
		}
		return runConsole(ctx, e)
	}
	name := args[idx]
	rest := without(args, idx)
	cmd, ok := commands[name]
	if !ok {
		return usageErr("unknown command %q (try `cftriage help`)", name)
	}
	if cmd.sub != nil {
		// The first positional picks the subcommand; the probe knows
		// every subcommand's flags so their values are not taken for it.
		var scratch env
		p2 := newFlagSet(name, &scratch, cmd.allFlags)
		j := firstPositional(p2, rest)
		sub, found := (*command)(nil), false
		if j >= 0 {
			sub, found = cmd.sub[rest[j]]
		}
		switch {
		case found:
			rest = without(rest, j)
		case j < 0 && wantsHelp(rest):
			// "audit --help", "auth -h": the group's help, not its
			// default subcommand's.
			e.printHelp(args, cmd.help())
			return nil
		case j < 0 && cmd.defaultSub != nil:
			sub = cmd.defaultSub
		case j < 0:
			return usageErr("%s needs a subcommand: %s", name, strings.Join(cmd.subNames(), ", "))
		default:
			return usageErr("unknown %s subcommand %q; use one of: %s", name, rest[j], strings.Join(cmd.subNames(), ", "))
		}
		cmd = sub
	}
	fs := newFlagSet("cftriage "+cmd.name, e, cmd.flags)
	if err := fs.Parse(reorderArgs(fs, rest)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			e.printHelp(args, cmd.help())
			return nil
		}
		return usageErr("%v", err)
	}
	if err := e.g.check(); err != nil {
		return err
	}
	e.args = fs.Args()
	e.parsed = true
	return cmd.run(ctx, e)
}

func without(args []string, i int) []string {
	out := make([]string, 0, len(args)-1)
	out = append(out, args[:i]...)
	return append(out, args[i+1:]...)
}

func (c *command) subNames() []string {
	names := make([]string, 0, len(c.sub))
	for n := range c.sub {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// allFlags registers the flags of every subcommand (for the probe).
func (c *command) allFlags(fs *flag.FlagSet, o *opts) {
	for _, n := range c.subNames() {
		if f := c.sub[n].flags; f != nil {
			f(fs, o)
		}
	}
}

// wantsHelp reports whether args ask for help (-h, --help) before any
// "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "--h", "-help", "--help":
			return true
		}
	}
	return false
}

// help is the command's --help text: synopsis, description, its own
// flags (or subcommands) and a pointer to the global flags.
func (c *command) help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: cftriage %s\n\n%s\n", c.usage, c.desc)
	if c.sub != nil {
		b.WriteString("\nSubcommands:\n")
		for _, n := range c.subNames() {
			fmt.Fprintf(&b, "  cftriage %s\n      %s\n", c.sub[n].usage, c.sub[n].desc)
		}
	}
	if c.flags != nil {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs, &opts{})
		b.WriteString("\nFlags:\n")
		fs.VisitAll(func(f *flag.Flag) {
			kind, usage := flag.UnquoteUsage(f)
			name := "--" + f.Name
			if kind != "" {
				name += " " + kind
			}
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" && f.DefValue != "0" && f.DefValue != "0s" {
				usage += " (default " + f.DefValue + ")"
			}
			fmt.Fprintf(&b, "  %-22s %s\n", name, usage)
		})
	}
	b.WriteString("\nGlobal flags: --demo, --json, --profile NAME, --read-only, --account-id ID,\n--base-url URL, --timeout DURATION, --max-age D, --no-cache (see `cftriage help`).\n")
	return b.String()
}

func newFlagSet(name string, e *env, flags func(*flag.FlagSet, *opts)) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e.g.register(fs)
	if flags != nil {
		flags(fs, &e.o)
	}
	return fs
}

// report prints err (sanitized: it may quote API text) and maps it to
// an exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var silent errSilent
	if errors.As(err, &silent) {
		return int(silent)
	}
	fmt.Fprintln(stderr, "cftriage: "+sanitizeMultiline(errText(err)))
	return exitCode(err)
}

func exitCode(err error) int {
	var xe *exitError
	var ie *indicator.InputError
	var ce *cloudflare.Error
	var re *actions.RefusedError
	switch {
	case errors.As(err, &xe):
		return xe.code
	case errors.As(err, &re):
		return ExitRefused
	case errors.Is(err, actions.ErrUserNotFound):
		return ExitNotFound
	case errors.As(err, &ie):
		return ExitUsage
	case errors.As(err, &ce):
		switch {
		case ce.Kind == cloudflare.KindNotFound:
			return ExitNotFound
		case ce.StatusCode != 0:
			// Answered (a refused redirect too, an origin error that
			// says the redirect was not followed): an API outcome, never
			// "usage error, nothing sent".
			return ExitAPI
		case ce.Kind == cloudflare.KindInput, ce.Kind == cloudflare.KindOrigin:
			return ExitUsage
		}
		return ExitAPI
	}
	return ExitAPI
}
