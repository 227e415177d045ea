package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
)

func caseCommand() *command {
	return &command{name: "case", usage: "case new|use|add|note|list|show|export", desc: "Cases: pinned lookups and notes of an investigation, kept in the local database, exported for a ticket.",
		sub: map[string]*command{
			"new": {name: "case new", usage: "case new <name>", desc: "Create a case and make it the active one.", run: runCaseNew},
			"use": {name: "case use", usage: "case use <name>", desc: "Make an existing case the active one.", run: runCaseUse},
			"add": {name: "case add", usage: "case add <indicator>... [--user-id ID]", desc: "Look each indicator up (the cache applies) and pin the answers, as they are now, to the active case.",
				flags: func(fs *flag.FlagSet, o *opts) {
					fs.StringVar(&o.userID, "user-id", "", "pick the user with this `ID` when several have the email")
				}, run: runCaseAdd},
			"note": {name: "case note", usage: "case note <text>", desc: "Add a note (Markdown) to the active case.", run: runCaseNote},
			"list": {name: "case list", usage: "case list", desc: "Every case, newest first; * marks the active one.", run: runCaseList},
			"show": {name: "case show", usage: "case show <name>", desc: "A case's items, notes and the resets done while it was active.", run: runCaseShow},
			"export": {name: "case export", usage: "case export <name> --format md|json|stix [--mask-pii] [-o FILE]",
				desc: "Export a case: Markdown for a ticket, JSON, or a STIX 2.1 bundle.",
				flags: func(fs *flag.FlagSet, o *opts) {
					fs.StringVar(&o.mem.format, "format", "md", "`md|json|stix`")
					fs.BoolVar(&o.mem.maskPII, "mask-pii", false, "leave out user emails and names")
					fs.StringVar(&o.mem.output, "o", "", "write to `FILE` (mode 0600) instead of stdout")
				}, run: runCaseExport},
		}}
}

// caseError maps the store's case errors to exit codes.
func caseError(db *store.DB, err error) error {
	var ie *indicator.InputError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNoCase):
		return &exitError{code: ExitNotFound, msg: clean(err.Error()), err: err}
	case errors.Is(err, store.ErrNoActiveCase):
		return &exitError{code: ExitUsage, msg: err.Error(), err: err}
	case errors.Is(err, store.ErrDBUnavailable):
		return dbError(db, err)
	case errors.As(err, &ie):
		return err
	}
	return &exitError{code: ExitUsage, msg: clean(err.Error()), err: err}
}

func oneName(e *env, usage string) (string, error) {
	name := strings.TrimSpace(strings.Join(e.args, " "))
	if name == "" {
		return "", usageErr("usage: cftriage %s", usage)
	}
	if err := store.CheckCaseName(name); err != nil {
		return "", usageErr("%v", err)
	}
	return name, nil
}

func runCaseNew(_ context.Context, e *env) error {
	return runCaseNamed(e, "case new <name>", (*store.DB).CreateCase,
		"Created case %q; it is the active case (`cftriage case add <indicator>` pins to it).\n")
}

func runCaseUse(_ context.Context, e *env) error {
	return runCaseNamed(e, "case use <name>", (*store.DB).ActivateCase, "Case %q is now the active case.\n")
}

