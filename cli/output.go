package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"cftriage/cloudflare"
)

// exchangeJSON holds the three fields every connector output starts with.
type exchangeJSON struct {
	StatusCode  int               `json:"statusCode"`
	Headers     map[string]string `json:"headers"`
	RawResponse string            `json:"rawResponse"`
}

func exchangeFields(ex *cloudflare.Exchange) exchangeJSON {
	out := exchangeJSON{Headers: map[string]string{}}
	if ex == nil {
		return out
	}
	out.StatusCode = ex.StatusCode
	out.Headers = flattenHeaders(ex.Header)
	out.RawResponse = string(ex.Body)
	return out
}

// flattenHeaders turns a header into name → value, several values
// joined with ", " as HTTP allows.
func flattenHeaders(h http.Header) map[string]string {
	m := make(map[string]string, len(h))
	for k, v := range h {
		m[k] = strings.Join(v, ", ")
	}
	return m
}

// writeJSON prints v as indented JSON. encoding/json already escapes
// C0 control characters; escapeTerminalRunes also escapes DEL, the C1
// controls (U+0080..U+009F, which some terminals take as CSI) and the
// bidirectional overrides, so nothing in the output can steer a terminal
// even when a person pipes it to one.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeTerminalRunes(buf.Bytes()))
	return err
}

// escapeTerminalRunes rewrites the risky runes of valid JSON as \u
// escapes. Outside strings JSON is plain ASCII, so any such rune is
// inside a string, where a \u escape means the same thing.
func escapeTerminalRunes(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if riskyRune(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}

func riskyRune(r rune) bool {
	switch {
	case r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// ipJSON is the connector's ip output.
type ipJSON struct {
	exchangeJSON
	RiskFound bool                 `json:"riskFound"`
	RiskType  *cloudflare.RiskType `json:"riskType"`
	Result    []cloudflare.IPInfo  `json:"result"`
}

func newIPJSON(ex *cloudflare.Exchange, infos []cloudflare.IPInfo) ipJSON {
	out := ipJSON{exchangeJSON: exchangeFields(ex), Result: infos}
	if out.Result == nil {
		out.Result = []cloudflare.IPInfo{}
	}
	for _, in := range infos {
		if len(in.RiskTypes) > 0 {
			out.RiskFound = true
			rt := in.RiskTypes[0]
			out.RiskType = &rt
			break
		}
	}
	return out
}

// domainJSON is the connector's domain output.
type domainJSON struct {
	exchangeJSON
	ContentCategories []cloudflare.RiskType `json:"contentCategories"`
	Result            cloudflare.Domain     `json:"result"`
}

func newDomainJSON(ex *cloudflare.Exchange, d cloudflare.Domain) domainJSON {
	cats := d.ContentCategories
	if cats == nil {
		cats = []cloudflare.RiskType{}
	}
	return domainJSON{exchangeJSON: exchangeFields(ex), ContentCategories: cats, Result: d}
}

// userJSON is the connector's user output. riskLevel and lastResetTime
// are null when the API says null.
type userJSON struct {
	exchangeJSON
	Email         string                 `json:"email"`
	Name          string                 `json:"name"`
	RiskLevel     *string                `json:"riskLevel"`
	LastResetTime *string                `json:"lastResetTime"`
	RiskEvents    []cloudflare.RiskEvent `json:"riskEvents"`
	// MatchedBy is how the user was found: "email" (email= with the
	// address as typed) or "search" (the search= fallback).
	MatchedBy string `json:"matchedBy,omitempty"`
}

func newUserJSON(ex *cloudflare.Exchange, email, name string, r cloudflare.RiskScore) userJSON {
	out := userJSON{exchangeJSON: exchangeFields(ex), Email: email, Name: name, LastResetTime: r.LastResetTime, RiskEvents: r.Events}
	if r.Email != "" {
		out.Email = r.Email
	}
	if r.Name != "" {
		out.Name = r.Name
	}
	if r.RiskLevel != "" {
		lvl := r.RiskLevel
		out.RiskLevel = &lvl
	}
	if out.RiskEvents == nil {
		out.RiskEvents = []cloudflare.RiskEvent{}
	}
	return out
}

// resetJSON is the connector's reset output.
type resetJSON struct {
	exchangeJSON
	Success bool `json:"success"`
}

// errorJSON is printed with --json when a call failed after a response
// arrived, so a script still gets the exchange.
type errorJSON struct {
	exchangeJSON
	Error string `json:"error"`
}

// joinSanitized sanitizes each string and joins them.
func joinSanitized(items []string, sep string) string {
	out := make([]string, 0, len(items))
	for _, s := range items {
		out = append(out, clean(s))
	}
	return strings.Join(out, sep)
}

func riskNames(rts []cloudflare.RiskType) []string {
	out := make([]string, 0, len(rts))
	for _, r := range rts {
		out = append(out, r.Name)
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
