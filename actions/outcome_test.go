package actions

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"cftriage/cloudflare"
)

// NoAnswer decides both the audit outcome of a write (unknown vs
// failure) and whether the console keeps a request in history, so each
// kind of error must land on the right side.
func TestNoAnswer(t *testing.T) {
	cf := func(k cloudflare.ErrorKind) error { return &cloudflare.Error{Kind: k} }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"timeout", cf(cloudflare.KindTimeout), true},
		{"network", cf(cloudflare.KindNetwork), true},
		{"canceled", cf(cloudflare.KindCanceled), true},
		{"wrapped timeout", fmt.Errorf("reset: %w", cf(cloudflare.KindTimeout)), true},
		{"joined with an audit error", errors.Join(cf(cloudflare.KindNetwork), errors.New("audit: disk full")), true},
		{"answered 400", cf(cloudflare.KindBadRequest), false},
		{"refused input", cf(cloudflare.KindInput), false},
		// The client's kind wins over the Go error it carries: a server
		// answer that also mentions a context error is still an answer.
		{"answered, wrapping a cancel", &cloudflare.Error{Kind: cloudflare.KindBadRequest, Err: context.Canceled}, false},
		{"bare deadline", context.DeadlineExceeded, true},
		{"bare cancel", fmt.Errorf("send: %w", context.Canceled), true},
		{"other", errors.New("no audit log"), false},
	} {
		if got := NoAnswer(tc.err); got != tc.want {
			t.Errorf("%s: NoAnswer(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
		// OutcomeOf is NoAnswer's other user: it must agree.
		if want := tc.want; tc.err != nil && (OutcomeOf(tc.err) == OutcomeUnknown) != want {
			t.Errorf("%s: classify = %s, NoAnswer = %v", tc.name, OutcomeOf(tc.err), want)
		}
	}
}

// A write answered 2xx whose body cannot be read was received and probably
// applied: its outcome is unknown, not a failure.
func TestOutcomeOfUnreadableAnswer(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want Outcome
	}{
		{"200 malformed", &cloudflare.Error{Kind: cloudflare.KindMalformed, StatusCode: 200}, OutcomeUnknown},
		{"204 over the cap", &cloudflare.Error{Kind: cloudflare.KindTooLarge, StatusCode: 204}, OutcomeUnknown},
		{"400 malformed", &cloudflare.Error{Kind: cloudflare.KindMalformed, StatusCode: 400}, OutcomeFailure},
		{"500 over the cap", &cloudflare.Error{Kind: cloudflare.KindTooLarge, StatusCode: 500}, OutcomeFailure},
		{"200 success: false", &cloudflare.Error{Kind: cloudflare.KindUnknown, StatusCode: 200}, OutcomeFailure},
		{"307 refused redirect", &cloudflare.Error{Kind: cloudflare.KindOrigin, StatusCode: 307}, OutcomeFailure},
		{"read-only", (Writer{readOnly: "--read-only"}).CanWrite("send POST"), OutcomeNotSent},
	} {
		if got := OutcomeOf(tc.err); got != tc.want {
			t.Errorf("%s: OutcomeOf = %s, want %s", tc.name, got, tc.want)
		}
	}
}
