package cloudflare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"
)

// bodyShape says how a response body is read.
type bodyShape int

const (
	shapeEnvelope bodyShape = iota // {"success", "errors", "result", ...}
	shapeBare                      // the result object itself (ASN subnets)
	shapeRaw                       // a custom call: judged, not decoded
)

// envelope is Cloudflare's response wrapper. errors and result_info stay
// raw so an odd element cannot make the whole answer undecodable.
type envelope struct {
	Success    *bool           `json:"success"`
	Errors     json.RawMessage `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo json.RawMessage `json:"result_info"`
}

// resultInfo is the paging part of an envelope. The contract types these
// as "number", so floats are accepted.
type resultInfo struct {
	Page       float64 `json:"page"`
	PerPage    float64 `json:"per_page"`
	Count      float64 `json:"count"`
	TotalCount float64 `json:"total_count"`
	TotalPages float64 `json:"total_pages"`
}

func (e *envelope) info() resultInfo {
	var ri resultInfo
	if e != nil && len(e.ResultInfo) > 0 {
		_ = json.Unmarshal(e.ResultInfo, &ri) // paging hints only; bad ones are ignored
	}
	return ri
}

// pagingInfo is result_info when the envelope has one that is an object
// (nil otherwise); odd members read as 0.
func (e *envelope) pagingInfo() *ResultInfo {
	if e == nil {
		return nil
	}
	if b := bytes.TrimSpace(e.ResultInfo); len(b) == 0 || b[0] != '{' {
		return nil
	}
	var ri ResultInfo
	var raw map[string]json.RawMessage
	if json.Unmarshal(e.ResultInfo, &raw) != nil {
		return nil
	}
	for k, dst := range map[string]*int{"page": &ri.Page, "per_page": &ri.PerPage, "count": &ri.Count,
		"total_count": &ri.TotalCount, "total_pages": &ri.TotalPages} {
		var f float64
		if v, has := raw[k]; has && json.Unmarshal(v, &f) == nil && f >= 0 && f <= math.MaxInt32 {
			*dst = int(f)
		}
	}
	return &ri
}

// apiErrors reads errors[] leniently: items that are not {code, message}
// objects are skipped, messages are sanitized.
func apiErrors(raw json.RawMessage) []APIErrorItem {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []APIErrorItem
	for _, it := range items {
		var v struct {
			Code    json.Number `json:"code"`
			Message any         `json:"message"`
		}
		if json.Unmarshal(it, &v) != nil {
			continue
		}
		var e APIErrorItem
		if n, err := v.Code.Int64(); err == nil && n >= -1<<31 && n < 1<<31 {
			e.Code = int(n)
		}
		if s, ok := v.Message.(string); ok {
			e.Message = cleanText(s, 300)
		}
		if e.Code == 0 && e.Message == "" {
			continue
		}
		out = append(out, e)
		if len(out) == 20 {
			break
		}
	}
	return out
}

// cleanText makes untrusted text safe to put in a message: no control,
// zero-width or bidi characters, whitespace collapsed, at most max runes.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	n := 0
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = b.Len() > 0
			continue
		}
		if isInvisible(r) {
			continue
		}
		if n >= max {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// looksHTML reports an HTML page where JSON was expected: a gateway or
// proxy error page, a captive portal, a misconfigured base URL.
func looksHTML(h http.Header, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

func isJSONType(h http.Header) bool {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// said summarizes Cloudflare's errors[] for a message.
func said(items []APIErrorItem) string {
	if len(items) == 0 {
		return ""
	}
	var parts []string
	for i, e := range items {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(items)-3))
			break
		}
		switch {
		case e.Message != "" && e.Code != 0:
			parts = append(parts, fmt.Sprintf("%q (code %d)", e.Message, e.Code))
		case e.Message != "":
			parts = append(parts, fmt.Sprintf("%q", e.Message))
		default:
			parts = append(parts, fmt.Sprintf("code %d", e.Code))
		}
	}
	return " Cloudflare said: " + strings.Join(parts, "; ") + "."
}

// authCodes are errors[].code values that mean the credentials were not
// accepted (10000 per the contract; the others are Cloudflare's codes for
// invalid or malformed tokens).
var authCodes = map[int]bool{10000: true, 1000: true, 9103: true, 9106: true, 9109: true, 6003: true, 6111: true}

func hasAuthCode(items []APIErrorItem) bool {
	for _, e := range items {
		if authCodes[e.Code] {
			return true
		}
	}
	return false
}

// AuthMessage is the message for a rejected token.
const AuthMessage = "Cloudflare rejected the API token (invalid, expired or revoked); check CLOUDFLARE_API_TOKEN or run `cftriage auth login`."

// formatWait renders a wait the way a person reads it: "1m40s", "3s".
func formatWait(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	return ((d + time.Second - 1) / time.Second * time.Second).String()
}

func rateLimitedMessage(d time.Duration, now time.Time) string {
	return fmt.Sprintf("rate limited by Cloudflare; retry in %s (at %s)", formatWait(d), now.Add(d).Local().Format("15:04:05"))
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// classify judges a response that arrived: status first, then the body.
// It returns the parsed envelope of a 2xx JSON answer (nil otherwise) and
// an *Error for anything that is not a success.
func (c *Client) classify(rq *request, ex *Exchange) (*envelope, *Error) {
	st := ex.StatusCode
	mk := func(kind ErrorKind, items []APIErrorItem, msg string) *Error {
		return &Error{Kind: kind, Op: rq.op, StatusCode: st, Errors: items, Message: msg, Exchange: ex}
	}
	if st >= 300 && st < 400 {
		// Only redirects checkRedirect refused get here (another origin, or
		// a write); their bodies, often HTML, do not matter.
		loc := ex.Header.Get("Location")
		where := "another location"
		if u, err := url.Parse(loc); err == nil && u.Host != "" {
			where = cleanText(u.Host, 80)
		}
		if loc != "" && !c.sameOrigin(loc) {
			return nil, mk(KindOrigin, nil, fmt.Sprintf("Cloudflare redirected %s to %s (HTTP %d); the redirect was not followed, so the token stayed with %s.", rq.op, where, st, c.host))
		}
		return nil, mk(KindBadRequest, nil, fmt.Sprintf("Cloudflare answered %s with a redirect (HTTP %d) that was not followed; check the base URL %s.", rq.op, st, c.baseStr))
	}
	if looksHTML(ex.Header, ex.Body) {
		switch {
		case st == http.StatusTooManyRequests:
			return nil, c.rateLimitedError(rq, ex, nil)
		case st >= 400 && st < 500:
			return nil, mk(KindGateway, nil, fmt.Sprintf("Cloudflare answered %s with an HTML page (HTTP %d) instead of JSON; check the base URL %s and any proxy in between.", rq.op, st, c.baseStr))
		}
		return nil, mk(KindGateway, nil, fmt.Sprintf("Cloudflare answered with an HTML error page (HTTP %d) instead of JSON — a gateway problem, try again", st))
	}
	var env *envelope
	var jsonErr error
	if trimmed := bytes.TrimSpace(ex.Body); len(trimmed) > 0 {
		var e envelope
		if jsonErr = json.Unmarshal(trimmed, &e); jsonErr == nil {
			env = &e
		}
	}
	var items []APIErrorItem
	if env != nil {
		items = apiErrors(env.Errors)
	}
	switch {
	case st >= 200 && st < 300:
	case st == http.StatusUnauthorized:
		return nil, mk(KindAuth, items, AuthMessage+said(items))
	case st == http.StatusForbidden:
		return nil, mk(KindPermission, items, c.permissionMessage(rq.op)+said(items))
	case st == http.StatusNotFound:
		return nil, mk(KindNotFound, items, c.notFoundMessage(rq)+said(items))
	case st == http.StatusTooManyRequests:
		return nil, c.rateLimitedError(rq, ex, items)
	case st >= 500 && st < 600:
		return nil, mk(KindServer, items, fmt.Sprintf("Cloudflare had a server error (HTTP %d) during %s; try again shortly.%s", st, rq.op, said(items)))
	case st >= 400 && st < 500:
		if hasAuthCode(items) {
			return nil, mk(KindAuth, items, AuthMessage+said(items))
		}
		return nil, mk(KindBadRequest, items, fmt.Sprintf("Cloudflare refused the %s request (HTTP %d).%s", rq.op, st, said(items)))
	default:
		return nil, mk(KindUnknown, items, fmt.Sprintf("Cloudflare answered %s with an unexpected HTTP status %d.%s", rq.op, st, said(items)))
	}

	// 2xx from here on.
	if env != nil && env.Success != nil && !*env.Success {
		if hasAuthCode(items) {
			return nil, mk(KindAuth, items, AuthMessage+said(items))
		}
		return nil, mk(KindUnknown, items, fmt.Sprintf("Cloudflare reported a failure for %s (HTTP %d with success: false).%s", rq.op, st, said(items)))
	}
	switch rq.shape {
	case shapeRaw:
		if jsonErr != nil && isJSONType(ex.Header) {
			return nil, c.malformedError(rq, ex, jsonErr)
		}
		return env, nil
	case shapeBare:
		if jsonErr != nil {
			return nil, c.malformedError(rq, ex, jsonErr)
		}
		if env == nil {
			return nil, mk(KindMalformed, nil, fmt.Sprintf("Cloudflare's answer to %s was empty.", rq.op))
		}
		return env, nil
	}
	if jsonErr != nil {
		return nil, c.malformedError(rq, ex, jsonErr)
	}
	if env == nil {
		if rq.allowEmpty {
			return nil, nil
		}
		return nil, mk(KindMalformed, nil, fmt.Sprintf("Cloudflare's answer to %s was empty.", rq.op))
	}
	if env.Success == nil {
		return nil, mk(KindMalformed, nil, fmt.Sprintf("Cloudflare's answer to %s is JSON but not an API envelope (no \"success\" field).", rq.op))
	}
	return env, nil
}

// rateLimitedError builds the 429 error; RetryAfter comes from Retry-After,
// else from the Ratelimit reset, else a minute.
func (c *Client) rateLimitedError(rq *request, ex *Exchange, items []APIErrorItem) *Error {
	now := c.clock.Now()
	d, ok := parseRetryAfter(ex.Header.Get("Retry-After"), now)
	if !ok {
		if q := ParseQuota(ex.Header, now); q.Known && q.Reset > 0 {
			d = q.Reset
		} else {
			d = time.Minute
		}
	}
	return &Error{Kind: KindRateLimited, Op: rq.op, StatusCode: ex.StatusCode, Errors: items,
		RetryAfter: d, Exchange: ex, Message: rateLimitedMessage(d, now)}
}

// malformedError tells truncated JSON from otherwise invalid JSON.
func (c *Client) malformedError(rq *request, ex *Exchange, err error) *Error {
	e := &Error{Kind: KindMalformed, Op: rq.op, StatusCode: ex.StatusCode, Exchange: ex, Err: err}
	var se *json.SyntaxError
	n := len(bytes.TrimSpace(ex.Body))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && se.Offset >= int64(n)):
		e.Message = fmt.Sprintf("Cloudflare's answer to %s was cut off (truncated JSON after %d bytes); try again.", rq.op, n)
	case errors.As(err, &se):
		e.Message = fmt.Sprintf("Cloudflare's answer to %s is not valid JSON (syntax error at byte %d of %d).", rq.op, se.Offset, n)
	default:
		e.Message = fmt.Sprintf("Cloudflare's answer to %s is not a JSON object as expected.", rq.op)
	}
	if isWrite(rq.method) && ex.StatusCode >= 200 && ex.StatusCode < 300 {
		e.Message += fmt.Sprintf(" Cloudflare answered HTTP %d, so the change was probably applied; check before repeating it.", ex.StatusCode)
	}
	return e
}

// shapeError reports JSON that decodes but not into the expected types.
func (c *Client) shapeError(rq *request, ex *Exchange, err error) *Error {
	detail := "a field has an unexpected type"
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := cleanText(te.Field, 80)
		if field == "" {
			field = "the result"
		}
		detail = fmt.Sprintf("%s: expected %s, got %s", field, jsonKind(te.Type), cleanText(te.Value, 20))
	}
	return &Error{Kind: KindMalformed, Op: rq.op, StatusCode: ex.StatusCode, Exchange: ex, Err: err,
		Message: fmt.Sprintf("Cloudflare's answer to %s has an unexpected shape (%s).", rq.op, detail)}
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another type"
}

// decodeInto decodes a judged 2xx answer into out (a pointer), by shape.
func (c *Client) decodeInto(rq *request, ex *Exchange, env *envelope, out any) *Error {
	if out == nil {
		return nil
	}
	var data []byte
	switch rq.shape {
	case shapeBare:
		data = bytes.TrimSpace(ex.Body)
	case shapeEnvelope:
		if env == nil {
			return nil // allowed empty answer
		}
		data = env.Result
	default:
		return nil
	}
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return c.shapeError(rq, ex, err)
	}
	return nil
}

// permissionMessage names the permission an operation needs.
func (c *Client) permissionMessage(op string) string {
	perm := PermissionFor(op)
	if perm == "" {
		return fmt.Sprintf("Cloudflare refused the %s (HTTP 403): the API token lacks a permission it needs, or cannot access this account.", op)
	}
	where := ""
	if c.accountID != "" && op != OpListAccounts {
		where = " on account " + c.accountID
	}
	return fmt.Sprintf("The API token lacks the %q permission that %s needs%s; add it to the token in the Cloudflare dashboard (My Profile → API Tokens) and try again.", perm, op, where)
}

func (c *Client) notFoundMessage(rq *request) string {
	switch rq.op {
	case OpRiskScore, OpResetRisk:
		m := fmt.Sprintf("No Zero Trust user with id %s in account %s.", rq.subject, c.accountID)
		if rq.op == OpResetRisk {
			m += " Nothing was reset."
		}
		return m
	case OpVerifyToken, OpListAccounts:
		return fmt.Sprintf("Cloudflare has no %s endpoint at %s (HTTP 404); check the base URL.", rq.op, c.baseStr)
	case OpRaw:
		return fmt.Sprintf("Nothing at %s (HTTP 404 Not Found).", cleanText(rq.url, 200))
	}
	return fmt.Sprintf("Cloudflare found nothing for %s (HTTP 404); check that the account id %s is right.", rq.op, c.accountID)
}

// DecodeResponse judges and decodes a response the way every call does,
// for code that has a status, headers and body from elsewhere (and for
// fuzzing): it returns nil after filling out, or an *Error. bare is true
// for answers without the envelope (ASN subnets). out may be nil.
func (c *Client) DecodeResponse(op string, status int, header http.Header, body []byte, bare bool, out any) error {
	if header == nil {
		header = http.Header{}
	}
	rq := &request{op: op, method: http.MethodGet, shape: shapeEnvelope}
	if bare {
		rq.shape = shapeBare
	}
	ex := &Exchange{Method: rq.method, StatusCode: status, Header: header, Body: body, Attempts: 1}
	env, e := c.classify(rq, ex)
	if e == nil {
		e = c.decodeInto(rq, ex, env, out)
	}
	if e != nil {
		return e
	}
	return nil
}

// ---- both readings: where the contract and Cloudflare's docs disagree ----

// jsonKindOf names the JSON type of a raw value, for type errors.
func jsonKindOf(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number " + string(b)
}

// UnmarshalJSON reads belongs_to_ref with its value as a string (the
// contract) or an integer (the docs' example and the older Go SDK); any
// other value is an error.
func (r *ASNRef) UnmarshalJSON(b []byte) error {
	type plain ASNRef
	var v struct {
		plain
		Value json.RawMessage `json:"value"` // shadows plain.Value
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = ASNRef(v.plain)
	r.Value = ""
	raw := bytes.TrimSpace(v.Value)
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &r.Value); err != nil {
			return err
		}
	case asciiDigits(raw):
		r.Value = string(raw)
	default:
		return &json.UnmarshalTypeError{Value: jsonKindOf(raw), Type: reflect.TypeFor[string](), Field: "value"}
	}
	return nil
}

func asciiDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// UnmarshalJSON reads one ASN overview item: an object, or just the
// number (the contract's reading).
func (a *ASNInfo) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' && string(b) != "null" {
		var n int // a float, string or bool is an error
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*a = ASNInfo{ASN: n}
		return nil
	}
	type plain ASNInfo
	return json.Unmarshal(b, (*plain)(a))
}

// asnOverview is the ASN overview result in any of its three shapes: a
// number, an object, or an array of objects.
type asnOverview struct{ items []ASNInfo }

func (o *asnOverview) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		o.items = nil
		return nil
	case b[0] == '[':
		return json.Unmarshal(b, &o.items)
	}
	var one ASNInfo
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	o.items = []ASNInfo{one}
	return nil
}

// pick returns the item about asn. An item without a number is taken to
// be about the ASN asked for; an answer only about other ASNs is wrong.
func (o asnOverview) pick(asn int) (ASNInfo, bool) {
	if len(o.items) == 0 {
		return ASNInfo{ASN: asn}, true
	}
	for _, it := range o.items {
		if it.ASN == asn || it.ASN == 0 {
			it.ASN = asn
			return it, true
		}
	}
	return ASNInfo{}, false
}