// runCaseNamed is case new and case use: op on the one named case, which
// --json prints whole; say is the sentence, its %q the case's name.
func runCaseNamed(e *env, usage string, op func(*store.DB, string) (store.Case, error), say string) error {
	name, err := oneName(e, usage)
	if err != nil {
		return err
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := op(s.DB, name)
	if err != nil {
		return caseError(s.DB, err)
	}
	if e.g.json {
		return writeJSON(e.stdout, c)
	}
	fmt.Fprintf(e.stdout, say, clean(c.Name))
	return nil
}

func runCaseAdd(ctx context.Context, e *env) error {
	if len(e.args) == 0 {
		return usageErr("usage: cftriage case add <indicator>... [--user-id ID]")
	}
	// Every indicator is read before anything is sent.
	for _, a := range e.args {
		if _, err := indicator.Detect(a); err != nil {
			return err
		}
	}
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()
	if !sess.DB.Available() {
		return dbError(sess.DB, store.ErrDBUnavailable)
	}
	active, err := sess.DB.ActiveCase()
	if err != nil {
		return caseError(sess.DB, err)
	}
	type pinned struct {
		Indicator string `json:"indicator"`
		Kind      string `json:"kind"`
		Verdict   string `json:"verdict"`
	}
	var out []pinned
	for _, a := range e.args {
		entry, err := actions.PinLookup(ctx, sess.Client, sess.DB, a, e.o.userID)
		if err != nil {
			var ce *cloudflare.Error
			if errors.As(err, &ce) || errors.Is(err, actions.ErrUserNotFound) {
				return e.apiFailure(err)
			}
			return caseError(sess.DB, err)
		}
		out = append(out, pinned{entry.Indicator, entry.Kind, entry.Verdict})
		if !e.g.json {
			fmt.Fprintf(e.stdout, "Pinned %s (%s) to %q: %s\n", clean(entry.Indicator), entry.Kind, clean(active.Name), orNone(clean(entry.Verdict)))
		}
	}
	if e.g.json {
		return writeJSON(e.stdout, struct {
			Case   string   `json:"case"`
			Pinned []pinned `json:"pinned"`
		}{active.Name, out})
	}
	return nil
}

func runCaseNote(_ context.Context, e *env) error {
	text := strings.TrimSpace(strings.Join(e.args, " "))
	if text == "" {
		return usageErr("usage: cftriage case note <text>")
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.DB.ActiveCase()
	if err != nil {
		return caseError(s.DB, err)
	}
	if _, err := actions.AddNote(s.DB, text); err != nil {
		return caseError(s.DB, err)
	}
	if !e.g.json {
		fmt.Fprintf(e.stdout, "Noted in %q.\n", clean(c.Name))
		return nil
	}
	return writeJSON(e.stdout, struct {
		Case string `json:"case"`
		Note string `json:"note"`
	}{c.Name, text})
}

func runCaseList(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage case list")
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := s.DB.Cases()
	if err != nil {
		return caseError(s.DB, err)
	}
	if e.g.json {
		if cs == nil {
			cs = []store.Case{}
		}
		return writeJSON(e.stdout, struct {
			Cases []store.Case `json:"cases"`
		}{cs})
	}
	if len(cs) == 0 {
		fmt.Fprintln(e.stdout, "No cases yet; create one with `cftriage case new <name>`.")
		return nil
	}
	for _, c := range cs {
		mark := " "
		if c.Active {
			mark = "*"
		}
		fmt.Fprintf(e.stdout, "%s %-30s  created %s  %d item(s), %d note(s)\n", mark, clean(c.Name), c.Created.Local().Format("2006-01-02 15:04"), c.Items, c.Notes)
	}
	return nil
}

// caseReport loads the named case with the session's audit log.
func (e *env) caseReport(s *actions.Session, name string, mask bool) (actions.CaseReport, error) {
	org := s.AccountName
	if org == "" && s.Config != nil {
		if p := s.Config.Profile(s.Profile); p != nil {
			org = p.AccountName
		}
	}
	if e.g.demo && org == "" {
		org = "Demo account (simulator)"
	}
	path := ""
	if s.Audit != nil {
		path = s.Audit.Path()
	}
	if e.g.demo {
		path = store.AuditPath(s.StateDir)
	}
	return actions.LoadCase(s.DB, name, path, org, mask)
}

func runCaseShow(_ context.Context, e *env) error {
	name, err := oneName(e, "case show <name>")
	if err != nil {
		return err
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := e.caseReport(s, name, false)
	if err != nil {
		return caseError(s.DB, err)
	}
	if e.g.json {
		b, err := actions.ExportJSON(r)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(escapeTerminalRunes(b))
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "Case %s (created %s)\n", clean(r.Name), r.Created.Local().Format("2006-01-02 15:04"))
	if len(r.Entries) == 0 {
		fmt.Fprintln(w, "  nothing pinned yet")
	}
	for _, en := range r.Entries {
		at := en.Added.Local().Format("2006-01-02 15:04")
		if en.Type == store.EntryNote {
			fmt.Fprintf(w, "  %s  note: %s\n", at, clean(en.Note))
			continue
		}
		fmt.Fprintf(w, "  %s  %-6s %s — %s\n", at, en.Kind, clean(en.Indicator), orNone(clean(en.Verdict)))
		for _, f := range en.Facts {
			fmt.Fprintf(w, "      %-12s %s  (%s, %s)\n", clean(f.Label)+":", clean(f.Value), clean(f.Operation), f.Fetched.Local().Format("2006-01-02 15:04"))
		}
	}
	for _, wr := range r.Writes {
		fmt.Fprintf(w, "  %s  %s of %s: %s (reason %q, attempt %s)\n", wr.Time.Local().Format("2006-01-02 15:04"), wr.Action, clean(wr.Target), clean(wr.Outcome), clean(wr.Reason), clean(wr.AttemptID))
	}
	return nil
}

func runCaseExport(_ context.Context, e *env) error {
	name, err := oneName(e, "case export <name> --format md|json|stix [--mask-pii] [-o FILE]")
	if err != nil {
		return err
	}
	format := strings.ToLower(strings.TrimSpace(e.o.mem.format))
	switch format {
	case actions.FormatMarkdown, "markdown":
		format = actions.FormatMarkdown
	case actions.FormatJSON, actions.FormatSTIX:
	default:
		return usageErr("--format %q: use md, json or stix", clean(e.o.mem.format))
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := e.caseReport(s, name, e.o.mem.maskPII)
	if err != nil {
		return caseError(s.DB, err)
	}
	out, err := actions.Export(r, format)
	if err != nil {
		return err
	}
	if e.o.mem.output == "" {
		_, err := e.stdout.Write(escapeTerminalRunes(out))
		return err
	}
	f, err := createOutput(e.o.mem.output)
	if err != nil {
		return err
	}
	_, werr := f.Write(out)
	if err := errors.Join(werr, f.Close()); err != nil {
		return &exitError{code: ExitAPI, msg: fmt.Sprintf("writing %s: %v", e.o.mem.output, err)}
	}
	fmt.Fprintf(e.stderr, "Exported case %q (%s) to %s at %s.\n", clean(r.Name), format, clean(e.o.mem.output), time.Now().Format("15:04:05"))
	return nil
}
