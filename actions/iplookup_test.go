package actions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/indicator"
	"cftriage/internal/contracttest"
)

// simFixture is the simulator behind the contract check, with the
// queries of every passive-DNS request it saw.
type simFixture struct {
	sim    *sim.Sim
	client *cloudflare.Client
	mu     sync.Mutex
	pdnsQ  []string
}

func newSimFixture(t *testing.T, opts ...sim.Options) *simFixture {
	t.Helper()
	var o sim.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	f := &simFixture{sim: sim.New(o)}
	var h http.Handler = f.sim
	if !o.Variants {
		// The docs' shapes differ from the contract on purpose.
		h = contracttest.WrapIfAvailable(t, f.sim)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/intel/dns") {
			f.mu.Lock()
			f.pdnsQ = append(f.pdnsQ, r.URL.RawQuery)
			f.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken,
		AccountID: sim.DemoAccountID, Timeout: 5 * time.Second, BackoffBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	return f
}

func (f *simFixture) queries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.pdnsQ...)
}

// TestPassiveDNSAllReadsEveryPageAtAThousand: 5,000 records come in five
// passive-DNS requests of 1,000 (six with the overview), not 51 of 100.
func TestPassiveDNSAllReadsEveryPageAtAThousand(t *testing.T) {
	for _, variants := range []bool{false, true} {
		t.Run(fmt.Sprintf("variants=%v", variants), func(t *testing.T) {
			passiveDNSAllAtAThousand(t, newSimFixture(t, sim.Options{Variants: variants}))
		})
	}
}

func passiveDNSAllAtAThousand(t *testing.T, f *simFixture) {
	res, err := LookupIP(context.Background(), f.client, IPRequest{Addr: netip.MustParseAddr(sim.IPSharedHost)})
	if err != nil {
		t.Fatal(err)
	}
	p := res.PDNS
	if p == nil || len(p.Records) != sim.SharedHostCount || !p.Complete() || p.Total != sim.SharedHostCount {
		t.Fatalf("passive DNS: %+v", summary(p))
	}
	if total := f.sim.Total(); total > 6 {
		t.Errorf("%d requests for the overview and %d records, want ≤ 6", total, sim.SharedHostCount)
	}
	for _, q := range f.queries() {
		if !strings.Contains(q, "per_page=1000") {
			t.Errorf("passive DNS asked %q, want per_page=1000", q)
		}
	}
	seen := map[string]bool{}
	for _, r := range p.Records {
		if seen[r.Hostname] {
			t.Fatalf("%s read twice", r.Hostname)
		}
		seen[r.Hostname] = true
	}
}

func summary(p *PDNS) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%d records of %d, %d pages, limited %v, err %v", len(p.Records), p.Total, p.Pages, p.Limited, p.Err)
}

// TestPassiveDNSLimitSaysWhatIsMissing: a maximum stops the paging and
// the part says how many the API has beyond it.
func TestPassiveDNSLimitSaysWhatIsMissing(t *testing.T) {
	f := newSimFixture(t)
	p := PassiveDNSAll(context.Background(), f.client, netip.MustParseAddr(sim.IPSharedHost), PDNSWindow{}, 1500)
	if len(p.Records) != 1500 || !p.Limited || p.Complete() || p.Missing() != sim.SharedHostCount-1500 || p.Pages != 2 {
		t.Fatalf("limit 1500: %s, missing %d", summary(&p), p.Missing())
	}
	// A limit the API does not reach is no limit.
	p = PassiveDNSAll(context.Background(), f.client, netip.MustParseAddr(sim.IPParkingFarm), PDNSWindow{}, 5000)
	if !p.Complete() || len(p.Records) != p.Total || p.Pages != 1 {
		t.Fatalf("parking farm: %s", summary(&p))
	}
}

// TestPassiveDNSWindowIsSentAsStartAndEnd: --since/--until reach the API
// as the contract's start and end dates, and select other records.
func TestPassiveDNSWindowIsSentAsStartAndEnd(t *testing.T) {
	f := newSimFixture(t)
	ip := netip.MustParseAddr(sim.IPParkingFarm)
	def := PassiveDNSAll(context.Background(), f.client, ip, PDNSWindow{}, 0)
	since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	wide := PassiveDNSAll(context.Background(), f.client, ip, PDNSWindow{Since: since}, 0)
	if def.Err != nil || wide.Err != nil || len(wide.Records) <= len(def.Records) {
		t.Fatalf("default %s; since 2020 %s", summary(&def), summary(&wide))
	}
	until := time.Now().UTC().AddDate(0, 0, -100)
	old := PassiveDNSAll(context.Background(), f.client, ip, PDNSWindow{Since: since, Until: until}, 0)
	if old.Err != nil || len(old.Records) == 0 || len(old.Records) >= len(wide.Records) {
		t.Fatalf("2020 .. 100 days ago: %s", summary(&old))
	}
	q := f.queries()
	if strings.Contains(q[0], "start=") || strings.Contains(q[0], "end=") {
		t.Errorf("the default window sent %q", q[0])
	}
	if !strings.Contains(q[1], "start=2020-01-01") || strings.Contains(q[1], "end=") {
		t.Errorf("since only sent %q", q[1])
	}
	if !strings.Contains(q[2], "start=2020-01-01") || !strings.Contains(q[2], "end="+until.Format(time.DateOnly)) {
		t.Errorf("since and until sent %q", q[2])
	}
}

