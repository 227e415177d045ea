package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

func TestASNCommandHuman(t *testing.T) {
	f := newFixture(t, sim.Options{})
	const want = "AS64500\n  subnets:  2 (1 IPv4, 1 IPv6) · 128 IPv4 addresses\n    203.0.113.0/25\n    2001:db8:bad::/48\n"
	for _, arg := range []string{"64500", "AS64500", "as64500", " AS64500 "} {
		r := f.run(t, "", "asn", arg)
		if r.code != 0 || r.stdout != want {
			t.Fatalf("asn %q: exit %d\n%s\nwant\n%s(stderr %q)", arg, r.code, r.stdout, want, r.stderr)
		}
	}
	// The first run asks; the other spellings are the same ASN, answered
	// from the cache.
	if f.sim.Count(sim.OpASN) != 1 || f.sim.Count(sim.OpASNSubnets) != 1 {
		t.Errorf("overview %d, subnets %d requests; want 1 each", f.sim.Count(sim.OpASN), f.sim.Count(sim.OpASNSubnets))
	}
}

// TestASNCommandShowsTheDocsReading: name, country, type, domain count
// and top domains appear when the overview carries them.
func TestASNCommandShowsTheDocsReading(t *testing.T) {
	f := newFixture(t, sim.Options{Variants: true})
	r := f.run(t, "", "asn", "AS13335")
	want := "AS13335  CLOUDFLARENET\n  country:  US\n  type:     hosting_provider\n" +
		"  domains:  2 · top: " + sim.DomainPopular + ", " + sim.DomainClean + "\n  subnets:  5 (3 IPv4, 2 IPv6) · 1,048,832 IPv4 addresses\n"
	if r.code != 0 || !strings.HasPrefix(r.stdout, want) {
		t.Fatalf("exit %d\n%s\nwant it to start with\n%s", r.code, r.stdout, want)
	}
	r = f.run(t, "", "asn", "64501")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "AS64501  EXAMPLE-TELECOM Residential Broadband\n  country:  DE\n  type:     isp\n  subnets:  ") {
		t.Fatalf("the docs' object: exit %d\n%s", r.code, r.stdout)
	}
}

func TestASNCommandJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "asn", "AS64500", "--json"))
	checkExchange(t, m)
	subs, _ := m["subnets"].(map[string]any)
	if m["asn"] != float64(64500) || subs["count"] != float64(2) || subs["ip_count_total"] != float64(128) || len(subs["subnets"].([]any)) != 2 {
		t.Fatalf("asn --json: %v", m)
	}
	for _, k := range []string{"description", "country", "type", "domainCount", "topDomains"} {
		if v, present := m[k]; !present || v != nil {
			t.Errorf("%s = %v (present %v), want null on the contract's reading", k, v, present)
		}
	}
	if _, present := m["overviewError"]; present {
		t.Errorf("overviewError without an error: %v", m["overviewError"])
	}

	v := newFixture(t, sim.Options{Variants: true})
	m = decode(t, v.run(t, "", "asn", "13335", "--json"))
	checkExchange(t, m)
	if m["description"] != "CLOUDFLARENET" || m["country"] != "US" || m["type"] != "hosting_provider" || m["domainCount"] != float64(2) ||
		mustJSON(t, m["topDomains"]) != `["`+sim.DomainPopular+`","`+sim.DomainClean+`"]` {
		t.Fatalf("asn --json on the docs' reading: %v", m)
	}
}

