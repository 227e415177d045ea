// Package redact hides secrets (the API token) in data that may echo
// them: what a server answered, a record about to be written. A secret is
// replaced by its mask, "…" and its last four characters, wherever it
// appears: raw, JSON-escaped, or spelled with JSON escapes inside a
// string literal (a hostile server may write "\u0063fut_…").
package redact

import (
	"bytes"
	"encoding/json"
	"strings"
)

// MinLen: shorter "secrets" would match ordinary text; real API tokens
// are 40 characters or more. Shorter ones are ignored.
const MinLen = 8

// Mask is how a secret is shown instead of itself: "…" and its last four
// characters, enough to tell two tokens apart.
func Mask(secret string) string {
	if len(secret) <= 4 {
		return "…"
	}
	return "…" + secret[len(secret)-4:]
}

// usable keeps the secrets long enough to look for.
func usable(secrets []string) []string {
	out := secrets[:0:0]
	for _, s := range secrets {
		if len(s) >= MinLen {
			out = append(out, s)
		}
	}
	return out
}

// String replaces every occurrence of each secret in s by its mask.
func String(s string, secrets ...string) string {
	for _, sec := range usable(secrets) {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Mask(sec))
		}
	}
	return s
}

// jsonForms are the ways json.Marshal (with and without HTML escaping)
// writes s inside a string literal, s itself first.
func jsonForms(s string) []string {
	forms := []string{s}
	var b bytes.Buffer
	for _, html := range []bool{false, true} {
		b.Reset()
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(s) != nil {
			continue
		}
		f := strings.TrimSuffix(b.String(), "\n")
		f = f[1 : len(f)-1]
		if f != forms[len(forms)-1] && f != s {
			forms = append(forms, f)
		}
	}
	return forms
}

// Bytes is String for data that may be JSON: the raw secret, its
// JSON-escaped forms, and a JSON string literal whose escapes spell a
// secret (re-encoded with the secret masked) are all masked. It returns b
// itself when nothing matched, else a new slice; b is never changed.
// Valid JSON stays valid.
func Bytes(b []byte, secrets ...string) []byte {
	secrets = usable(secrets)
	if len(secrets) == 0 || len(b) == 0 {
		return b
	}
	out := b
	for _, sec := range secrets {
		for i, f := range jsonForms(sec) {
			if !bytes.Contains(out, []byte(f)) {
				continue
			}
			mask := Mask(sec)
			if i > 0 { // inside a literal: the mask escaped the same way
				mf := jsonForms(mask)
				mask = mf[len(mf)-1]
			}
			out = bytes.ReplaceAll(out, []byte(f), []byte(mask))
		}
	}
	if bytes.IndexByte(out, '\\') >= 0 {
		out = escapedLiterals(out, secrets)
	}
	return out
}

// Contains reports whether b holds any of the secrets in a form Bytes
// would mask.
func Contains(b []byte, secrets ...string) bool {
	masked := Bytes(b, secrets...)
	return len(masked) != len(b) || !bytes.Equal(masked, b)
}

// escapedLiterals re-encodes, with the secrets masked, the JSON string
// literals in b that spell one of them with escapes. Literals are found
// by pairing quotes from the start, as a JSON reader would; in data that
// is not JSON the pairing may be off, and only costs a missed mask there.
func escapedLiterals(b []byte, secrets []string) []byte {
	var out []byte // nil until something changes
	last := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end, escaped := -1, false
		for k := i + 1; k < len(b); k++ {
			if b[k] == '\\' {
				escaped = true
				k++
				continue
			}
			if b[k] == '"' {
				end = k
				break
			}
		}
		if end < 0 {
			break
		}
		lit := b[i : end+1]
		if escaped && len(lit) >= MinLen+2 { // a shorter literal cannot spell a secret
			var s string
			if json.Unmarshal(lit, &s) == nil {
				if m := String(s, secrets...); m != s {
					enc, err := json.Marshal(m)
					if err == nil {
						out = append(append(out, b[last:i]...), enc...)
						last = end + 1
					}
				}
			}
		}
		i = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
