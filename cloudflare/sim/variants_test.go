package sim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/internal/contracttest"
)

// recordingTB collects what the contract wrapper reports instead of
// failing the test, for answers that are outside the contract on purpose.
type recordingTB struct {
	testing.TB
	mu      sync.Mutex
	reports []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = append(r.reports, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reports
	r.reports = nil
	return out
}

// recordingServer serves s through the contract wrapper, recording its
// reports; it skips t without the contract.
func recordingServer(t *testing.T, s *sim.Sim) (string, *recordingTB) {
	t.Helper()
	contracttest.Load(t)
	rec := &recordingTB{TB: t}
	srv := httptest.NewServer(contracttest.Wrap(rec, s))
	t.Cleanup(srv.Close)
	return srv.URL + sim.BasePath, rec
}

// TestRateLimitBodyIsCloudflares: a 429, over the quota or injected,
// carries the body Cloudflare really sends (code 971).
func TestRateLimitBodyIsCloudflares(t *testing.T) {
	s := sim.New(sim.Options{RateQuota: 1})
	base := server(t, s, false)
	get(t, base, "/user/tokens/verify")
	for _, r := range []reply{get(t, base, "/user/tokens/verify"), func() reply {
		f := sim.New(sim.Options{})
		f.Inject(sim.Fault{Status: http.StatusTooManyRequests, Times: 1})
		return get(t, server(t, f, false), acct("/intel/asn/13335"))
	}()} {
		e := r.wantError(t, http.StatusTooManyRequests, 971)
		if e.Message != "Please wait and consider throttling your request speed" || r.header.Get("Retry-After") == "" {
			t.Errorf("429: %q, Retry-After %q", e.Message, r.header.Get("Retry-After"))
		}
	}
}

// TestContractRealRateLimitBody: code 971 is below the contract's
// minimum of 1000, so the real 429 body is outside the contract on
// purpose; that is its only violation.
func TestContractRealRateLimitBody(t *testing.T) {
	s := sim.New(sim.Options{})
	base, rec := recordingServer(t, s)
	s.Inject(sim.Fault{Op: sim.OpDomainHistory, Status: http.StatusTooManyRequests, Times: 1})
	get(t, base, acct("/intel/domain-history?domain=a.test")).wantError(t, http.StatusTooManyRequests, 971)
	reports := rec.take()
	if len(reports) != 1 {
		t.Fatalf("want one report, got %q", reports)
	}
	_, branch, found := strings.Cut(reports[0], "against the failure branch alone:")
	if !found || !strings.Contains(branch, `"/0/code": number must be at least 1000`) || len(pointers(branch)) != 2 {
		t.Fatalf("the 429 breaks the contract in more than its code:\n%s", reports[0])
	}
}

// TestPassiveDNSPageSizeHasNoInventedLimit: the API documents no maximum
// per_page, and the client asks for 1000.
func TestPassiveDNSPageSizeHasNoInventedLimit(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	var small pdnsPage
	get(t, base, acct("/intel/dns?ipv4="+sim.IPParkingFarm+"&per_page=20")).result(t, &small)
	for _, n := range []string{"1000", "1001", "5000"} {
		var p pdnsPage
		get(t, base, acct("/intel/dns?ipv4="+sim.IPParkingFarm+"&per_page="+n)).result(t, &p)
		if p.Count != small.Count || len(p.ReverseRecords) != small.Count || small.Count < 250 {
			t.Errorf("per_page=%s: %d of %d records", n, len(p.ReverseRecords), p.Count)
		}
	}
}

// raw decodes a success envelope's result (and result_info) as plain JSON.
func raw(t *testing.T, r reply) (any, map[string]any) {
	t.Helper()
	var e struct {
		Success    bool           `json:"success"`
		Result     any            `json:"result"`
		ResultInfo map[string]any `json:"result_info"`
	}
	if r.status != http.StatusOK || json.Unmarshal(r.body, &e) != nil || !e.Success {
		t.Fatalf("not a success: %d %s", r.status, r.body)
	}
	return e.Result, e.ResultInfo
}

var (
	reDate     = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)
	reDateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$`)
)

// TestVariantsServeTheDocsShapes: each place where the docs and SDKs
// differ from the contract, without and with Variants.
func TestVariantsServeTheDocsShapes(t *testing.T) {
	now := func() time.Time { return fixedNow }
	plain := server(t, sim.New(sim.Options{Now: now}), false)
	docs := server(t, sim.New(sim.Options{Now: now, Variants: true}), false)
	ip := acct("/intel/ip?ipv4=" + sim.IPCleanCF)
	value := func(base string) any {
		res, _ := raw(t, get(t, base, ip))
		return res.([]any)[0].(map[string]any)["belongs_to_ref"].(map[string]any)["value"]
	}
	if v := value(plain); v != "13335" {
		t.Errorf("belongs_to_ref.value %#v, want the string", v)
	}
	if v := value(docs); v != float64(13335) {
		t.Errorf("variant belongs_to_ref.value %#v, want the number", v)
	}

	if res, _ := raw(t, get(t, plain, acct("/intel/asn/13335"))); res != float64(13335) {
		t.Errorf("ASN overview %#v, want the integer", res)
	}
	// An ASN hosting dataset domains: the older SDK's array.
	res, _ := raw(t, get(t, docs, acct("/intel/asn/13335")))
	arr, isArr := res.([]any)
	if !isArr || len(arr) != 1 {
		t.Fatalf("variant ASN overview of 13335 %#v, want a one-element array", res)
	}
	a := arr[0].(map[string]any)
	if a["asn"] != float64(13335) || a["description"] != "CLOUDFLARENET" || a["country"] != "US" || a["type"] != "hosting_provider" ||
		a["domain_count"] != float64(2) || fmt.Sprint(a["top_domains"]) != "["+sim.DomainPopular+" "+sim.DomainClean+"]" {
		t.Errorf("variant ASN 13335: %#v", a)
	}
	if res, _ := raw(t, get(t, docs, acct("/intel/asn/64502"))); res.([]any)[0].(map[string]any)["domain_count"].(float64) < 250 ||
		len(res.([]any)[0].(map[string]any)["top_domains"].([]any)) != 10 {
		t.Errorf("variant ASN 64502 (the parking farm): %#v", res)
	}
	// One hosting none: the docs' object; an unknown one: just its number inside.
	if res, _ := raw(t, get(t, docs, acct("/intel/asn/64501"))); fmt.Sprint(res) != "map[asn:64501 country:DE description:EXAMPLE-TELECOM Residential Broadband type:isp]" {
		t.Errorf("variant ASN 64501: %#v", res)
	}
	if res, _ := raw(t, get(t, docs, acct("/intel/asn/65000"))); fmt.Sprint(res) != "map[asn:65000]" {
		t.Errorf("variant unknown ASN: %#v", res)
	}

	// Passive DNS: dates vs date-times; result_info beside count.
	pdns := acct("/intel/dns?ipv4=" + sim.IPParkingFarm + "&per_page=100&page=2")
	for _, tc := range []struct {
		base string
		re   *regexp.Regexp
		info bool
	}{{plain, reDate, false}, {docs, reDateTime, true}} {
		res, info := raw(t, get(t, tc.base, pdns))
		r := res.(map[string]any)
		recs := r["reverse_records"].([]any)
		for _, rec := range recs {
			m := rec.(map[string]any)
			if !tc.re.MatchString(m["first_seen"].(string)) || !tc.re.MatchString(m["last_seen"].(string)) {
				t.Fatalf("passive DNS dates %v, want %s", m, tc.re)
			}
		}
		count := r["count"].(float64)
		if (info != nil) != tc.info {
			t.Fatalf("result_info %v, want present: %v", info, tc.info)
		}
		if tc.info && (info["total_count"] != count || info["count"] != float64(len(recs)) || info["page"] != float64(2) ||
			info["per_page"] != float64(100) || info["total_pages"] != float64((int(count)+99)/100)) {
			t.Errorf("result_info %v beside count %v and %d records", info, count, len(recs))
		}
	}

	// WHOIS: date-times vs dates.
	for _, tc := range []struct {
		base string
		re   *regexp.Regexp
	}{{plain, reDateTime}, {docs, reDate}} {
		res, _ := raw(t, get(t, tc.base, acct("/intel/whois?domain="+sim.DomainNew)))
		w := res.(map[string]any)
		for _, k := range []string{"created_date", "updated_date", "expiration_date"} {
			if s, _ := w[k].(string); !tc.re.MatchString(s) {
				t.Errorf("WHOIS %s %q, want %s", k, s, tc.re)
			}
		}
	}

	// Category history: dates and a current end vs date-times and none.
	for _, tc := range []struct {
		base    string
		re      *regexp.Regexp
		openEnd bool
	}{{plain, reDate, false}, {docs, reDateTime, true}} {
		res, _ := raw(t, get(t, tc.base, acct("/intel/domain-history?domain="+sim.DomainC2)))
		spans := res.([]any)[0].(map[string]any)["categorizations"].([]any)
		for i, sp := range spans {
			m := sp.(map[string]any)
			end, hasEnd := m["end"]
			last := i == len(spans)-1
			if !tc.re.MatchString(m["start"].(string)) || (hasEnd && !tc.re.MatchString(end.(string))) || hasEnd == (last && tc.openEnd) {
				t.Errorf("span %d of %d: %v (want %s, open end %v)", i, len(spans), m, tc.re, last && tc.openEnd)
			}
		}
	}

	// Risk events: objects vs, for a few events, other JSON values.
	kinds := func(base, email string) string {
		res, _ := raw(t, get(t, base, acct("/zt_risk_scoring/"+userID(t, base, email))))
		var out []string
		for _, ev := range res.(map[string]any)["events"].([]any) {
			out = append(out, fmt.Sprintf("%T", ev.(map[string]any)["event_details"]))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ base, email, want string }{
		{plain, sim.EmailIPv6Event, "map[string]interface {} map[string]interface {}"},
		{docs, sim.EmailIPv6Event, "[]interface {} string"},
		{docs, sim.EmailTwoUsers, "map[string]interface {} float64"},
		{docs, sim.EmailFewEvents, strings.TrimSpace(strings.Repeat("map[string]interface {} ", 5))},
	} {
		if got := kinds(tc.base, tc.email); got != tc.want {
			t.Errorf("%s event_details kinds %q, want %q", tc.email, got, tc.want)
		}
	}
}

var rePointer = regexp.MustCompile(`Error at "([^"]*)"`)

