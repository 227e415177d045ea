package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
)

var commands map[string]*command

func init() {
	userFlag := func(fs *flag.FlagSet, o *opts) {
		fs.StringVar(&o.userID, "user-id", "", "pick the user with this `ID` when several have the email")
	}
	yesFlag := func(fs *flag.FlagSet, o *opts) {
		fs.BoolVar(&o.yes, "yes", false, "do not ask for confirmation")
	}
	commands = map[string]*command{
		"ip": {name: "ip", usage: "ip <addr> [--no-pdns] [--since DAY] [--until DAY] [--pdns-max N]",
			desc:  "IP overview: ASN, risk types and (IPv4) passive DNS, read 1,000 records a request up to --pdns-max.",
			flags: ipFlags, run: runIP},
		"domain": {name: "domain", usage: "domain <name|URL>", desc: "Domain overview and WHOIS; a URL is looked up by its host.", run: runDomain},
		"lookup": {name: "lookup", usage: "lookup <indicator> [ip or user flags]",
			desc: "Detect what the indicator is, as the console's search box does (IP, domain or URL, email, ASN; defanged or not), and look it up as that command would.",
			flags: func(fs *flag.FlagSet, o *opts) {
				ipFlags(fs, o)
				withContextFlag(userFlag)(fs, o)
			}, run: runLookup},
		"asn": {name: "asn", usage: "asn <number>", desc: "ASN: its subnets, and its name, country, type and domains when the overview carries them (13335 or AS13335).",
			run: runASN},
		"user": {name: "user", usage: "user <email> [--user-id ID] [--context]", desc: "Zero Trust user: risk level, last reset and risk events; with --context also the last seen identity, sessions, failed logins, Access requests and devices.",
			flags: withContextFlag(userFlag), run: runUserCommand},
		"users": {name: "users", usage: "users [--level low|medium|high] [--csv]", desc: "The risky users, most severe first, then most recent.",
			flags: usersFlags, run: runUsers},
		"reset": {name: "reset", usage: "reset <email> --reason TEXT [--yes] [--user-id ID]",
			desc: "Reset a user's risk score. Audited; asks for the user's email unless --yes.",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.StringVar(&o.reason, "reason", "", "why: free `TEXT` or a ticket id (required, audited)")
				yesFlag(fs, o)
				userFlag(fs, o)
			}, run: runReset},
		"revoke": {name: "revoke", usage: "revoke <email> --reason TEXT [--devices] [--yes] [--user-id ID]",
			desc: "Revoke a user's Access sessions (the user can sign in again unless the identity provider blocks them). Audited; asks for the user's email unless --yes.",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.StringVar(&o.reason, "reason", "", "why: free `TEXT` or a ticket id (required, audited)")
				fs.BoolVar(&o.devices, "devices", false, "also revoke the user's devices (WARP registrations)")
				yesFlag(fs, o)
				userFlag(fs, o)
			}, run: runRevoke},
		"api": {name: "api", usage: "api <METHOD> <path> [--query k=v]... [--header k=v]... [--body JSON|@file] [--yes]",
			desc: "Custom API call; <path> is under the API base and {account_id} is filled in. Writes are audited and ask unless --yes.",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.Var(&o.query, "query", "query parameter `k=v` (repeatable)")
				fs.Var(&o.header, "header", "header `k=v` (repeatable)")
				fs.StringVar(&o.body, "body", "", "request body: inline `JSON`, or @file to read it from a file")
				yesFlag(fs, o)
			}, run: runAPI},
		"sim": {name: "sim", usage: simUsage, desc: simDesc, flags: simFlags, run: runSim},
		"triage": {name: "triage", usage: "triage [FILE|-] [--format table|csv|json|ndjson|md] [-o FILE] [--fail-on risky]",
			desc: "Every indicator in a text (alert, email, logs, CSV; FILE, - or a pipe) looked up within the quota, most severe first.",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.StringVar(&o.format, "format", "", "output `FORMAT`: table (default), csv, json (default with --json), ndjson, md")
				fs.StringVar(&o.output, "o", "", "write the output to `FILE` (0600) instead of stdout")
				fs.StringVar(&o.failOn, "fail-on", "", "exit 8 when any indicator has this verdict (`risky`)")
			}, run: runTriage},
		"version": {name: "version", usage: "version", desc: "Print the version.", run: runVersion},
		"help":    {name: "help", usage: "help [command]", desc: "Print the help, or a command's.", run: runHelp},
	}
	for name, c := range memoryCommands() {
		commands[name] = c
	}
	auditList := &command{name: "audit", usage: "audit [--limit N]",
		desc: "Recent audited attempts, newest first, one line each (intent and outcome paired). With --json: the records themselves, one per element.",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.IntVar(&o.limit, "limit", 20, "how many attempts (`N`; with --json: records); 0 = all")
		},
		run: runAuditList}
	commands["audit"] = &command{name: "audit", usage: "audit [list] [--limit N] | audit verify", desc: "The audit log of risk resets and API writes.",
		defaultSub: auditList, sub: map[string]*command{
			"list": auditList,
			"verify": {name: "audit verify", usage: "audit verify [--strict]",
				desc: "Check the audit log's hash chain, head file and intent/outcome pairing; exit 1 on any problem. A record beyond the head file (a crash, or something else appended it) is a warning, and with --strict a problem.",
				flags: func(fs *flag.FlagSet, o *opts) {
					fs.BoolVar(&o.strict, "strict", false, "fail on warnings too (a record beyond the head file)")
				},
				run: runAuditVerify},
		}}
	commands["auth"] = &command{name: "auth", usage: "auth login|status|logout", desc: "Manage credentials.", sub: map[string]*command{
		"login": {name: "auth login", usage: "auth login [--with-token] [--insecure-storage]", desc: "Verify a token, pick the account and store the token in the keyring.",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.BoolVar(&o.withToken, "with-token", false, "read the token from stdin")
				fs.BoolVar(&o.insecure, "insecure-storage", false, "store the token in a 0600 file instead of the keyring")
			}, run: runAuthLogin},
		"status": {name: "auth status", usage: "auth status", desc: "Where the credentials come from, the token's status and its capabilities.", run: runAuthStatus},
		"logout": {name: "auth logout", usage: "auth logout [--all]", desc: "Remove the stored token (--all: and the profile's config).",
			flags: func(fs *flag.FlagSet, o *opts) { fs.BoolVar(&o.all, "all", false, "also remove the profile's config") },
			run:   runAuthLogout},
	}}
}

