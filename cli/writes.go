package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
)

// parseAPIRequest validates the api command's arguments into a request.
// Everything wrong is a usage error before any credential or request.
func parseAPIRequest(e *env) (cloudflare.RawRequest, error) {
	if len(e.args) != 2 {
		return cloudflare.RawRequest{}, usageErr("usage: cftriage api <METHOD> <path> [--query k=v]... [--header k=v]... [--body <json>|@file] [--yes]")
	}
	req := cloudflare.RawRequest{Method: strings.ToUpper(e.args[0]), Path: e.args[1]}
	if !cloudflare.RawMethodAllowed(req.Method) {
		return req, usageErr("the method %s is not one cftriage sends: use %s; nothing was sent", strconv.QuoteToGraphic(e.args[0]), strings.Join(cloudflare.RawMethods, ", "))
	}
	if strings.TrimSpace(req.Path) == "" {
		return req, usageErr("empty path")
	}
	// A path copied from the docs still has its <user_id>; say which
	// part to fill in rather than which character is not allowed.
	if ph := actions.UnfilledPlaceholder(req.Path); ph != "" {
		msg := fmt.Sprintf("the path still has the placeholder %s: replace %s with a value; nothing was sent", clean(ph), clean(ph))
		if strings.Contains(strings.ToLower(ph), "user") {
			msg += " (`cftriage user <email>` shows a user's id)"
		}
		return req, usageErr("%s", msg)
	}
	for _, q := range e.o.query {
		k, v, ok := strings.Cut(q, "=")
		if !ok || k == "" {
			return req, usageErr("--query %q: want key=value", q)
		}
		req.Query = append(req.Query, [2]string{k, v})
	}
	for _, h := range e.o.header {
		k, v, ok := strings.Cut(h, "=")
		if !ok {
			k, v, ok = strings.Cut(h, ":")
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return req, usageErr("--header %q: want name=value", h)
		}
		// The client sets the credentials; a header must not replace or
		// leak them.
		switch strings.ToLower(k) {
		case "authorization", "x-auth-key", "x-auth-email", "x-auth-user-service-key", "host":
			return req, usageErr("--header %s: the client sets this header itself", k)
		}
		req.Header = append(req.Header, [2]string{k, v})
	}
	if e.o.body != "" {
		body := []byte(e.o.body)
		if strings.HasPrefix(e.o.body, "@") {
			b, err := os.ReadFile(e.o.body[1:])
			if err != nil {
				return req, usageErr("--body: %v", err)
			}
			body = b
		}
		if !json.Valid(body) {
			// The line:column, as the Request pane shows it.
			msg := actions.JSONError(string(body))
			if msg == "" {
				msg = "it is empty"
			}
			what := "--body"
			if strings.HasPrefix(e.o.body, "@") {
				what += " " + e.o.body
			}
			return req, usageErr("%s: %s", what, msg)
		}
		req.Body = body
	}
	return req, nil
}

func runAPI(ctx context.Context, e *env) error {
	req, err := parseAPIRequest(e)
	if err != nil {
		return err
	}
	write := actions.IsWrite(req.Method)
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()
	// The write flow's own checks, before the confirmation and any
	// request (including the token verify behind the audit operator):
	// another origin, a bad path, header or body; read-only mode; an
	// operation only a reviewed flow may perform.
	w := sess.Writer()
	if _, err := w.Check(req); err != nil {
		return err
	}
	if write && !e.o.yes && !e.isTerminal() {
		return refused("refusing to send %s without --yes: stdin is not a terminal", req.Method)
	}
	if write && !e.o.yes {
		q := fmt.Sprintf("Send %s %s to account %s? [y/N] ", req.Method, clean(req.Path), sess.accountLabel())
		if !e.confirm(q, "y", "yes") {
			return refused("not sent: not confirmed")
		}
	}
	var op store.Operator
	if write {
		op = sess.Operator(ctx)
	}
	ex, err := actions.Send(ctx, w, req, op)
	if ex == nil {
		var ce *cloudflare.Error
		if errors.As(err, &ce) {
			ex = ce.Exchange
		}
	}
	if ex != nil {
		if e.g.json {
			// A failure's exchange goes out with its error (run prints
			// both), so a script sees one object either way.
			if err == nil {
				return writeJSON(e.stdout, exchangeFields(ex))
			}
		} else if ex.StatusCode != 0 { // no answer (a timeout): nothing to show but the error
			fmt.Fprintf(e.stdout, "%s %s → HTTP %d\n", req.Method, clean(ex.URL), ex.StatusCode)
			fmt.Fprintln(e.stdout, sanitizeMultiline(prettyBody(ex.Body)))
		}
	}
	switch {
	case err == nil:
		return nil
	case write && actions.OutcomeOf(err) == actions.OutcomeUnknown:
		return withExchange(&exitError{code: ExitUnknown, msg: fmt.Sprintf("outcome unknown: %s — the %s may or may not have been applied; it was not retried", e.explain(err), req.Method), err: err}, ex)
	case !write && actions.TimedOut(err):
		return withExchange(&exitError{code: ExitAPI, msg: actions.Explain(err) + " " + readTimeoutRemedy, err: err}, ex)
	}
	return withExchange(err, ex)
}