func pointers(report string) []string {
	var out []string
	for _, m := range rePointer.FindAllStringSubmatch(report, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestContractVariants runs every operation against the simulator in
// variant mode through the contract. The docs' shapes that the contract
// does not allow are outside it on purpose — belongs_to_ref.value as a
// number, the ASN overview as an object or array, date-times where it
// says date and dates where it says date-time, event_details that are
// not objects — and those must be the only violations: result_info
// beside count and the current category span without end are within it,
// as is every other answer.
func TestContractVariants(t *testing.T) {
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }, Variants: true})
	base, rec := recordingServer(t, s)
	outside := map[string]*regexp.Regexp{ // path prefix → the fields allowed to deviate
		"/intel/ip?":             regexp.MustCompile(`^/result/\d+/belongs_to_ref/value$`),
		"/intel/asn/":            regexp.MustCompile(`^/result$`),
		"/intel/dns?":            regexp.MustCompile(`^/result/reverse_records/\d+/(first|last)_seen$`),
		"/intel/whois?":          regexp.MustCompile(`^/result/(created|updated|expiration)_date$`),
		"/intel/domain-history?": regexp.MustCompile(`^/result/\d+/categorizations/\d+/(start|end)$`),
		"/zt_risk_scoring/":      regexp.MustCompile(`^/result/events/\d+/event_details$`),
	}
	check := func(path string, mustDeviate bool) {
		t.Helper()
		r := get(t, base, path)
		if r.status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, r.status, r.body)
		}
		reports := rec.take()
		var allowed *regexp.Regexp
		for prefix, re := range outside {
			if strings.HasPrefix(strings.TrimPrefix(path, acct("")), prefix) && !strings.HasSuffix(path, "/subnets") && !strings.HasSuffix(path, "/summary") {
				allowed = re
			}
		}
		if mustDeviate && len(reports) == 0 {
			t.Errorf("GET %s: the variant answer validates; variant mode is not serving the docs' shape", path)
		}
		for _, rep := range reports {
			ps := pointers(rep)
			if allowed == nil || len(ps) == 0 || strings.Contains(rep, "request violates") {
				t.Errorf("GET %s breaks the contract where no variant should:\n%s", path, rep)
				continue
			}
			for _, p := range ps {
				if !allowed.MatchString(p) {
					t.Errorf("GET %s: %s is outside the contract, beyond the variant's fields:\n%s", path, p, rep)
				}
			}
		}
	}
	for _, p := range []string{"/accounts", "/user/tokens/verify", acct("/intel/domain?domain=" + sim.DomainPhishing),
		acct("/intel/domain/bulk?domain=" + sim.DomainClean + "&domain=" + sim.DomainC2), acct("/intel/asn/13335/subnets"),
		acct("/access/users?email=" + sim.EmailTwoUsers), acct("/zt_risk_scoring/summary"),
		acct("/intel/dns?ipv4=" + sim.IPResidential),                    // no records: only result_info differs
		acct("/zt_risk_scoring/" + userID(t, base, sim.EmailFewEvents)), // object details only
		acct("/intel/whois?domain=nobody-registered-this.test"),         // not found: no dates
	} {
		check(p, false)
	}
	rec.take() // userID's own lookups
	for _, p := range []string{acct("/intel/ip?ipv4=" + sim.IPRiskyC2), acct("/intel/ip?ipv6=" + url.QueryEscape(sim.IPv6Clean)),
		acct("/intel/asn/13335"), acct("/intel/asn/64501"), acct("/intel/asn/65000"),
		acct("/intel/dns?ipv4=" + sim.IPParkingFarm + "&per_page=1000"),
		acct("/intel/whois?domain=" + sim.DomainC2), acct("/intel/domain-history?domain=" + sim.DomainC2),
	} {
		check(p, true)
	}
	for _, email := range []string{sim.EmailIPv6Event, sim.EmailTwoUsers} {
		id := userID(t, base, email)
		rec.take()
		check(acct("/zt_risk_scoring/"+id), true)
	}
}
