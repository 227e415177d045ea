package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
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

// ipJSON is the connector's ip output, with passive DNS beside it.
type ipJSON struct {
	exchangeJSON
	RiskFound  bool                 `json:"riskFound"`
	RiskType   *cloudflare.RiskType `json:"riskType"`
	Result     []cloudflare.IPInfo  `json:"result"`
	PassiveDNS *pdnsJSON            `json:"passiveDNS,omitempty"` // absent with --no-pdns
	Special    *specialJSON         `json:"specialAddress,omitempty"`
}

// pdnsJSON is every passive-DNS record read for the window.
type pdnsJSON struct {
	Start    string                     `json:"start,omitempty"` // the window sent; absent: the API's default
	End      string                     `json:"end,omitempty"`
	Count    int                        `json:"count"` // the API's count for the window
	Records  []cloudflare.ReverseRecord `json:"records"`
	Pages    int                        `json:"pages"`
	Complete bool                       `json:"complete"` // every record of the window is in records
	Skipped  string                     `json:"skipped,omitempty"`
	Error    *errorBody                 `json:"error,omitempty"` // the page that failed
}

// specialJSON flags an address Cloudflare's intel cannot know.
type specialJSON struct {
	Kind   string `json:"kind"`
	Prefix string `json:"prefix"`
	Note   string `json:"note"`
}