const helpText = `cftriage — investigation console for Cloudflare threat intel and Zero Trust user risk

Usage:
  cftriage [global flags]                 open the console
  cftriage <command> [args] [flags]       run one command headless

Commands:
  ip <addr> [--no-pdns] [--since DAY] [--until DAY] [--pdns-max N]
                                    IP overview (ASN, risk types, passive DNS)
  domain <name|URL>                 domain overview and WHOIS (a URL: its host)
  lookup <indicator>                detect the kind (IP, domain, URL, email, ASN) and look it up
  asn <number>                      ASN subnets, and name, country, type, domains when known
  user <email> [--user-id ID] [--context]
                                    Zero Trust user: risk level, last reset, events
                                    (--context: last seen identity, sessions, logins, devices)
  users [--level LEVEL] [--csv]     risky users, most severe first (LEVEL: low, medium, high)
  reset <email> --reason TEXT [--yes] [--user-id ID]
                                    reset a user's risk score (audited; asks unless --yes)
  revoke <email> --reason TEXT [--devices] [--yes] [--user-id ID]
                                    revoke a user's Access sessions (audited; asks unless --yes)
  api <METHOD> <path> [--query k=v]... [--header k=v]... [--body JSON|@file] [--yes]
                                    custom API call (writes are audited; asks unless --yes)
  triage [FILE|-] [--format table|csv|json|ndjson|md] [-o FILE] [--fail-on risky]
                                    every indicator in a text, looked up within the quota
  sim [--addr 127.0.0.1:8787] [--variants] [--quota N --window D] [faults]
                                    run the API simulator standalone (prints export lines)
  audit [--limit N]                 recent audited attempts, one line each (--json: the records)
  audit verify [--strict]           check the audit log's hash chain (--demo: the demo's log)
  auth login [--with-token] [--insecure-storage]
                                    verify a token, pick the account, store it in the keyring
  auth status                       where the credential comes from, token status, capabilities
  auth logout [--all]               remove the stored token (--all: and the profile's config)
  cache stats | cache purge [--users]
                                    the local cache of answers: size per kind, or delete it
  history [--since D] [--kind ip|domain|user|asn] [--limit N]
                                    earlier lookups across runs, newest first
  case new|use|add|note|list|show|export
                                    cases: pin lookups and notes, export md/json/stix
  version, help

Global flags (before or after the arguments; "--" ends flags):
  --demo              use the built-in simulator (and the demo's own audit log, history and config)
  --json              machine-readable output (the connector's shapes)
  --profile NAME      credential profile (default "default")
  --read-only         refuse every state-changing request
  --account-id ID     account (overrides CLOUDFLARE_ACCOUNT_ID and the profile)
  --base-url URL      API base (overrides CLOUDFLARE_BASE_URL)
  --timeout DURATION  per-call timeout (default 30s)
  --max-age D         use cached answers at most D old (30m, 2h, 7d; 0 = always fetch)
  --no-cache          neither use nor keep cached answers

Credentials: --account-id, then CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID /
CLOUDFLARE_BASE_URL, then the profile's keyring entry and config.
HTTPS_PROXY and NO_PROXY are honoured.

Exit codes: 0 ok, 1 API error, 2 usage or invalid input (nothing sent),
3 not found, 4 credentials/config missing, 5 refused (not confirmed,
not a terminal without --yes, read-only, a raw call to a reviewed flow),
6 outcome unknown (a write timed out, or its answer could not be read).
`

// runHelp prints the help, or with a command name ("help audit verify")
// that command's.
func runHelp(_ context.Context, e *env) error {
	if len(e.args) == 0 {
		e.printHelp(nil, helpText)
		return nil
	}
	cmd, ok := commands[e.args[0]]
	if !ok {
		return usageErr("unknown command %q (try `cftriage help`)", e.args[0])
	}
	if len(e.args) > 1 && cmd.sub != nil {
		sub, ok := cmd.sub[e.args[1]]
		if !ok {
			return usageErr("unknown %s subcommand %q; use one of: %s", cmd.name, e.args[1], strings.Join(cmd.subNames(), ", "))
		}
		cmd = sub
	}
	e.printHelp(nil, cmd.help())
	return nil
}

func runVersion(_ context.Context, e *env) error {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if e.g.json {
		return writeJSON(e.stdout, map[string]string{"version": v})
	}
	fmt.Fprintf(e.stdout, "cftriage %s\n", v)
	return nil
}

func runConsole(ctx context.Context, e *env) error {
	if Console == nil {
		fmt.Fprintln(e.stderr, "cftriage: console not built yet; run `cftriage help` for the headless commands")
		return errSilent(ExitUsage)
	}
	s, err := e.connect(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	return Console(ctx, s)
}