// prettyBody indents a JSON body for reading; anything else is shown as is.
func prettyBody(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) == nil {
		if out, err := json.MarshalIndent(v, "", "  "); err == nil {
			return string(out)
		}
	}
	return string(b)
}

// confirm asks question on stderr and reads one line from stdin; it
// returns true when the answer is one of accept (case-insensitive).
func (e *env) confirm(question string, accept ...string) bool {
	fmt.Fprint(e.stderr, question)
	line, err := e.readLine()
	if err != nil {
		fmt.Fprintln(e.stderr)
		return false
	}
	ans := strings.TrimSpace(line)
	for _, a := range accept {
		if strings.EqualFold(ans, a) {
			return true
		}
	}
	return false
}

func runReset(ctx context.Context, e *env) error {
	email, reason, sess, w, err := e.startWrite(ctx, "reset <email> --reason <text> [--yes]", "reset the risk score", "reset")
	if err != nil {
		return err
	}
	defer sess.close()
	// What the analyst reviews comes fresh from the API, never the cache.
	res, err := e.lookupUser(cloudflare.WithFresh(ctx), sess.Client, email)
	if err != nil {
		return err
	}
	before := res.Risk
	if !e.o.yes {
		fmt.Fprintf(e.stderr, "Reset the risk score of %s <%s> (id %s) in account %s.\n", orNone(clean(res.User.Name)), email, clean(res.User.ID), sess.accountLabel())
		fmt.Fprintf(e.stderr, "Now: risk level %s, last reset %s, %d event(s). Cloudflare clears the user's risk history.\n", riskLevel(before), lastReset(before), len(before.Events))
	}
	blast := e.showBlastRadius(ctx, sess.Client, res.User.ID, &before) // users.go; shown with --yes too
	if err := e.confirmEmail(email); err != nil {
		return err
	}
	r := actions.Reset(ctx, w, actions.ResetRequest{
		Email:        email,
		UserID:       res.User.ID,
		Name:         res.User.Name,
		Reason:       reason,
		Before:       before,
		AccountID:    sess.AccountID,
		Operator:     sess.Operator(ctx),
		Integrations: blast.Audit(),
	})
	// A failure prints its error and exchange instead (see run).
	if err := e.writeResultJSON(r.WriteResult, false); err != nil {
		return err
	}
	if !e.g.json {
		printResetResult(e, r)
	}
	return e.finishWrite("reset", r.WriteResult, r.Exchange)
}

// startWrite is what the headless reviewed writes (reset, revoke) do
// before their lookup: read the one email argument and --reason, open the
// session, and refuse in read-only mode (the flow refuses whatever the
// frontend does; asked first, so nothing is looked up or confirmed for
// it) or without --yes on a non-terminal. what is the read-only refusal's
// "<what>", verb the non-terminal's. The caller closes sess.
func (e *env) startWrite(ctx context.Context, usage, what, verb string) (email, reason string, sess *session, w actions.Writer, err error) {
	if len(e.args) != 1 {
		return "", "", nil, actions.Writer{}, usageErr("usage: cftriage %s", usage)
	}
	email, err = indicator.NormalizeEmail(indicator.Refang(e.args[0]))
	if err != nil {
		return "", "", nil, actions.Writer{}, err
	}
	reason = strings.TrimSpace(e.o.reason)
	if reason == "" {
		return "", "", nil, actions.Writer{}, usageErr("--reason is required (free text or a ticket id); it goes into the audit log")
	}
	if err := actions.CheckReason(reason); err != nil {
		return "", "", nil, actions.Writer{}, usageErr("--%v", err)
	}
	sess, err = e.open(ctx)
	if err != nil {
		return "", "", nil, actions.Writer{}, err
	}
	w = sess.Writer()
	if err := w.CanWrite(what); err != nil {
		sess.close()
		return "", "", nil, actions.Writer{}, err
	}
	if !e.o.yes && !e.isTerminal() {
		sess.close()
		return "", "", nil, actions.Writer{}, refused("refusing to %s without --yes: stdin is not a terminal", verb)
	}
	return email, reason, sess, w, nil
}

