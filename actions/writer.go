package actions

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"cftriage/cloudflare"
	"cftriage/store"
)

// Writer is what a write flow (Send, Reset, and those to come) needs,
// taken from the session when the analyst confirms: the client, the audit
// log and the read-only rule. Its fields are unexported: a frontend gets
// one from Session.Writer, so the read-only rule always comes along, and
// a frontend that forgets to check it still cannot write.
type Writer struct {
	client   *cloudflare.Client
	audit    *store.Audit
	readOnly string // why writes are refused; "" when they are allowed
}

// Writer captures what the write flows need now: call it on the console's
// Update loop (the connection may be replaced later) and hand the value to
// the command.
func (s *Session) Writer() Writer {
	w := Writer{client: s.Client, audit: s.Audit}
	if s.ReadOnly {
		w.readOnly = s.ReadOnlyReason
		if w.readOnly == "" {
			w.readOnly = "read-only mode"
		}
	}
	return w
}

// Client is the client the writer sends with (nil without credentials).
func (w Writer) Client() *cloudflare.Client { return w.client }

// RefusedError is a write refused by a rule before anything was sent or
// audited: read-only mode (errors.Is(err, ErrReadOnly)), or a raw call
// that would bypass a reviewed flow. The CLI exits 5 on it.
type RefusedError struct {
	What     string // "send POST", "reset the risk score"
	Why      string
	readOnly bool
}

func (e *RefusedError) Error() string {
	return "refusing to " + e.What + ": " + e.Why + "; nothing was sent"
}

func (e *RefusedError) Is(target error) bool { return e.readOnly && target == ErrReadOnly }

// ErrReadOnly is what errors.Is finds in the refusal of read-only mode.
var ErrReadOnly = errors.New("read-only mode")

// CanWrite is nil when the writer may write, else the read-only refusal
// for what ("send POST", "reset the risk score").
func (w Writer) CanWrite(what string) error {
	if w.readOnly == "" {
		return nil
	}
	return &RefusedError{What: what, Why: w.readOnly, readOnly: true}
}

// reviewedOnly are the operations a raw call may not perform: each has a
// reviewed flow (a reason, a typed confirmation, the state before and
// after in the audit log) that a raw call would bypass. One line per
// operation: its name in the client's operation table and where to go.
var reviewedOnly = []struct{ op, use string }{
	{cloudflare.OpResetRisk, "a risk reset is sent only after review; use `cftriage reset <email> --reason …`, or R on the User pane"},
	{cloudflare.OpRevokeSessions, "revoking a user's sessions is sent only after review; use `cftriage revoke <email> --reason …`, or X on the User pane"},
}

// Check runs every check Send makes before anything is written or sent
// and returns the URL the request would go to: the client's (method, URL
// under the base, headers, JSON body) and, for a write, read-only mode and
// the operations only a reviewed flow may perform. Frontends call it
// before asking for confirmation; Send calls it again.
func (w Writer) Check(req cloudflare.RawRequest) (string, error) {
	if w.client == nil {
		return "", errors.New("no API client: configure a token first")
	}
	target, err := w.client.CheckRaw(req)
	if err != nil {
		return "", err
	}
	method := strings.ToUpper(strings.TrimSpace(req.Method))
	if !IsWrite(method) {
		return target, nil
	}
	if err := w.CanWrite("send " + method); err != nil {
		return "", err
	}
	if use := reviewedFlowFor(w.client.BaseURL(), target); use != "" {
		p := rawPath(w.client.BaseURL(), target)
		if a := w.client.AccountID(); a != "" {
			p = strings.Replace(p, "/accounts/"+a+"/", "/accounts/{account_id}/", 1)
		}
		return "", &RefusedError{What: "send " + method + " " + p + " as a raw call", Why: use}
	}
	return target, nil
}

// reviewedFlowFor names the reviewed flow that owns the operation at
// target, "" when there is none. The path is compared fully decoded, case
// and trailing slashes aside, segment by segment (a placeholder matches
// any segment), so no spelling of the path slips through. The method is
// not compared: a write to these paths has no other meaning.
func reviewedFlowFor(base, target string) string {
	segs := pathSegments(rawPath(base, target))
	for _, r := range reviewedOnly {
		for _, op := range cloudflare.Operations() {
			if op.Name == r.op && matchTemplate(pathSegments(op.Path), segs) {
				return r.use
			}
		}
	}
	return ""
}

// rawPath is target's path below the base, without the query.
func rawPath(base, target string) string {
	p := strings.TrimPrefix(target, base)
	p, _, _ = strings.Cut(p, "?")
	return p
}

// pathSegments decodes p until nothing changes, drops ;parameters, empty
// segments and case, and splits it.
func pathSegments(p string) []string {
	for {
		dec, err := url.PathUnescape(p)
		if err != nil || dec == p {
			break
		}
		p = dec
	}
	var out []string
	for _, s := range strings.Split(strings.ToLower(p), "/") {
		s, _, _ = strings.Cut(s, ";")
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func matchTemplate(tmpl, segs []string) bool {
	if len(tmpl) != len(segs) {
		return false
	}
	for i, t := range tmpl {
		if !(strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}")) && t != segs[i] {
			return false
		}
	}
	return true
}

// UnreadableAnswerError is a write Cloudflare answered with a 2xx whose
// body could not be read (malformed, truncated, or over the size cap): the
// request was received and was probably applied, so its outcome is
// unknown. It is never retried.
type UnreadableAnswerError struct {
	What string // "POST", "risk reset"
	Err  *cloudflare.Error
}

func (e *UnreadableAnswerError) Error() string {
	why := "it is not valid JSON or was cut off"
	if e.Err.Kind == cloudflare.KindTooLarge {
		why = "it is larger than the size limit"
	}
	return fmt.Sprintf("Cloudflare answered the %s with HTTP %d, but its answer could not be read (%s): the request was received and was probably applied, so its outcome is unknown.",
		e.What, e.Err.StatusCode, why)
}

func (e *UnreadableAnswerError) Unwrap() error { return e.Err }

// unreadable2xx reports a 2xx answer whose body could not be read.
func unreadable2xx(err error) (*cloudflare.Error, bool) {
	var ce *cloudflare.Error
	if !errors.As(err, &ce) || ce.StatusCode < 200 || ce.StatusCode >= 300 {
		return nil, false
	}
	return ce, ce.Kind == cloudflare.KindMalformed || ce.Kind == cloudflare.KindTooLarge
}

// OutcomeOf is what a write's send error means for the write: success
// (nil), unknown (no answer: timeout, lost connection, cancel mid-flight;
// or a 2xx whose body could not be read), or failure (anything the server
// answered, or the client refused).
func OutcomeOf(err error) Outcome {
	switch {
	case err == nil:
		return OutcomeSuccess
	case NoAnswer(err):
		return OutcomeUnknown
	}
	if _, ok := unreadable2xx(err); ok {
		return OutcomeUnknown
	}
	var re *RefusedError
	if errors.As(err, &re) {
		return OutcomeNotSent
	}
	return OutcomeFailure
}
