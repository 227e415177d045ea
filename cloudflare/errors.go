package cloudflare

import "time"

// ErrorKind classifies a failed call so callers can branch without
// parsing messages.
type ErrorKind int

const (
	KindUnknown     ErrorKind = iota
	KindInput                 // bad input, nothing was sent
	KindOrigin                // a request outside the API base, nothing was sent
	KindAuth                  // 401 / code 10000: token missing, invalid or expired
	KindPermission            // 403: token lacks a permission (named in Message)
	KindNotFound              // 404 or an empty lookup
	KindRateLimited           // 429; RetryAfter is set
	KindServer                // 5xx
	KindGateway               // an HTML page instead of JSON
	KindMalformed             // JSON that does not decode (malformed or truncated)
	KindTooLarge              // body over the cap
	KindBadRequest            // other 4xx
	KindNetwork               // connection failure
	KindTimeout               // deadline exceeded: for a write, the outcome is unknown
	KindCanceled              // the caller canceled
	// KindAccountToken: an Intel API refused an account-owned token;
	// Cloudflare's Intel APIs accept user API tokens only.
	KindAccountToken
	// KindQuotaUsedUp: a 429 that speaks of a monthly quota (the Intel
	// APIs'), not of the 5-minute rate limit; waiting minutes will not
	// help, so it is neither retried nor blocks other calls.
	KindQuotaUsedUp
)

// APIErrorItem is one element of the envelope's errors[].
type APIErrorItem struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Error is the one error type the client returns. Message is a sentence
// a person can act on; Error() returns it.
type Error struct {
	Kind       ErrorKind
	Op         string // operation name, e.g. "IP overview"
	StatusCode int    // 0 when no response arrived
	Errors     []APIErrorItem
	Message    string
	RetryAfter time.Duration
	Exchange   *Exchange // nil when no response arrived
	// TokenKind is set on an Intel API's refusal: what the client knew of
	// its token ("account", "user", or "" when neither its prefix nor a
	// verify told).
	TokenKind string
	Err       error // underlying cause, for errors.Is/As; never shown raw
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }
