package actions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"cftriage/cloudflare"
	"cftriage/store"
)

// IsWrite reports whether method changes state (anything but GET/HEAD).
func IsWrite(method string) bool {
	m := strings.ToUpper(strings.TrimSpace(method))
	return m != "GET" && m != "HEAD"
}

// Send performs a custom API call. GET and HEAD go straight to the
// client (which may retry them). Any other method is checked (Writer.Check:
// read-only mode, an operation only a reviewed flow may perform) and
// audited: an intent record (action "api_call", method, URL and the body
// sent — never the token) is synced before sending, the request is sent
// once (the client never retries a non-GET), and the outcome record
// follows. If a check refuses it, the intent cannot be written, or the URL
// leaves the API's origin, nothing is sent. A 2xx whose body cannot be
// read is an unknown outcome (*UnreadableAnswerError), not a failure.
func Send(ctx context.Context, w Writer, req cloudflare.RawRequest, op store.Operator) (*cloudflare.Exchange, error) {
	c := w.client
	if c == nil {
		return nil, errors.New("no API client")
	}
	req.Method = strings.ToUpper(strings.TrimSpace(req.Method))
	if !IsWrite(req.Method) {
		return c.Raw(ctx, req)
	}
	target, err := w.Check(req)
	if err != nil {
		return nil, err
	}
	if w.audit == nil {
		return nil, fmt.Errorf("%s was not sent: no audit log (writes are never sent unaudited)", req.Method)
	}
	base := store.AuditRecord{
		AccountID: c.AccountID(),
		Operator:  op,
		Action:    store.ActionAPICall,
		Method:    req.Method,
		URL:       target,
	}
	intent := base
	// What was sent, so the trail says what was changed: the audit log
	// masks a token in it and cuts it at 4 KiB; the hash and size are the
	// whole body's, as the client sends it (a blank body is not sent).
	if body := req.Body; len(strings.TrimSpace(string(body))) > 0 {
		sum := sha256.Sum256(body)
		intent.Body, intent.BodySHA256, intent.BodySize = string(body), hex.EncodeToString(sum[:]), len(body)
	}
	id, err := w.audit.Intent(intent)
	if err != nil {
		return nil, fmt.Errorf("%s was not sent: the audit log could not record it: %w", req.Method, err)
	}
	ex, sendErr := c.Raw(ctx, req)
	ex = exchangeOf(ex, sendErr)
	outcome := OutcomeOf(sendErr)
	if ce, ok := unreadable2xx(sendErr); ok {
		sendErr = &UnreadableAnswerError{What: req.Method, Err: ce}
	}
	out := base
	fillOutcome(&out, outcome, ex, sendErr)
	if err := w.audit.Outcome(id, out); err != nil {
		auditErr := fmt.Errorf("the %s was sent, but its outcome could not be written to the audit log: %w", req.Method, err)
		if sendErr == nil {
			return ex, auditErr
		}
		return ex, errors.Join(sendErr, auditErr)
	}
	return ex, sendErr
}
