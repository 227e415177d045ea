package actions

import (
	"context"
	"errors"
	"io/fs"
	"syscall"

	"cftriage/cloudflare"
)

// Explain is the sentence shown to the analyst for an error. The client's,
// the store's and the flows' errors are already sentences; file-system
// and context errors are turned into one, so no raw Go error string
// reaches the screen.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var pe *fs.PathError
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		if s, ok := explainAPI(ce); ok {
			return s
		}
	}
	switch {
	case errors.As(err, &pe):
		return "cannot " + pe.Op + " " + pe.Path + ": " + fsReason(pe.Err)
	case errors.As(err, &ce):
		// The client's sentences name the call ("The IP overview timed
		// out after 30s."); its Err may be a context error, which must
		// not reduce them to "timed out".
		return err.Error()
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return err.Error()
}

// IntelQuotas is what Cloudflare's docs state of the Intel APIs' monthly
// quota (security-center/intel-apis/limits), per plan.
const IntelQuotas = "100 calls a month on the Free, Pro and Business plans, 2,500 on Enterprise, 10,000 on Cloudforce One Core and 50,000 on Premier; lookups in the dashboard's Investigate count too"

// explainAPI adds what to do to the client's account of a refusal, where
// the client's sentence alone would mislead: an account-owned token on
// the Intel APIs, and their monthly quota (not the 5-minute rate limit).
func explainAPI(ce *cloudflare.Error) (string, bool) {
	switch ce.Kind {
	case cloudflare.KindAccountToken:
		return ce.Message + " Cloudflare's Intel APIs do not accept account-owned API tokens (its account-token compatibility list marks Intel unsupported), so no permission will fix this: use a user API token with Intel Read (My Profile → API Tokens) for lookups.", true
	case cloudflare.KindQuotaUsedUp:
		if !ce.IntelCall() {
			return ce.Message + " Waiting minutes will not help; the quota renews with the month.", true
		}
		return ce.Message + " It is not the 5-minute rate limit: the quota renews with the month, and other calls (users, risk scores) still work. The Intel APIs allow " + IntelQuotas + ".", true
	case cloudflare.KindAuth, cloudflare.KindPermission:
		if ce.IntelCall() && ce.TokenKind == "" {
			return ce.Message + " (If this is an account-owned API token: Cloudflare's Intel APIs do not accept those; use a user API token.)", true
		}
	}
	return "", false
}

func fsReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is not a directory"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	}
	return "the file system refused (" + err.Error() + ")"
}

// TimedOutRead reports a read (an operation whose method is GET) that ran
// out of time: trying it again is safe, so the frontends say how (a longer
// --timeout, ctrl+r in the console). A write that timed out has an
// unknown outcome and is never suggested again; a raw call's method is
// the caller's to judge.
func TimedOutRead(err error) bool {
	var ce *cloudflare.Error
	if !errors.As(err, &ce) || ce.Kind != cloudflare.KindTimeout {
		return false
	}
	for _, op := range cloudflare.Operations() {
		if op.Name == ce.Op {
			return op.Method == "GET"
		}
	}
	return false
}

// TimedOut reports a call that ran out of time.
func TimedOut(err error) bool {
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		return ce.Kind == cloudflare.KindTimeout
	}
	return errors.Is(err, context.DeadlineExceeded)
}