func newIPJSON(res actions.IPResult) ipJSON {
	infos := res.Overview.Infos
	out := ipJSON{exchangeJSON: exchangeFields(res.Overview.Exchange), Result: infos}
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
	if sp := res.Special; sp != nil {
		out.Special = &specialJSON{Kind: sp.Kind, Prefix: sp.Prefix.String(), Note: sp.Note()}
	}
	switch {
	case res.PDNS != nil:
		p := res.PDNS
		pj := &pdnsJSON{Start: day(p.Window.Since), End: day(p.Window.Until), Count: max(p.Total, len(p.Records)),
			Records: p.Records, Pages: p.Pages, Complete: p.Complete()}
		if pj.Records == nil {
			pj.Records = []cloudflare.ReverseRecord{}
		}
		if p.Err != nil {
			b := newErrorBody(p.Err)
			b.ExitCode = 0
			pj.Error = &b
		}
		out.PassiveDNS = pj
	case res.PDNSSkipped != "":
		out.PassiveDNS = &pdnsJSON{Records: []cloudflare.ReverseRecord{}, Complete: true, Skipped: res.PDNSSkipped}
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// domainJSON is the connector's domain output, with the WHOIS record
// (null when there is none), the URL the name was taken from and the
// name's Unicode form.
type domainJSON struct {
	exchangeJSON
	ContentCategories []cloudflare.RiskType `json:"contentCategories"`
	Result            cloudflare.Domain     `json:"result"`
	Whois             *cloudflare.Whois     `json:"whois"`
	WhoisError        *errorBody            `json:"whoisError,omitempty"`
	URL               string                `json:"url,omitempty"`
	IDN               *idnJSON              `json:"idn,omitempty"`
}

type idnJSON struct {
	Unicode  string   `json:"unicode"`
	Warnings []string `json:"warnings"` // labels that mix scripts or imitate Latin ones
}

func newDomainJSON(res actions.DomainResult) domainJSON {
	d := res.Overview.Domain
	cats := d.ContentCategories
	if cats == nil {
		cats = []cloudflare.RiskType{}
	}
	out := domainJSON{exchangeJSON: exchangeFields(res.Overview.Exchange), ContentCategories: cats, Result: d, URL: res.FromURL}
	if w := res.Whois; w != nil {
		out.Whois = w.Record
		if w.Err != nil {
			b := newErrorBody(w.Err)
			b.ExitCode = 0
			out.WhoisError = &b
		}
	}
	if res.IDN.Unicode != "" {
		out.IDN = &idnJSON{Unicode: res.IDN.Unicode, Warnings: []string{}}
		for _, w := range res.IDN.Warnings {
			out.IDN.Warnings = append(out.IDN.Warnings, w.Text())
		}
	}
	return out
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

// errorJSON is what --json prints for a failure: the error and, when a
// response arrived, the exchange, so a script still sees the status and
// body. Every failure prints one, whatever the command.
type errorJSON struct {
	*exchangeJSON
	Error      errorBody       `json:"error"`
	Candidates []candidateJSON `json:"candidates,omitempty"` // several users share the email
}

// errorBody is a failure: kind (a word a script can branch on), the
// message as stderr has it, and the exit code.
type errorBody struct {
	Kind              string  `json:"kind"`
	Message           string  `json:"message"`
	ExitCode          int     `json:"exitCode,omitempty"`
	RetryAfterSeconds float64 `json:"retryAfterSeconds,omitempty"`
}

type candidateJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

func newErrorBody(err error) errorBody {
	b := errorBody{Kind: errorKind(err), Message: errText(err), ExitCode: exitCode(err)}
	var ce *cloudflare.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		b.RetryAfterSeconds = ce.RetryAfter.Seconds()
	}
	return b
}

func newErrorJSON(err error) errorJSON {
	out := errorJSON{Error: newErrorBody(err)}
	if ex := exchangeOf(err); ex != nil {
		f := exchangeFields(ex)
		out.exchangeJSON = &f
	}
	var amb *ambiguousUserError
	if errors.As(err, &amb) {
		for _, u := range amb.candidates {
			out.Candidates = append(out.Candidates, candidateJSON{ID: u.ID, Email: u.Email, Name: u.Name})
		}
	}
	return out
}

// exchangeErr keeps the exchange of a failure that is not the client's
// own error (an unknown user: the search answered, empty).
type exchangeErr struct {
	error
	ex *cloudflare.Exchange
}

func (e *exchangeErr) Unwrap() error { return e.error }

func withExchange(err error, ex *cloudflare.Exchange) error {
	if err == nil || ex == nil {
		return err
	}
	return &exchangeErr{err, ex}
}

// exchangeOf finds the exchange of a failure, nil when no response
// arrived.
func exchangeOf(err error) *cloudflare.Exchange {
	var xe *exchangeErr
	if errors.As(err, &xe) {
		return xe.ex
	}
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		return ce.Exchange
	}
	return nil
}

// errorKind names a failure for scripts: the CLI's own verdict (usage,
// config, refused, unknown_outcome) first, then the client's kind of
// failure, then by exit code.
func errorKind(err error) string {
	var xe *exitError
	if errors.As(err, &xe) {
		switch xe.code {
		case ExitUsage:
			return "usage"
		case ExitConfig:
			return "config"
		case ExitRefused:
			return "refused"
		case ExitUnknown:
			return "unknown_outcome"
		}
	}
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		return apiKind(ce.Kind)
	}
	var ie *indicator.InputError
	switch {
	case errors.As(err, &ie):
		return "input"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	switch exitCode(err) {
	case ExitNotFound:
		return "not_found"
	case ExitUsage:
		return "usage"
	case ExitConfig:
		return "config"
	case ExitRefused:
		return "refused"
	case ExitUnknown:
		return "unknown_outcome"
	}
	return "error"
}

func apiKind(k cloudflare.ErrorKind) string {
	switch k {
	case cloudflare.KindInput:
		return "input"
	case cloudflare.KindOrigin:
		return "origin"
	case cloudflare.KindAuth:
		return "auth"
	case cloudflare.KindPermission:
		return "permission"
	case cloudflare.KindNotFound:
		return "not_found"
	case cloudflare.KindRateLimited:
		return "rate_limited"
	case cloudflare.KindServer:
		return "server"
	case cloudflare.KindGateway:
		return "gateway"
	case cloudflare.KindMalformed:
		return "malformed"
	case cloudflare.KindTooLarge:
		return "too_large"
	case cloudflare.KindBadRequest:
		return "bad_request"
	case cloudflare.KindNetwork:
		return "network"
	case cloudflare.KindTimeout:
		return "timeout"
	case cloudflare.KindCanceled:
		return "canceled"
	case cloudflare.KindAccountToken:
		return "account_token"
	case cloudflare.KindQuotaUsedUp:
		return "quota_used_up"
	}
	return "api"
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

// createOutput creates an -o file: 0600 (it holds indicators or case
// data) and never over an existing file or through a symlink planted at
// the path (O_EXCL), so nothing is lost and no wider mode is kept.
func createOutput(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil, usageErr("-o %s: the file already exists; it is never overwritten — choose another name or remove it", clean(path))
	case err != nil:
		return nil, usageErr("-o %s: %v", clean(path), actions.Explain(err))
	}
	return f, nil
}
