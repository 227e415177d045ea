// Package contracttest validates HTTP exchanges against the Cloudflare
// contract (../shared/cloudflare/openapi.json, relative to the repo root)
// in tests. The contract is read in place, never copied into the project;
// when it is absent the tests that need it are skipped.
package contracttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// SkipMessage is the reason given when the contract is absent.
const SkipMessage = "contract tests skipped: ../shared/cloudflare/openapi.json not found"

// SpecPath finds ../shared/cloudflare/openapi.json relative to the repo
// root (the nearest directory above the working directory holding go.mod).
func SpecPath() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(dir), "shared", "cloudflare", "openapi.json")
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p, true
			}
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// formats OpenAPI leaves optional are checked too, passed per validation
// so kin-openapi's global settings stay untouched.
var formats = map[string]openapi3.StringFormatValidator{
	"ipv4":  openapi3.NewIPValidator(true),
	"ipv6":  openapi3.NewIPValidator(false),
	"uuid":  openapi3.NewRegexpFormatValidator(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`),
	"email": openapi3.NewRegexpFormatValidator(`^[^@\s]+@[^@\s]+\.[^@\s]+$`),
}

var formatOpts = []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(formats)}

type loaded struct {
	doc    *openapi3.T
	router routers.Router
	host   string // the spec server's host and scheme, for routing
	scheme string
	err    error
}

var (
	loadOnce sync.Once
	spec     loaded
)

func load() loaded {
	loadOnce.Do(func() {
		p, found := SpecPath()
		if !found {
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(p)
		if err != nil {
			spec.err = fmt.Errorf("loading %s: %w", p, err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			spec.err = fmt.Errorf("validating %s: %w", p, err)
			return
		}
		if len(doc.Servers) == 0 {
			spec.err = fmt.Errorf("%s: no servers entry to take the base path from", p)
			return
		}
		u, err := url.Parse(doc.Servers[0].URL)
		if err != nil || u.Host == "" {
			spec.err = fmt.Errorf("%s: server URL %q is not absolute", p, doc.Servers[0].URL)
			return
		}
		rt, err := gorillamux.NewRouter(doc)
		if err != nil {
			spec.err = fmt.Errorf("routing %s: %w", p, err)
			return
		}
		spec = loaded{doc: doc, router: rt, host: u.Host, scheme: u.Scheme}
	})
	return spec
}

// Load loads and validates the spec once (cached). It skips t when the
// spec is absent and fails it when the spec does not load.
func Load(t testing.TB) *openapi3.T {
	t.Helper()
	l := load()
	if l.err != nil {
		t.Fatalf("contract: %v", l.err)
	}
	if l.doc == nil {
		t.Skip(SkipMessage)
	}
	return l.doc
}

// Option adjusts what Wrap tolerates.
type Option func(*config)

type config struct {
	allowUnknownPaths    bool
	allowInvalidRequests bool
}

// AllowUnknownPaths stops Wrap from reporting requests to paths the
// contract does not define (for tests of 404 handling).
func AllowUnknownPaths() Option { return func(c *config) { c.allowUnknownPaths = true } }

// AllowInvalidRequests stops Wrap from reporting requests that break the
// contract (for tests that send a bad request or no credentials on
// purpose); the responses are still validated.
func AllowInvalidRequests() Option { return func(c *config) { c.allowInvalidRequests = true } }

// Wrap returns a handler that validates every request against the contract
// before passing it to h, and the response h produced before it reaches the
// client, reporting violations with t.Errorf. Responses are buffered so a
// violation is reported before the client sees the answer; a handler that
// hijacks the connection is passed through unvalidated.
//
// The base path of the contract's server (/client/v4) is matched on any
// host, so http://127.0.0.1:port/client/v4/... routes like
// https://api.cloudflare.com/client/v4/....
func Wrap(t testing.TB, h http.Handler, opts ...Option) http.Handler {
	t.Helper()
	Load(t)
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	l := load()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var body []byte
		if r.Body != nil {
			var err error
			if body, err = io.ReadAll(r.Body); err != nil {
				t.Errorf("contract: %s %s: reading request body: %v", r.Method, r.URL.RequestURI(), err)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		// Route as if the request went to the contract's server.
		vr := r.Clone(ctx)
		vr.URL.Scheme, vr.URL.Host, vr.Host = l.scheme, l.host, l.host
		vr.Body = io.NopCloser(bytes.NewReader(body))
		vr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }

		route, params, err := l.router.FindRoute(vr)
		if err != nil {
			if !cfg.allowUnknownPaths {
				t.Errorf("contract: %s %s: not an operation of the contract: %v", r.Method, r.URL.RequestURI(), err)
			}
			h.ServeHTTP(w, r)
			return
		}
		opts := &openapi3filter.Options{AuthenticationFunc: authenticate, MultiError: true, SchemaValidationOptions: formatOpts}
		in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil && !cfg.allowInvalidRequests {
			t.Errorf("contract: %s %s: request violates %s: %v", r.Method, r.URL.RequestURI(), route.Operation.OperationID, err)
		}

		rec := &recorder{under: w, header: http.Header{}}
		h.ServeHTTP(rec, r)
		if rec.hijacked {
			return
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if err := validateResponse(ctx, in, rec); err != nil {
			t.Errorf("contract: %s %s: %d response violates %s: %v", r.Method, r.URL.RequestURI(), rec.status, route.Operation.OperationID, err)
		}
		rec.send()
	})
}

// WrapIfAvailable is Wrap when the contract is present. When it is absent
// it logs why and returns h itself, so a test that checks more than the
// contract (a client against the simulator) still runs, unvalidated,
// instead of being skipped whole. A contract that is present but does not
// load fails t, as with Wrap.
func WrapIfAvailable(t testing.TB, h http.Handler, opts ...Option) http.Handler {
	t.Helper()
	l := load()
	if l.err != nil {
		t.Fatalf("contract: %v", l.err)
	}
	if l.doc == nil {
		t.Log(SkipMessage + " — validation skipped; the test runs against the handler unvalidated")
		return h
	}
	return Wrap(t, h, opts...)
}

// validateResponse checks the recorded response against the operation.
//
// The contract's 4XX schemas for the intel, WHOIS and token/account
// operations are allOf(<success schema>, <*-api-response-common-failure>),
// inherited from Cloudflare's published document. No error body can satisfy
// both (success must be true in one and false in the other; result an object
// in one and null in the other), so when a 4xx fails that way the body is
// checked against the failure branch alone.
func validateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, rec *recorder) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.status,
		Header:                 rec.header,
		Body:                   io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		Options:                &openapi3filter.Options{MultiError: true, SchemaValidationOptions: formatOpts},
	}
	err := openapi3filter.ValidateResponse(ctx, out)
	if err == nil || rec.status < 400 || rec.status > 499 {
		return err
	}
	failure := failureBranch(in.Route.Operation, rec.status)
	if failure == nil {
		return err
	}
	var v map[string]any
	if jerr := json.Unmarshal(rec.body.Bytes(), &v); jerr != nil {
		return err
	}
	ferr := failure.VisitJSON(v, openapi3.MultiErrors(), openapi3.WithStringFormatValidators(formats))
	if ferr != nil && v["success"] == false {
		// WHOIS's failure schema (cloudforce-one_api-response-common-failure)
		// itself inherits success: enum [true] from its common schema while
		// its example says false. success == false having been checked here,
		// the rest of the body is held to that schema.
		v["success"] = true
		if failure.VisitJSON(v, openapi3.WithStringFormatValidators(formats)) == nil {
			ferr = nil
		}
	}
	if ferr != nil {
		return fmt.Errorf("%w; against the failure branch alone: %v", err, ferr)
	}
	return nil
}

// failureBranch returns the *-api-response-common-failure member of the
// operation's allOf schema for status, if it has one.
func failureBranch(op *openapi3.Operation, status int) *openapi3.Schema {
	resp := op.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return nil
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	for _, s := range mt.Schema.Value.AllOf {
		if strings.HasSuffix(s.Ref, "api-response-common-failure") && s.Value != nil {
			return s.Value
		}
	}
	return nil
}

// authenticate checks that the credentials a security scheme names are
// present and well formed; whether they are valid is the server's business.
func authenticate(_ context.Context, ai *openapi3filter.AuthenticationInput) error {
	req := ai.RequestValidationInput.Request
	ss := ai.SecurityScheme
	switch {
	case ss.Type == "http" && strings.EqualFold(ss.Scheme, "bearer"):
		v, found := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
		if !found || strings.TrimSpace(v) == "" {
			return ai.NewError(errors.New("no Authorization: Bearer <token> header"))
		}
	case ss.Type == "apiKey" && ss.In == "header":
		if req.Header.Get(ss.Name) == "" {
			return ai.NewError(fmt.Errorf("no %s header", ss.Name))
		}
	}
	return nil
}

// recorder buffers a response so it can be validated before it is sent.
type recorder struct {
	under    http.ResponseWriter
	header   http.Header
	status   int
	body     bytes.Buffer
	hijacked bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// Flush is a no-op: the response is sent whole after validation.
func (r *recorder) Flush() {}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, can := r.under.(http.Hijacker)
	if !can {
		return nil, nil, errors.New("contracttest: underlying ResponseWriter cannot hijack")
	}
	h := r.under.Header()
	for k, v := range r.header {
		h[k] = v
	}
	r.hijacked = true
	return hj.Hijack()
}

func (r *recorder) send() {
	h := r.under.Header()
	for k, v := range r.header {
		h[k] = v
	}
	r.under.WriteHeader(r.status)
	r.under.Write(r.body.Bytes())
}
