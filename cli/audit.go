package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"cftriage/actions"
	"cftriage/store"
)

// auditPath is the audit log the commands read: the demo's own with
// --demo (where the demo's resets and writes are recorded), else the real
// one.
func (e *env) auditPath() (string, error) {
	dir, err := store.StateDir()
	if e.g.demo {
		dir, err = store.DemoStateDir()
	}
	if err != nil {
		return "", configErr("audit log: %v", err)
	}
	return store.AuditPath(dir), nil
}

func runAuditList(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage audit [--limit N] | cftriage audit verify")
	}
	if e.o.limit < 0 {
		return usageErr("--limit must be >= 0")
	}
	path, err := e.auditPath()
	if err != nil {
		return err
	}
	// --json prints records (scripts get them as written); the human
	// list prints attempts, which take up to two records each. Reading
	// a little more than twice the limit finds the intents of the
	// newest outcomes even when two writers interleaved.
	read := e.o.limit
	if !e.g.json && read > 0 {
		read = 2*read + 64
	}
	recs, err := store.ReadAudit(path, read)
	if err != nil {
		return &exitError{code: ExitAPI, msg: fmt.Sprintf("reading %s: %v", path, err)}
	}
	if e.g.json {
		if recs == nil {
			recs = []store.AuditRecord{}
		}
		return writeJSON(e.stdout, recs)
	}
	entries := store.GroupAudit(recs)
	if e.o.limit > 0 && len(entries) > e.o.limit {
		entries = entries[:e.o.limit]
	}
	if len(entries) == 0 {
		fmt.Fprintf(e.stdout, "no audited actions in %s\n", clean(path))
		return nil
	}
	for _, en := range entries {
		fmt.Fprintln(e.stdout, auditLine(en))
	}
	return nil
}

// auditLine is one attempt on one line, as the Audit pane pairs them:
// when it started, the action, its outcome, the target, the risk level
// before → after (a reset), who, and why. The file is ours but may have
// been edited: everything is sanitized like API text.
func auditLine(en store.AuditEntry) string {
	r := en.Rec()
	when := "????-??-?? ??:??:?? UTC"
	if t := en.When(); !t.IsZero() {
		when = t.UTC().Format("2006-01-02 15:04:05") + " UTC"
	}
	result := clean(en.OutcomeWord())
	if result == "" {
		result = "?"
	}
	if en.Outcome != nil && en.Outcome.HTTPStatus != 0 {
		result += fmt.Sprintf(" (HTTP %d)", en.Outcome.HTTPStatus)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-10s  %-18s  %s", when, clean(r.Action), result, clean(en.Target()))
	before := r.Before
	if before == nil && en.Intent != nil {
		before = en.Intent.Before
	}
	switch {
	case before != nil && en.Outcome != nil && en.Outcome.After != nil:
		fmt.Fprintf(&b, "  level %s → %s", actions.LevelWord(before.RiskLevel), actions.LevelWord(en.Outcome.After.RiskLevel))
	case before != nil:
		fmt.Fprintf(&b, "  level %s", actions.LevelWord(before.RiskLevel))
	}
	b.WriteString(revokeSummary(en))
	if op := clean(r.Operator.OSUser); op != "" {
		fmt.Fprintf(&b, "  by %s", op)
	}
	if r.Reason != "" {
		fmt.Fprintf(&b, "  reason: %s", clean(r.Reason))
	}
	return b.String()
}

// verifyOutput is `audit verify --json`: the report (with --strict its
// warnings are problems), where the log is, and whether there is any log
// at all.
type verifyOutput struct {
	store.VerifyReport
	Path   string `json:"path"`
	Absent bool   `json:"absent"` // no log and no head file: nothing verified
	Strict bool   `json:"strict"`
}

func notExist(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, os.ErrNotExist)
}

func runAuditVerify(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage audit verify [--strict]")
	}
	path, err := e.auditPath()
	if err != nil {
		return err
	}
	// Looked at before verifying: a log that appears meanwhile has
	// records and is verified as usual.
	missing := notExist(path) && notExist(path+".head")
	rep, err := store.VerifyAudit(path)
	if err != nil {
		return &exitError{code: ExitAPI, msg: fmt.Sprintf("verifying %s: %v", path, err)}
	}
	if e.o.strict {
		rep = rep.Strict()
	}
	// Neither the log nor its head: nothing to verify, which is not a
	// failure, but not an intact chain either (the log may have been
	// removed with its head), so it is said plainly.
	absent := missing && rep.OK && rep.Lines == 0
	if e.g.json {
		if err := writeJSON(e.stdout, verifyOutput{VerifyReport: rep, Path: path, Absent: absent, Strict: e.o.strict}); err != nil {
			return err
		}
	} else {
		if absent {
			fmt.Fprintf(e.stdout, "no audit log at %s: nothing has been recorded here yet (if actions were recorded, the log has been removed)\n", clean(path))
			return nil
		}
		switch {
		case rep.OK && len(rep.Warnings) > 0:
			fmt.Fprintf(e.stdout, "audit log OK with %d warning(s): %d record(s), chain intact, every intent has an outcome (%s)\n", len(rep.Warnings), rep.Lines, clean(path))
		case rep.OK:
			fmt.Fprintf(e.stdout, "audit log OK: %d record(s), chain intact, every intent has an outcome (%s)\n", rep.Lines, clean(path))
		default:
			fmt.Fprintf(e.stdout, "audit log %s: %d problem(s) in %d line(s)\n", clean(path), len(rep.Problems), rep.Lines)
			for _, p := range rep.Problems {
				fmt.Fprintf(e.stdout, "  line %d: %s: %s\n", p.Line, clean(p.Kind), clean(p.Msg))
			}
		}
		for _, w := range rep.Warnings {
			fmt.Fprintf(e.stdout, "  warning, line %d: %s: %s\n", w.Line, clean(w.Kind), clean(w.Msg))
		}
		if len(rep.Warnings) > 0 {
			fmt.Fprintln(e.stdout, "  `cftriage audit verify --strict` fails on warnings")
		}
	}
	if !rep.OK {
		kinds := map[string]bool{}
		for _, p := range rep.Problems {
			kinds[p.Kind] = true
		}
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		sort.Strings(names)
		return &exitError{code: ExitAPI, msg: "audit log verification failed: " + clean(strings.Join(names, ", "))}
	}
	return nil
}

// revokeSummary is a session revoke's sessions before → after, and
// whether the devices went too ("" for other actions).
func revokeSummary(en store.AuditEntry) string {
	var in, out *store.AuditRevoke
	if en.Intent != nil {
		in = en.Intent.Revoke
	}
	if en.Outcome != nil {
		out = en.Outcome.Revoke
	}
	if in == nil && out == nil {
		return ""
	}
	count := func(n *int) string {
		if n == nil {
			return "?"
		}
		return strconv.Itoa(*n)
	}
	var before, after *int
	devices := false
	if in != nil {
		before, devices = in.SessionsBefore, in.Devices
	}
	if out != nil {
		after, devices = out.SessionsAfter, devices || out.Devices
		if before == nil {
			before = out.SessionsBefore
		}
	}
	s := "  sessions " + count(before)
	if out != nil {
		s += " → " + count(after)
	}
	if devices {
		s += " (+devices)"
	}
	return s
}
