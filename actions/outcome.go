package actions

import (
	"context"
	"errors"

	"cftriage/cloudflare"
)

// NoAnswer reports that a call ended without an answer from the server:
// a timeout, a lost connection, a deadline or a cancel mid-flight. Such
// a request may have reached the API (a write's outcome is then
// unknown); any other error is an answer or a refusal before sending.
func NoAnswer(err error) bool {
	if err == nil {
		return false
	}
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		switch ce.Kind {
		case cloudflare.KindTimeout, cloudflare.KindNetwork, cloudflare.KindCanceled:
			return true
		}
		return false
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}