// TestPassiveDNSFailedPageKeepsWhatWasRead: a page that fails leaves the
// records before it and a typed error; the overview still stands.
func TestPassiveDNSFailedPageKeepsWhatWasRead(t *testing.T) {
	f := newSimFixture(t)
	f.sim.Inject(sim.Fault{Op: sim.OpPassiveDNS, After: 1, Status: 403})
	res, err := LookupIP(context.Background(), f.client, IPRequest{Addr: netip.MustParseAddr(sim.IPSharedHost)})
	if err != nil {
		t.Fatal(err)
	}
	p := res.PDNS
	var ce *cloudflare.Error
	if len(p.Records) != PDNSPerPage || !errors.As(p.Err, &ce) || ce.Kind != cloudflare.KindPermission || p.Complete() {
		t.Fatalf("after a failed second page: %s", summary(p))
	}
	if len(res.Overview.Infos) == 0 {
		t.Fatal("the overview was lost")
	}
}

// TestLookupIPParts: IPv6 has no passive DNS and says why; NoPDNS reads
// none; a failed overview fails the lookup and reads nothing more.
func TestLookupIPParts(t *testing.T) {
	f := newSimFixture(t)
	ctx := context.Background()
	res, err := LookupIP(ctx, f.client, IPRequest{Addr: netip.MustParseAddr(sim.IPv6Risky)})
	if err != nil || res.PDNS != nil || res.PDNSSkipped != PDNSIPv4Only {
		t.Fatalf("IPv6: %v %+v", err, res)
	}
	res, err = LookupIP(ctx, f.client, IPRequest{Addr: netip.MustParseAddr(sim.IPRiskyC2), NoPDNS: true})
	if err != nil || res.PDNS != nil || res.PDNSSkipped != "" {
		t.Fatalf("NoPDNS: %v %+v", err, res)
	}
	if n := f.sim.Count(sim.OpPassiveDNS); n != 0 {
		t.Fatalf("%d passive DNS requests", n)
	}
	f.sim.Inject(sim.Fault{Op: sim.OpIPOverview, Status: 403})
	_, err = LookupIP(ctx, f.client, IPRequest{Addr: netip.MustParseAddr(sim.IPRiskyC2)})
	var ce *cloudflare.Error
	if !errors.As(err, &ce) || ce.Kind != cloudflare.KindPermission || f.sim.Count(sim.OpPassiveDNS) != 0 {
		t.Fatalf("failed overview: %v, %d passive DNS requests", err, f.sim.Count(sim.OpPassiveDNS))
	}
	// A window for an IPv6 address or with NoPDNS is refused unsent.
	f.sim.ClearFaults()
	before := f.sim.Total()
	w := PDNSWindow{Since: time.Now().AddDate(0, 0, -90)}
	for _, r := range []IPRequest{{Addr: netip.MustParseAddr(sim.IPv6Risky), Window: w}, {Addr: netip.MustParseAddr(sim.IPRiskyC2), Window: w, NoPDNS: true}} {
		var ie *indicator.InputError
		if _, err := LookupIP(ctx, f.client, r); !errors.As(err, &ie) {
			t.Errorf("%+v: %v, want an input error", r, err)
		}
	}
	if f.sim.Total() != before {
		t.Fatal("a refused window sent requests")
	}
}

