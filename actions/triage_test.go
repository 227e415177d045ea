package actions

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/indicator"
)

const (
	opIPOverview = "ip-intelligence-get-ip-overview"
	opBulk       = "domain-intelligence-get-multiple-domain-details"
)

func extract(t *testing.T, text string) indicator.Extraction {
	t.Helper()
	x, err := indicator.Extract(text)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

var triageText = strings.Join([]string{
	sim.IPRiskyC2, sim.IPCleanCF, sim.IPParkingFarm, "10.1.2.3",
	sim.DomainPhishing, sim.DomainClean, sim.DomainMalware, sim.DomainNew, sim.DomainParked, sim.DomainPopular,
	sim.DomainDGA, "nobody-knows-this.example", sim.EmailFewEvents, sim.EmailNoEvents, "nobody@acme-corp.example", "AS64500",
}, "\n")

func byIndicator(recs []TriageRecord) map[string]TriageRecord {
	m := map[string]TriageRecord{}
	for _, r := range recs {
		m[r.Kind+":"+r.Indicator] = r
	}
	return m
}

func TestTriageVerdictsAndBulkDomains(t *testing.T) {
	f := newFixture(t, 5*time.Second)
	x := extract(t, triageText)
	var mu sync.Mutex
	var seen []string
	var last TriageProgress
	sum := Triage(context.Background(), f.client, x.Found, TriageOptions{},
		func(r TriageRecord) { mu.Lock(); seen = append(seen, r.Indicator); mu.Unlock() },
		func(p TriageProgress) { mu.Lock(); last = p; mu.Unlock() })
	if len(sum.Records) != len(x.Found) || len(seen) != len(x.Found) || sum.Canceled {
		t.Fatalf("%d records, %d seen, for %d indicators (canceled %v)", len(sum.Records), len(seen), len(x.Found), sum.Canceled)
	}
	if last.Done != len(x.Found) || last.Total != len(x.Found) {
		t.Fatalf("last progress %+v", last)
	}
	got := byIndicator(sum.Records)
	want := map[string]string{
		"ip:" + sim.IPRiskyC2: VerdictRisky, "ip:" + sim.IPCleanCF: VerdictClean, "ip:10.1.2.3": VerdictUnknown,
		"domain:" + sim.DomainPhishing: VerdictRisky, "domain:" + sim.DomainClean: VerdictClean,
		"email:" + sim.EmailFewEvents: VerdictRisky, "email:nobody@acme-corp.example": VerdictUnknown,
		"asn:64500": VerdictUnknown,
	}
	for k, v := range want {
		if got[k].Verdict != v {
			t.Errorf("%s: verdict %q (%+v), want %q", k, got[k].Verdict, got[k], v)
		}
	}
	if r := got["ip:"+sim.IPRiskyC2]; r.ASN == "" || len(r.RiskTypes) == 0 {
		t.Errorf("risky IP record lacks ASN or risk types: %+v", r)
	}
	if r := got["email:"+sim.EmailFewEvents]; r.RiskLevel != "high" {
		t.Errorf("bob's record %+v", r)
	}
	// Eight domains in bulk batches of 10: one request, not eight.
	if n := f.sim.Count(opBulk); n != 1 {
		t.Errorf("bulk domain requests %d, want 1", n)
	}
	if n := f.sim.Count("domain-intelligence-get-domain-details"); n != 0 {
		t.Errorf("%d single-domain requests in a triage run", n)
	}
	if sum.Requests >= len(x.Found) || sum.Requests != f.sim.Total() {
		t.Errorf("requests counted %d, sim saw %d, for %d indicators", sum.Requests, f.sim.Total(), len(x.Found))
	}
}

// A 429 longer than the client waits for itself (MaxRetryWait) pauses the
// whole run, which then goes on with the same lookup.
func TestTriagePausesOnA429FromElsewhere(t *testing.T) {
	f := newFixture(t, 5*time.Second)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: f.client.BaseURL(), Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond, MaxRetryWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	f.sim.Inject(sim.Fault{Op: opIPOverview, Status: 429, RetryAfter: 1, Times: 1})
	x := extract(t, sim.IPRiskyC2+" "+sim.IPCleanCF+" "+sim.IPParkingFarm)
	var paused bool
	var mu sync.Mutex
	sum := Triage(context.Background(), f.client, x.Found, TriageOptions{InFlight: 1}, nil, func(p TriageProgress) {
		mu.Lock()
		if !p.PausedUntil.IsZero() {
			paused = true
		}
		mu.Unlock()
	})
	if len(sum.Records) != 3 || sum.Failed() != 0 {
		t.Fatalf("after a 429: %+v", sum.Records)
	}
	if !paused {
		t.Fatal("the run never said it paused")
	}
	if n := f.sim.Count(opIPOverview); n != 4 {
		t.Fatalf("IP overview requests %d, want 4 (three and the one the 429 refused)", n)
	}
}

func TestTriageCancelKeepsWhatIsDone(t *testing.T) {
	f := newFixture(t, 30*time.Second)
	x := extract(t, sim.IPRiskyC2+" "+sim.IPCleanCF+" "+sim.IPParkingFarm+" "+sim.IPResidential)
	f.sim.Inject(sim.Fault{Op: opIPOverview, After: 2, Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	n := 0
	sum := Triage(ctx, f.client, x.Found, TriageOptions{InFlight: 1}, func(TriageRecord) {
		mu.Lock()
		n++
		if n == 2 {
			go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		}
		mu.Unlock()
	}, nil)
	if !sum.Canceled || len(sum.Records) != 2 {
		t.Fatalf("canceled %v with %d records, want 2 kept", sum.Canceled, len(sum.Records))
	}
	for _, r := range sum.Records {
		if r.Verdict == VerdictError {
			t.Fatalf("a canceled lookup became an error record: %+v", r)
		}
	}
}

func TestTriageExportsParseBack(t *testing.T) {
	f := newFixture(t, 5*time.Second)
	x := extract(t, triageText)
	sum := Triage(context.Background(), f.client, x.Found, TriageOptions{}, nil, nil)
	rep := NewTriageReport(sum, x, time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC))
	if rep.Results[0].Verdict != VerdictRisky {
		t.Fatalf("not most severe first: %+v", rep.Results[0])
	}

	var b bytes.Buffer
	if err := WriteTriage(&b, "csv", rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(TriageColumns, ",") || len(rows) != len(rep.Results)+1 {
		t.Fatalf("csv header %v, %d rows", rows[0], len(rows))
	}

	b.Reset()
	if err := WriteTriage(&b, "json", rep); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Results) != len(rep.Results) {
		t.Fatalf("json: %v, %d results", err, len(back.Results))
	}
	for _, k := range TriageColumns {
		if _, ok := back.Results[0][k]; !ok {
			t.Errorf("json record lacks %q: %v", k, back.Results[0])
		}
	}

	b.Reset()
	if err := WriteTriage(&b, "ndjson", rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(rep.Results) {
		t.Fatalf("ndjson: %d lines for %d results", len(lines), len(rep.Results))
	}
	for _, l := range lines {
		var r TriageRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Indicator == "" {
			t.Fatalf("ndjson line %q: %v", l, err)
		}
	}

	b.Reset()
	if err := WriteTriage(&b, "md", rep); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if strings.Contains(md, sim.DomainPhishing) || !strings.Contains(md, `login-micros0ft-support\[.\]example`) {
		t.Fatalf("markdown not defanged:\n%s", md)
	}
	if !strings.Contains(md, "| Indicator | Kind | Verdict |") || !strings.Contains(md, "**risky**") {
		t.Fatalf("markdown table:\n%s", md)
	}
	// What the Markdown shows reads back as the same indicators.
	un := strings.NewReplacer(`\[`, "[", `\]`, "]", `\_`, "_").Replace(md)
	again := extract(t, un)
	for _, fd := range x.Found {
		if fd.Type == indicator.TypeASN {
			continue
		}
		found := false
		for _, g := range again.Found {
			if g.Type == fd.Type && g.Value == fd.Value {
				found = true
			}
		}
		if !found {
			t.Errorf("%s:%s does not read back from the Markdown", fd.Type, fd.Value)
		}
	}
}

// A second run of the same input is answered from the cache: 0 requests,
// every record marked cached.
func TestTriageSecondRunCostsNothing(t *testing.T) {
	f := newMemFixture(t)
	s := f.session(t, CachePolicy{})
	x := extract(t, triageText)
	first := Triage(context.Background(), s.Client, x.Found, TriageOptions{}, nil, nil)
	if first.Requests == 0 {
		t.Fatal("the first run sent nothing")
	}
	before := f.sim.Total()
	// A new "process": a new session and client on the same database.
	s2 := f.session(t, CachePolicy{})
	second := Triage(context.Background(), s2.Client, x.Found, TriageOptions{}, nil, nil)
	if n := f.sim.Total() - before; n != 0 || second.Requests != 0 {
		t.Fatalf("the second run sent %d requests (counted %d), want 0", n, second.Requests)
	}
	for _, r := range second.Records {
		if !r.Cached && (r.Kind == "ip" || r.Kind == "domain" || r.Kind == "email") {
			t.Errorf("%s %s not marked cached", r.Kind, r.Indicator)
		}
	}
}