// TestASNCommandInputAndFailures: bad numbers are refused before any
// request; the overview failing is a note; the subnets failing fails.
func TestASNCommandInputAndFailures(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{{"asn"}, {"asn", "AS"}, {"asn", "ASX1"}, {"asn", "0"}, {"asn", "4294967295"}, {"asn", "1", "2"}, {"asn", "-5"}} {
		if r := f.run(t, "", args...); r.code != ExitUsage || r.stderr == "" {
			t.Errorf("%q: exit %d stderr %q", args, r.code, r.stderr)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests for bad input", n)
	}

	f.sim.Inject(sim.Fault{Op: sim.OpASN, Status: http.StatusForbidden})
	r := f.run(t, "", "asn", "64500")
	if r.code != 0 || !strings.Contains(r.stdout, "  overview: unavailable (") || !strings.Contains(r.stdout, "203.0.113.0/25") {
		t.Fatalf("overview refused: exit %d\n%s", r.code, r.stdout)
	}
	m := decode(t, f.run(t, "", "asn", "64500", "--json"))
	if e, _ := m["overviewError"].(string); e == "" || m["subnets"] == nil {
		t.Fatalf("overview refused, --json: %v", m)
	}
	f.sim.ClearFaults()

	f.sim.Inject(sim.Fault{Op: sim.OpASNSubnets, Status: http.StatusForbidden})
	// --no-cache: the subnets answer of the runs above must not hide the fault.
	if r := f.run(t, "", "asn", "64500", "--no-cache"); r.code != ExitAPI || r.stdout != "" || r.stderr == "" {
		t.Fatalf("subnets refused: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestLookupsOnTheDocsReading: the other headless lookups against the
// docs' shapes (numeric belongs_to_ref.value, date-only WHOIS dates,
// date-time passive DNS, event_details that are not objects) print the
// same facts, formatted as on the contract's reading.
func TestLookupsOnTheDocsReading(t *testing.T) {
	f := newFixture(t, sim.Options{Variants: true})
	for _, tc := range []struct {
		args []string
		want *regexp.Regexp
	}{
		{[]string{"ip", sim.IPCleanCF}, regexp.MustCompile(`\n  ASN:    AS13335 CLOUDFLARENET \(US\)\n`)},
		{[]string{"ip", sim.IPRiskyC2}, regexp.MustCompile(`\(\d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d\)\n`)},
		{[]string{"domain", sim.DomainNew}, regexp.MustCompile(`created \d{4}-\d\d-\d\d, expires \d{4}-\d\d-\d\d\n`)},
		{[]string{"user", sim.EmailIPv6Event}, regexp.MustCompile(`Connection to a command and control server  \(\[\{"action":"block","dst_ip":"2001:db8:bad::66"\},"cdn-update.test"\]\)\n`)},
		{[]string{"user", sim.EmailIPv6Event}, regexp.MustCompile(`file  \(setup.msi from brand-new-shop.example \(isolated\)\)\n`)},
	} {
		r := f.run(t, "", tc.args...)
		if r.code != 0 || !tc.want.MatchString(r.stdout) {
			t.Errorf("%q: exit %d, output does not match %s:\n%s%s", tc.args, r.code, tc.want, r.stdout, r.stderr)
		}
		if m := rawTime.FindString(r.stdout); m != "" {
			t.Errorf("%q prints a raw timestamp (%s…):\n%s", tc.args, m, r.stdout)
		}
	}
	// --json keeps event_details as the API sent them.
	m := decode(t, f.run(t, "", "user", sim.EmailIPv6Event, "--json"))
	evs := m["riskEvents"].([]any)
	if _, isList := evs[0].(map[string]any)["event_details"].([]any); !isList {
		t.Errorf("riskEvents[0].event_details = %#v, want the array", evs[0])
	}
}

func TestSimCommandVariants(t *testing.T) {
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	st := &streams{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, isTerminal: func() bool { return false }}
	go func() { done <- run(ctx, []string{"sim", "--addr", "127.0.0.1:0", "--variants"}, st) }()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, l := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(l, "base URL: "); ok {
				base = strings.TrimSpace(v)
			}
		}
	}
	if base == "" {
		t.Fatalf("no base URL printed: %q %q", out.String(), errb.String())
	}
	req, _ := http.NewRequest("GET", base+"/accounts/"+sim.DemoAccountID+"/intel/asn/13335", nil)
	req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Result []map[string]any `json:"result"`
	}
	err = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if err != nil || len(env.Result) != 1 || env.Result[0]["description"] != "CLOUDFLARENET" {
		t.Fatalf("ASN overview on `sim --variants`: %v %v", env, err)
	}
	if !strings.Contains(out.String(), "variants: on") {
		t.Errorf("the simulator does not say it serves variants: %q", out.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("sim exit %d %q", code, errb.String())
	}
	// And the help says what the flag does.
	var h syncBuffer
	if code := run(context.Background(), []string{"sim", "--help"}, &streams{stdin: strings.NewReader(""), stdout: &h, stderr: &h,
		isTerminal: func() bool { return false }}); code != 0 || !strings.Contains(h.String(), "--variants") {
		t.Fatalf("sim --help: %d %q", code, h.String())
	}
	h = syncBuffer{}
	if code := run(context.Background(), []string{"asn", "--help"}, &streams{stdin: strings.NewReader(""), stdout: &h, stderr: &h,
		isTerminal: func() bool { return false }}); code != 0 || !strings.Contains(h.String(), "Usage: cftriage asn <number>") {
		t.Fatalf("asn --help: %d %q", code, h.String())
	}
}