// TestPassiveDNSPageFollowsTheServersPageSize: a server that caps the
// page below 1,000 is still read to the end; a page that repeats stops.
func TestPassiveDNSPageFollowsTheServersPageSize(t *testing.T) {
	const total, cap = 250, 100
	var repeat bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if repeat {
			page = 1
		}
		var recs []cloudflare.ReverseRecord
		for i := (page - 1) * cap; i < min(page*cap, total); i++ {
			recs = append(recs, cloudflare.ReverseRecord{Hostname: fmt.Sprintf("h%d.example", i), FirstSeen: "2026-01-01", LastSeen: "2026-01-02"})
		}
		if recs == nil {
			recs = []cloudflare.ReverseRecord{}
		}
		b, _ := json.Marshal(map[string]any{"success": true, "errors": []any{}, "messages": []any{},
			"result": map[string]any{"count": total, "page": page, "per_page": cap, "reverse_records": recs}})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL, Token: "t", AccountID: sim.DemoAccountID, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := PassiveDNSAll(context.Background(), c, netip.MustParseAddr("198.51.100.7"), PDNSWindow{}, 0)
	if len(p.Records) != total || p.Pages != 3 || !p.Complete() {
		t.Fatalf("capped server: %s", summary(&p))
	}
	repeat = true
	p = PassiveDNSAll(context.Background(), c, netip.MustParseAddr("198.51.100.7"), PDNSWindow{}, 0)
	if !errors.Is(p.Err, errRepeatedPage) || len(p.Records) != cap {
		t.Fatalf("repeating server: %s", summary(&p))
	}
}

func TestParsePDNSWindow(t *testing.T) {
	now := time.Date(2026, 11, 29, 15, 4, 5, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, tc := range []struct {
		since, until string
		want         PDNSWindow
	}{
		{"", "", PDNSWindow{}},
		{"2026-01-31", "", PDNSWindow{Since: day("2026-01-31")}},
		{"90d", "", PDNSWindow{Since: day("2026-08-31")}},
		{"2025-01-01", "7D", PDNSWindow{Since: day("2025-01-01"), Until: day("2026-11-22")}},
		{"", "2026-06-01", PDNSWindow{Until: day("2026-06-01")}},
		{"2026-11-29", "2026-11-29", PDNSWindow{Since: day("2026-11-29"), Until: day("2026-11-29")}},
	} {
		got, err := ParsePDNSWindow(tc.since, tc.until, now)
		if err != nil || got != tc.want {
			t.Errorf("%q %q: %v %v, want %v", tc.since, tc.until, got, err, tc.want)
		}
	}
	for _, tc := range [][2]string{{"yesterday", ""}, {"2026-13-01", ""}, {"", "2026/01/01"}, {"-5d", ""},
		{"2026-11-30", ""}, {"2026-06-02", "2026-06-01"}, {"2026-01-01T00:00:00Z", ""}} {
		_, err := ParsePDNSWindow(tc[0], tc[1], now)
		var ie *indicator.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%q %q: %v, want an input error", tc[0], tc[1], err)
		}
	}
}

func TestSpecialPurpose(t *testing.T) {
	for _, tc := range []struct{ ip, kind string }{
		{"10.0.0.1", "private"}, {"172.31.255.255", "private"}, {"192.168.1.1", "private"},
		{"127.0.0.1", "loopback"}, {"::1", "loopback"}, {"169.254.10.1", "link-local"}, {"fe80::1", "link-local"},
		{"100.64.0.1", "CGNAT"}, {"100.127.255.255", "CGNAT"}, {"224.0.0.251", "multicast"}, {"ff02::1", "multicast"},
		{"fd00::1", "private"}, {"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"255.255.255.255", "broadcast"},
		{"::ffff:10.1.2.3", "private"},
		{"172.32.0.1", ""}, {"100.128.0.1", ""}, {"8.8.8.8", ""}, {"192.0.2.10", ""}, {"2001:db8::1", ""}, {"1.1.1.1", ""},
	} {
		sp, ok := SpecialPurpose(netip.MustParseAddr(tc.ip))
		if ok != (tc.kind != "") || sp.Kind != tc.kind {
			t.Errorf("%s: %q %v, want %q", tc.ip, sp.Kind, ok, tc.kind)
		}
		if ok && !strings.Contains(sp.Note(), "Cloudflare's intel cannot know it") {
			t.Errorf("%s: note %q", tc.ip, sp.Note())
		}
	}
}

// TestTriageJudgesSpecialAddressesByTheSameRule: bulk triage calls a
// CGNAT or broadcast address unknown, as the IP lookup notes it.
func TestTriageJudgesSpecialAddressesByTheSameRule(t *testing.T) {
	f := newSimFixture(t)
	x := extract(t, "100.64.1.2 255.255.255.255 "+sim.IPCleanCF)
	sum := Triage(context.Background(), f.client, x.Found, TriageOptions{}, func(TriageRecord) {}, func(TriageProgress) {})
	got := byIndicator(sum.Records)
	for k, v := range map[string]string{"ip:100.64.1.2": VerdictUnknown, "ip:255.255.255.255": VerdictUnknown, "ip:" + sim.IPCleanCF: VerdictClean} {
		if got[k].Verdict != v {
			t.Errorf("%s: verdict %q, want %q", k, got[k].Verdict, v)
		}
	}
}
