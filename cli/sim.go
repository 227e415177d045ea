package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

const simUsage = "sim [--addr 127.0.0.1:8787] [--variants] [--quota N] [--window D] [--latency D] [--429-after N [--429-times K] [--retry-after S]] [--5xx-rate F] [--html-rate F] [--malformed-rate F] [--truncated-rate F] [--fault-op ID]"

const simDesc = "Run the API simulator standalone: it prints its base URL, account id and token, and the export lines to point cftriage (or any tool) at it. " +
	"--variants serves the shapes Cloudflare's docs show where they differ from the contract; --quota/--window set its rate limit; the other flags inject faults, on every operation or only --fault-op's."

// simOpts are the `cftriage sim` flags beyond --addr: the simulator's
// rate limit and the faults to inject.
type simOpts struct {
	variants   bool
	quota      int
	window     time.Duration
	latency    time.Duration
	after429   optInt
	times429   int
	retryAfter int
	rate5xx    float64
	rateHTML   float64
	rateBadJS  float64
	rateTrunc  float64
	faultOp    string
}

// optInt is an int flag that knows whether it was given (its help shows
// no default).
type optInt struct {
	n   int
	set bool
}

func (o *optInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.n)
}

func (o *optInt) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("not a whole number")
	}
	o.n, o.set = n, true
	return nil
}

func simFlags(fs *flag.FlagSet, o *opts) {
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8787", "listen `HOST:PORT`")
	so := &o.sim
	fs.BoolVar(&so.variants, "variants", false, "serve the shapes Cloudflare's docs show where they differ from the contract")
	fs.IntVar(&so.quota, "quota", 1200, "allow `N` requests per window and token (0 = unlimited)")
	fs.DurationVar(&so.window, "window", 5*time.Minute, "the quota's window `D`, in whole seconds; going over blocks for one window")
	fs.DurationVar(&so.latency, "latency", 0, "delay every answer by `D`")
	fs.Var(&so.after429, "429-after", "answer 429 (rate limited) after the first `N` requests")
	fs.IntVar(&so.times429, "429-times", 1, "give that 429 to `K` requests (0 = every one after N)")
	fs.IntVar(&so.retryAfter, "retry-after", 60, "the 429's Retry-After, `S` seconds")
	fs.Float64Var(&so.rate5xx, "5xx-rate", 0, "answer a fraction `F` (0..1) of the requests with HTTP 500")
	fs.Float64Var(&so.rateHTML, "html-rate", 0, "answer a fraction `F` with an HTML 502 gateway page")
	fs.Float64Var(&so.rateBadJS, "malformed-rate", 0, "answer a fraction `F` with 200 and invalid JSON")
	fs.Float64Var(&so.rateTrunc, "truncated-rate", 0, "answer a fraction `F` with 200 and the JSON cut in half")
	fs.StringVar(&so.faultOp, "fault-op", "", "inject the faults into the operation `ID` only (a contract operationId, e.g. ip-intelligence-get-ip-overview)")
}

// options turns the flags into the simulator's options and faults, or
// a usage error before anything listens.
func (so *simOpts) options() (sim.Options, []sim.Fault, error) {
	o := sim.Options{Variants: so.variants}
	switch {
	case so.quota < 0:
		return o, nil, usageErr("--quota must be 0 (unlimited) or more")
	case so.quota == 0:
		o.RateQuota = -1
	default:
		o.RateQuota = so.quota
	}
	if so.window < time.Second || so.window%time.Second != 0 {
		return o, nil, usageErr("--window must be whole seconds, at least 1s (the Ratelimit headers count seconds): %s", so.window)
	}
	o.RateWindow = so.window
	if so.latency < 0 {
		return o, nil, usageErr("--latency must not be negative")
	}
	if so.faultOp != "" && !knownOperationID(so.faultOp) {
		return o, nil, usageErr("--fault-op %q is not an operationId of the contract (see `cftriage api --help` or ../shared/cloudflare/openapi.json)", so.faultOp)
	}
	var faults []sim.Fault
	if so.after429.set {
		if so.after429.n < 0 || so.times429 < 0 {
			return o, nil, usageErr("--429-after and --429-times must not be negative")
		}
		if so.retryAfter < 1 {
			return o, nil, usageErr("--retry-after must be at least 1 (seconds)")
		}
		faults = append(faults, sim.Fault{Status: 429, After: so.after429.n, Times: so.times429, RetryAfter: so.retryAfter})
	}
	rates := []struct {
		name string
		rate float64
		f    sim.Fault
	}{
		{"--5xx-rate", so.rate5xx, sim.Fault{Status: 500}},
		{"--html-rate", so.rateHTML, sim.Fault{HTML: true, Status: 502}},
		{"--malformed-rate", so.rateBadJS, sim.Fault{Malformed: true}},
		{"--truncated-rate", so.rateTrunc, sim.Fault{Truncated: true}},
	}
	for _, r := range rates {
		if r.rate < 0 || r.rate > 1 || r.rate != r.rate {
			return o, nil, usageErr("%s must be between 0 and 1", r.name)
		}
		if r.rate > 0 {
			r.f.Rate = r.rate
			faults = append(faults, r.f)
		}
	}
	// The simulator answers with the first fault that fires, so each
	// carries the latency, and a last one delays the rest.
	for i := range faults {
		faults[i].Op, faults[i].Latency = so.faultOp, so.latency
	}
	if so.latency > 0 {
		faults = append(faults, sim.Fault{Op: so.faultOp, Latency: so.latency})
	}
	return o, faults, nil
}

func knownOperationID(id string) bool {
	for _, op := range cloudflare.Operations() {
		if op.OperationID == id {
			return true
		}
	}
	return false
}

// describeFaults says what was injected, for the analyst watching.
func describeFaults(w io.Writer, so *simOpts) {
	var parts []string
	if so.latency > 0 {
		parts = append(parts, "latency "+so.latency.String())
	}
	if so.after429.set {
		times := fmt.Sprintf("%d request(s)", so.times429)
		if so.times429 == 0 {
			times = "every request"
		}
		parts = append(parts, fmt.Sprintf("429 (Retry-After %ds) for %s after the first %d", so.retryAfter, times, so.after429.n))
	}
	for _, r := range []struct {
		what string
		rate float64
	}{{"HTTP 500", so.rate5xx}, {"HTML 502 pages", so.rateHTML}, {"malformed JSON", so.rateBadJS}, {"truncated JSON", so.rateTrunc}} {
		if r.rate > 0 {
			parts = append(parts, fmt.Sprintf("%s on %g%% of the requests", r.what, r.rate*100))
		}
	}
	if len(parts) == 0 {
		return
	}
	where := "every operation"
	if so.faultOp != "" {
		where = so.faultOp
	}
	fmt.Fprintf(w, "faults (%s): %s\n", where, strings.Join(parts, "; "))
}

func runSim(ctx context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage %s", simUsage)
	}
	if strings.TrimSpace(e.o.addr) == "" {
		return usageErr("--addr is empty")
	}
	o, faults, err := e.o.sim.options()
	if err != nil {
		return err
	}
	s := sim.New(o)
	for _, f := range faults {
		s.Inject(f)
	}
	describeFaults(e.stdout, &e.o.sim)
	if err := sim.Serve(ctx, e.o.addr, e.stdout, s); err != nil {
		return &exitError{code: ExitAPI, msg: "simulator: " + err.Error()}
	}
	return nil
}
