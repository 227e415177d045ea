package actions

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"cftriage/indicator"
)

// placeholderRE finds a template placeholder left in a path: <user_id>
// (how docs write them) or {user_id} (how the contract writes them),
// also percent-encoded as a paste from a URL bar would have them.
var placeholderRE = regexp.MustCompile(`(?i)<[a-z_][a-z0-9_.-]*>|%3c[a-z_][a-z0-9_.-]*%3e|\{[^{}/?]*\}|%7b[^/?]*?%7d`)

// UnfilledPlaceholder returns the first placeholder still in path, such
// as "<user_id>" or "{zone_id}", or "" when there is none. {account_id}
// is not one: the client fills it in.
func UnfilledPlaceholder(path string) string {
	for _, m := range placeholderRE.FindAllString(path, -1) {
		switch strings.ToLower(m) {
		case "{account_id}", "%7baccount_id%7d":
			continue
		}
		return m
	}
	return ""
}

// JSONError is "" for an empty or valid JSON text, else the first error
// with its line:column (1-based, columns in characters), such as
// "invalid JSON at 2:7: invalid character '}' looking for beginning of
// value". The Request pane and the api command report bodies alike.
func JSONError(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var raw json.RawMessage
	err := json.Unmarshal([]byte(s), &raw)
	if err == nil {
		return ""
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return "invalid JSON: " + err.Error()
	}
	// Offset counts the bytes read, the offending one included; at the
	// end of the input the error is just past the last byte.
	idx := int(se.Offset) - 1
	if se.Offset >= int64(len(s)) && strings.Contains(se.Error(), "end of JSON input") {
		idx = len(s)
	}
	idx = max(0, min(idx, len(s)))
	line := strings.Count(s[:idx], "\n") + 1
	col := utf8.RuneCountInString(s[strings.LastIndexByte(s[:idx], '\n')+1:idx]) + 1
	return fmt.Sprintf("invalid JSON at %d:%d: %s", line, col, se.Error())
}

// MaxReasonRunes bounds a reset's reason: the audit log keeps each field
// whole up to 4 KiB, so a longer reason would be cut in the record that
// is meant to explain the change.
const MaxReasonRunes = 1000

// CheckReason refuses an empty reason or one longer than MaxReasonRunes;
// the caller trims it first. A reason is never shortened silently.
func CheckReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return &indicator.InputError{Field: "reason", Msg: "is required (free text or a ticket id)"}
	}
	if n := utf8.RuneCountInString(reason); n > MaxReasonRunes {
		return &indicator.InputError{Field: "reason", Msg: fmt.Sprintf("is %d characters long; the audit log keeps at most %d — give a ticket id and a short note", n, MaxReasonRunes)}
	}
	return nil
}
