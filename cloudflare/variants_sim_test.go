package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/internal/contracttest"
)

// requestsOnly records the contract wrapper's reports so a test can hold
// the client's requests to the contract while the simulator serves
// answers outside it on purpose (its variant mode).
type requestsOnly struct {
	testing.TB
	mu      sync.Mutex
	reports []string
}

func (r *requestsOnly) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = append(r.reports, fmt.Sprintf(format, args...))
}

func (r *requestsOnly) Helper() {}

func (r *requestsOnly) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rep := range r.reports {
		if !strings.Contains(rep, "response violates") {
			t.Errorf("the client broke the contract: %s", rep)
		}
	}
}

// TestSimBothReadings runs the client against the simulator serving the
// contract's shapes and, with Variants, the docs' shapes: every call
// works on both, and both readings give the same answer where they carry
// the same facts. Without variants every exchange is validated; with
// them the client's requests still are (the answers are checked field by
// field in the simulator's TestContractVariants).
func TestSimBothReadings(t *testing.T) {
	type got struct {
		asnValue   string
		asn        ASNInfo
		pdns       PassiveDNS
		whois      Whois
		hist       []Categorization
		details    []string
		eventCount int
	}
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	read := func(t *testing.T, variants bool) got {
		s := sim.New(sim.Options{Variants: variants, Now: func() time.Time { return now }})
		var h http.Handler = s
		if variants {
			rec := &requestsOnly{TB: t}
			if _, found := contracttest.SpecPath(); found {
				h = contracttest.Wrap(rec, s)
			}
			t.Cleanup(func() { rec.check(t) })
		} else {
			h = contracttest.WrapIfAvailable(t, s)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		c := simClient(t, srv.URL+sim.BasePath, nil)
		var g got
		ips, _, err := c.IPOverview(ctx, sim.IPCleanCF)
		if err != nil || len(ips) != 1 || ips[0].BelongsTo == nil {
			t.Fatalf("IP overview %+v %v", ips, err)
		}
		g.asnValue = ips[0].BelongsTo.Value
		if g.asn, _, err = c.ASNOverview(ctx, 13335); err != nil {
			t.Fatalf("ASN overview: %v", err)
		}
		if other, _, err := c.ASNOverview(ctx, 64501); err != nil || other.ASN != 64501 {
			t.Fatalf("ASN overview of 64501 %+v %v", other, err)
		}
		if g.pdns, _, err = c.PassiveDNS(ctx, sim.IPParkingFarm, 2, 100); err != nil {
			t.Fatalf("passive DNS: %v", err)
		}
		if g.whois, _, err = c.Whois(ctx, sim.DomainNew); err != nil {
			t.Fatalf("WHOIS: %v", err)
		}
		hist, _, err := c.DomainHistory(ctx, sim.DomainC2)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history %+v %v", hist, err)
		}
		g.hist = hist[0].Categorizations
		rs, _, err := c.RiskScore(ctx, userID(t, c, sim.EmailIPv6Event))
		if err != nil {
			t.Fatalf("risk score: %v", err)
		}
		for _, ev := range rs.Events {
			g.details = append(g.details, fmt.Sprintf("%T", ev.Details))
		}
		g.eventCount = len(rs.Events)
		return g
	}
	contract, docs := read(t, false), read(t, true)

	if contract.asnValue != "13335" || docs.asnValue != "13335" {
		t.Errorf("belongs_to_ref.value %q / %q, want 13335 on both readings", contract.asnValue, docs.asnValue)
	}
	if contract.asn.ASN != 13335 || contract.asn.Description != "" || contract.asn.DomainCount != nil {
		t.Errorf("contract ASN overview %+v: just the number", contract.asn)
	}
	d := docs.asn
	if d.ASN != 13335 || d.Description != "CLOUDFLARENET" || d.Country != "US" || d.Type != "hosting_provider" ||
		d.DomainCount == nil || *d.DomainCount != 2 || strings.Join(d.TopDomains, " ") != sim.DomainPopular+" "+sim.DomainClean {
		t.Errorf("docs' ASN overview %+v", d)
	}

	if contract.pdns.Count != docs.pdns.Count || contract.pdns.Count < 250 || len(contract.pdns.ReverseRecords) != len(docs.pdns.ReverseRecords) {
		t.Errorf("passive DNS: count %d / %d, %d / %d records", contract.pdns.Count, docs.pdns.Count,
			len(contract.pdns.ReverseRecords), len(docs.pdns.ReverseRecords))
	}
	if contract.pdns.ResultInfo != nil || docs.pdns.ResultInfo == nil || docs.pdns.ResultInfo.TotalCount != docs.pdns.Count ||
		docs.pdns.ResultInfo.TotalPages != (docs.pdns.Count+99)/100 {
		t.Errorf("result_info: %+v / %+v", contract.pdns.ResultInfo, docs.pdns.ResultInfo)
	}
	sameDay := func(what, a, b string) {
		ta, oka := ParseTime(a)
		tb, okb := ParseTime(b)
		if !oka || !okb || ta.UTC().Format(time.DateOnly) != tb.UTC().Format(time.DateOnly) || a == b {
			t.Errorf("%s: %q and %q should be the same day in two formats", what, a, b)
		}
	}
	for i := range contract.pdns.ReverseRecords {
		c, v := contract.pdns.ReverseRecords[i], docs.pdns.ReverseRecords[i]
		sameDay("first_seen of "+c.Hostname, c.FirstSeen, v.FirstSeen)
		sameDay("last_seen of "+c.Hostname, c.LastSeen, v.LastSeen)
	}
	sameDay("WHOIS created", contract.whois.CreatedDate, docs.whois.CreatedDate)
	sameDay("WHOIS expires", contract.whois.ExpirationDate, docs.whois.ExpirationDate)
	if len(contract.hist) != len(docs.hist) || len(docs.hist) < 2 {
		t.Fatalf("history spans %d / %d", len(contract.hist), len(docs.hist))
	}
	for i := range contract.hist {
		sameDay(fmt.Sprintf("span %d start", i), contract.hist[i].Start, docs.hist[i].Start)
		last := i == len(docs.hist)-1
		if last && (docs.hist[i].End != "" || contract.hist[i].End == "") {
			t.Errorf("the current span ends %q / %q: the docs' reading has no end", contract.hist[i].End, docs.hist[i].End)
		}
		if !last {
			sameDay(fmt.Sprintf("span %d end", i), contract.hist[i].End, docs.hist[i].End)
		}
	}
	if fmt.Sprint(contract.details) != "[map[string]interface {} map[string]interface {}]" ||
		fmt.Sprint(docs.details) != "[[]interface {} string]" || contract.eventCount != docs.eventCount {
		t.Errorf("event_details kinds %v / %v", contract.details, docs.details)
	}
}
