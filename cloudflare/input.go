package cloudflare

// What the client itself checks before a request, beside the indicator
// package's parsers: user ids (they go into a path), AS numbers, and the
// timestamps the API returns.

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cftriage/indicator"
)

// quoteInput quotes untrusted input for a message: Go escapes for control
// and invisible characters, shortened to a readable length.
func quoteInput(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.QuoteToGraphic(s)
}

// isInvisible reports control characters, zero-width characters and
// bidirectional controls.
func isInvisible(r rune) bool { return indicator.IsInvisible(r) }

func inputErr(field, input, msg string) *indicator.InputError {
	return &indicator.InputError{Field: field, Input: input, Msg: msg}
}

func checkASN(asn int) error {
	if asn < 1 || int64(asn) > indicator.MaxASN {
		return inputErr("ASN", strconv.Itoa(asn), "is out of range (AS numbers run from 1 to 4294967294)")
	}
	return nil
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// normalizeUserID checks a Zero Trust user id (a UUID, per the contract)
// so it can be put in a path safely.
func normalizeUserID(s string) (string, error) {
	const field = "user id"
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", inputErr(field, "", "is empty; find the user by email first")
	}
	if strings.Contains(s, "@") {
		return "", inputErr(field, in, "is an email address; find the user by email first to get the id")
	}
	if !uuidRe.MatchString(s) {
		return "", inputErr(field, in, "is not a Zero Trust user id (a UUID such as f2108713-1206-4e84-8b80-0e71a6a1c67b)")
	}
	return strings.ToLower(s), nil
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02",
}

// ParseTime reads the timestamps the API returns: RFC 3339 (with or
// without fractional seconds), "2006-01-02 15:04:05", "2006-01-02". A
// time without a zone is taken as UTC. ok is false for anything else.
func ParseTime(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
