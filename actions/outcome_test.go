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
		// classify is NoAnswer's other user: it must agree.
		if want := tc.want; tc.err != nil && (classify(tc.err) == OutcomeUnknown) != want {
			t.Errorf("%s: classify = %s, NoAnswer = %v", tc.name, classify(tc.err), want)
		}
	}
}
