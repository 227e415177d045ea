package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
	recs, err := store.ReadAudit(path, e.o.limit)
	if err != nil {
		return &exitError{code: ExitAPI, msg: fmt.Sprintf("reading %s: %v", path, err)}
	}
	if e.g.json {
		if recs == nil {
			recs = []store.AuditRecord{}
		}
		return writeJSON(e.stdout, recs)
	}
	if len(recs) == 0 {
		fmt.Fprintf(e.stdout, "no audited actions in %s\n", path)
		return nil
	}
	// The file is ours but may have been edited: sanitize like API text.
	for _, r := range recs {
		what := r.TargetEmail
		if r.Action == store.ActionAPICall {
			what = r.Method + " " + r.URL
		}
		result := r.Phase
		if r.Phase == store.PhaseOutcome {
			result = r.Outcome
			if r.HTTPStatus != 0 {
				result += fmt.Sprintf(" (HTTP %d)", r.HTTPStatus)
			}
		}
		fmt.Fprintf(e.stdout, "%5d  %s  %-10s  %-18s  %s  by %s", r.Seq, r.Time.Format("2006-01-02 15:04:05Z"),
			clean(r.Action), clean(result), clean(what), clean(r.Operator.OSUser))
		if r.Reason != "" {
			fmt.Fprintf(e.stdout, "  reason: %s", clean(r.Reason))
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}

func runAuditVerify(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage audit verify")
	}
	path, err := e.auditPath()
	if err != nil {
		return err
	}
	rep, err := store.VerifyAudit(path)
	if err != nil {
		return &exitError{code: ExitAPI, msg: fmt.Sprintf("verifying %s: %v", path, err)}
	}
	if e.g.json {
		if err := writeJSON(e.stdout, rep); err != nil {
			return err
		}
	} else {
		if rep.OK {
			fmt.Fprintf(e.stdout, "audit log OK: %d record(s), chain intact, every intent has an outcome (%s)\n", rep.Lines, path)
		} else {
			fmt.Fprintf(e.stdout, "audit log %s: %d problem(s) in %d line(s)\n", path, len(rep.Problems), rep.Lines)
			for _, p := range rep.Problems {
				fmt.Fprintf(e.stdout, "  line %d: %s: %s\n", p.Line, clean(p.Kind), clean(p.Msg))
			}
		}
		if !rep.HeadChecked && rep.Lines > 0 {
			fmt.Fprintln(e.stdout, "  note: no head file, so removal of the last records cannot be detected")
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