// confirmEmail asks for the user's email unless --yes was given.
func (e *env) confirmEmail(email string) error {
	if !e.o.yes && !e.confirm("Type the user's email to confirm: ", email) {
		return refused("not sent: confirmation did not match")
	}
	return nil
}

// writeResultJSON is a reviewed write's --json output: after a success,
// and with failures too when it has an exchange.
func (e *env) writeResultJSON(r actions.WriteResult, failures bool) error {
	ok := r.Outcome == actions.OutcomeSuccess
	if !e.g.json || !(ok || failures && r.Exchange != nil) {
		return nil
	}
	return writeJSON(e.stdout, resetJSON{exchangeJSON: exchangeFields(r.Exchange), Success: ok})
}

// finishWrite says a reviewed write's warnings on stderr and turns its
// outcome into the error run reports; ex (nil: none) goes with a failure,
// for --json's error.
func (e *env) finishWrite(noun string, r actions.WriteResult, ex *cloudflare.Exchange) error {
	if r.Warning != "" {
		fmt.Fprintln(e.stderr, "warning: "+clean(r.Warning))
	}
	if r.AuditErr != nil {
		fmt.Fprintln(e.stderr, "warning: "+clean(r.AuditErr.Error()))
	}
	switch r.Outcome {
	case actions.OutcomeSuccess:
		return nil
	case actions.OutcomeUnknown:
		msg := noun + " outcome unknown: " + e.explain(r.Err) + " (it was not retried)"
		if r.Finding != "" {
			msg += "; " + r.Finding
		}
		return withExchange(&exitError{code: ExitUnknown, msg: msg}, ex)
	case actions.OutcomeNotSent:
		return r.Err
	default:
		if r.Err != nil {
			return withExchange(r.Err, ex)
		}
		return withExchange(errors.New(noun+" failed"), ex)
	}
}

// errText is the sentence for err on stderr. A read that timed out says
// how to give it longer (trying a read again is safe).
func errText(err error) string {
	t := actions.Explain(err)
	if actions.TimedOutRead(err) {
		t += " " + readTimeoutRemedy
	}
	return t
}

const (
	readTimeoutRemedy  = "Try again with a longer --timeout (e.g. --timeout 1m)."
	writeTimeoutRemedy = "A longer --timeout (e.g. --timeout 1m) gives a slow answer time to arrive."
)

// explain is errText for a write: a timeout's remedy never suggests
// sending it again blindly.
func (e *env) explain(err error) string {
	t := actions.Explain(err)
	if actions.TimedOut(err) {
		t += " " + writeTimeoutRemedy
	}
	return t
}

func printResetResult(e *env, r actions.ResetResult) {
	w := e.stdout
	switch r.Outcome {
	case actions.OutcomeSuccess:
		fmt.Fprintf(w, "reset: success (HTTP %d)\n", statusOf(r.Exchange))
	case actions.OutcomeFailure:
		fmt.Fprintf(w, "reset: FAILED (HTTP %d)\n", statusOf(r.Exchange))
		return
	case actions.OutcomeUnknown:
		fmt.Fprintln(w, "reset: outcome UNKNOWN")
	default:
		return
	}
	b := r.Before
	if r.After == nil {
		fmt.Fprintf(w, "  before: level %s, last reset %s, %d event(s); could not re-read the user\n", riskLevel(b), lastReset(b), len(b.Events))
		return
	}
	a := *r.After
	fmt.Fprintf(w, "  level:      %s → %s\n", riskLevel(b), riskLevel(a))
	fmt.Fprintf(w, "  last reset: %s → %s\n", lastReset(b), lastReset(a))
	fmt.Fprintf(w, "  events:     %d → %d\n", len(b.Events), len(a.Events))
}

func statusOf(ex *cloudflare.Exchange) int {
	if ex == nil {
		return 0
	}
	return ex.StatusCode
}
