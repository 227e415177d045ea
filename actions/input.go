package actions

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
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
