package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

func pdnsOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	p, ok := m["passiveDNS"].(map[string]any)
	if !ok {
		t.Fatalf("passiveDNS = %#v", m["passiveDNS"])
	}
	return p
}

// TestIPJSONHasAllPassiveDNS: ip --json carries every passive-DNS record
// beside the connector's keys, 1,000 a request: 5,000 records and the
// overview in 6 requests (counted with --no-cache).
func TestIPJSONHasAllPassiveDNS(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "ip", sim.IPSharedHost, "--json", "--no-cache"))
	checkExchange(t, m)
	if _, ok := m["result"].([]any); !ok {
		t.Fatal("the connector's result is gone")
	}
	p := pdnsOf(t, m)
	recs := p["records"].([]any)
	if len(recs) != sim.SharedHostCount || p["count"] != float64(sim.SharedHostCount) || p["complete"] != true {
		t.Fatalf("passiveDNS: %d records, count %v, complete %v", len(recs), p["count"], p["complete"])
	}
	if h := recs[0].(map[string]any)["hostname"]; h == "" || h == nil {
		t.Errorf("record = %v", recs[0])
	}
	if n := f.sim.Total(); n > 6 {
		t.Errorf("%d requests, want ≤ 6", n)
	}

	// --no-pdns: no key, no request.
	f.sim.ResetCounts()
	m = decode(t, f.run(t, "", "ip", sim.IPSharedHost, "--json", "--no-pdns", "--no-cache"))
	if _, has := m["passiveDNS"]; has || f.sim.Count(sim.OpPassiveDNS) != 0 {
		t.Errorf("--no-pdns: passiveDNS %v, %d requests", m["passiveDNS"], f.sim.Count(sim.OpPassiveDNS))
	}

	// --pdns-max stops early and says the list is not complete.
	f.sim.ResetCounts()
	m = decode(t, f.run(t, "", "ip", sim.IPSharedHost, "--json", "--pdns-max", "1000", "--no-cache"))
	p = pdnsOf(t, m)
	if len(p["records"].([]any)) != 1000 || p["complete"] != false || p["count"] != float64(sim.SharedHostCount) || f.sim.Count(sim.OpPassiveDNS) != 1 {
		t.Errorf("--pdns-max 1000: %d records, complete %v, count %v, %d requests", len(p["records"].([]any)), p["complete"], p["count"], f.sim.Count(sim.OpPassiveDNS))
	}

	// IPv6 says why there is none.
	m = decode(t, f.run(t, "", "ip", sim.IPv6Risky, "--json", "--no-cache"))
	if p := pdnsOf(t, m); !strings.Contains(fmt.Sprint(p["skipped"]), "IPv4 only") {
		t.Errorf("IPv6 passiveDNS = %v", p)
	}
}

// TestIPHumanPassiveDNSSaysWhatIsLeftOut: the human output lists every
// record read, and when --pdns-max stops it, how many were left out and
// how to get them.
func TestIPHumanPassiveDNSSaysWhatIsLeftOut(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "ip", sim.IPParkingFarm)
	if r.code != 0 || !strings.Contains(r.stdout, "passive DNS: 275 hostname(s) in the last 30 days") {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	if n := strings.Count(r.stdout, ".example  ("); n != 275 {
		t.Errorf("%d hostnames listed, want 275", n)
	}
	if strings.Contains(r.stdout, "not read") {
		t.Error("a complete list says records were left out")
	}
	r = f.run(t, "", "ip", sim.IPParkingFarm, "--pdns-max", "100")
	if n := strings.Count(r.stdout, ".example  ("); n != 100 {
		t.Errorf("--pdns-max 100: %d hostnames listed", n)
	}
	if !strings.Contains(r.stdout, "… 175 more not read (--pdns-max 100): --pdns-max 0 reads them all") {
		t.Errorf("--pdns-max 100 does not say what is left out:\n%s", r.stdout)
	}
	for _, bad := range [][]string{{"--pdns-max", "-1"}, {"--since", "2026-02-30"}, {"--since", "2d", "--until", "5d"}, {"--until", "tomorrow"}} {
		f.sim.ResetCounts()
		args := append([]string{"ip", sim.IPParkingFarm}, bad...)
		if r := f.run(t, "", args...); r.code != ExitUsage || f.sim.Total() != 0 {
			t.Errorf("%q: exit %d, %d requests, %q", bad, r.code, f.sim.Total(), r.stderr)
		}
	}
	// A window on an IPv6 address, or with --no-pdns, is a usage error.
	for _, args := range [][]string{{"ip", sim.IPv6Risky, "--since", "90d"}, {"ip", sim.IPRiskyC2, "--no-pdns", "--until", "2026-01-01"}} {
		if r := f.run(t, "", args...); r.code != ExitUsage || !strings.Contains(r.stderr, "passive DNS") {
			t.Errorf("%q: exit %d %q", args, r.code, r.stderr)
		}
	}
}

// TestIPSinceUntil: the window reaches the API and the output says it.
func TestIPSinceUntil(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "ip", sim.IPParkingFarm, "--json", "--since", "2020-01-01"))
	p := pdnsOf(t, m)
	if p["start"] != "2020-01-01" || p["end"] != nil || len(p["records"].([]any)) <= 275 {
		t.Fatalf("--since 2020-01-01: start %v end %v, %d records", p["start"], p["end"], len(p["records"].([]any)))
	}
	until := time.Now().UTC().AddDate(0, 0, -40).Format(time.DateOnly)
	r := f.run(t, "", "ip", sim.IPParkingFarm, "--since", "2020-01-01", "--until", "40d")
	if r.code != 0 || !strings.Contains(r.stdout, "in 2020-01-01 .. "+until) {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	if n := strings.Count(r.stdout, ".example  ("); n == 0 || n >= 275 {
		t.Errorf("%d hostnames in an old window", n)
	}
}

// TestPrivateAddressesAreSaidToBeUnknowable: "no known risk" on a private
// or loopback address is not a verdict, and the output says why.
func TestPrivateAddressesAreSaidToBeUnknowable(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct{ ip, kind string }{{"10.0.0.1", "private"}, {"::1", "loopback"}, {"100.64.1.2", "CGNAT"}, {"169.254.0.9", "link-local"}, {"224.0.0.1", "multicast"}} {
		r := f.run(t, "", "ip", tc.ip)
		if r.code != 0 || !strings.Contains(r.stdout, tc.ip+" is a "+tc.kind+" address") || !strings.Contains(r.stdout, "Cloudflare's intel cannot know it") {
			t.Errorf("%s: exit %d:\n%s", tc.ip, r.code, r.stdout)
		}
		m := decode(t, f.run(t, "", "ip", tc.ip, "--json"))
		if sp, ok := m["specialAddress"].(map[string]any); !ok || sp["kind"] != tc.kind {
			t.Errorf("%s --json: specialAddress = %v", tc.ip, m["specialAddress"])
		}
	}
	r := f.run(t, "", "ip", sim.IPRiskyC2)
	if strings.Contains(r.stdout, "cannot know") {
		t.Errorf("a public address got the note:\n%s", r.stdout)
	}
	if m := decode(t, f.run(t, "", "ip", sim.IPRiskyC2, "--json")); m["specialAddress"] != nil {
		t.Errorf("a public address: specialAddress = %v", m["specialAddress"])
	}
}

// TestDomainTakesTheHostOfAURL: domain accepts a URL as the console does
// and says that it looked up the host.
func TestDomainTakesTheHostOfAURL(t *testing.T) {
	f := newFixture(t, sim.Options{})
	url := "hxxps://" + strings.Replace(sim.DomainPhishing, ".", "[.]", 1) + "/owa/auth?x=1"
	r := f.run(t, "", "domain", url)
	if r.code != 0 || !strings.HasPrefix(r.stdout, sim.DomainPhishing+"\n") || !strings.Contains(r.stderr, "host of the URL") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	m := decode(t, f.run(t, "", "domain", url, "--json"))
	if m["url"] != "https://"+sim.DomainPhishing+"/owa/auth?x=1" || m["result"].(map[string]any)["domain"] != sim.DomainPhishing {
		t.Errorf("url %v, result.domain %v", m["url"], m["result"].(map[string]any)["domain"])
	}
	if _, ok := m["whois"]; !ok {
		t.Error("--json has no whois key")
	}
	// A URL whose host is an IP address is not a domain.
	f.sim.ResetCounts()
	if r := f.run(t, "", "domain", "https://203.0.113.66/x"); r.code != ExitUsage || !strings.Contains(r.stderr, "IP") || f.sim.Total() != 0 {
		t.Errorf("URL with an IP host: exit %d %q", r.code, r.stderr)
	}
}

// TestDomainShowsUnicodeAndLookalikes: an IDN is shown in Unicode beside
// its punycode, and a label mixing scripts is flagged.
func TestDomainShowsUnicodeAndLookalikes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "domain", "xn--pypal-4ve.example")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "xn--pypal-4ve.example (pаypal.example)\n") || !strings.Contains(r.stdout, "mixes Cyrillic and Latin") {
		t.Fatalf("exit %d:\n%s", r.code, r.stdout)
	}
	// Typed in Unicode, the name is looked up in punycode.
	m := decode(t, f.run(t, "", "domain", "пример.рф", "--json"))
	idn, ok := m["idn"].(map[string]any)
	if !ok || idn["unicode"] != "пример.рф" || len(idn["warnings"].([]any)) != 0 || m["result"].(map[string]any)["domain"] != "xn--e1afmkfd.xn--p1ai" {
		t.Errorf("idn = %v, result.domain %v", m["idn"], m["result"].(map[string]any)["domain"])
	}
	if m := decode(t, f.run(t, "", "domain", sim.DomainClean, "--json")); m["idn"] != nil {
		t.Errorf("an ASCII name has idn %v", m["idn"])
	}
}

// TestLookupDetectsTheKind: lookup runs the command the search box would.
func TestLookupDetectsTheKind(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct {
		in, key, note string
	}{
		{"203.0.113[.]66", "riskFound", "IP address 203.0.113.66"},
		{"CDN-UPDATE[.]test", "contentCategories", "domain cdn-update.test"},
		{"hxxps://cdn-update[.]test/gate.php", "contentCategories", "host of the URL"},
		{"bob.martin[@]acme-corp.example", "riskEvents", "email address bob.martin@acme-corp.example"},
		{"AS13335", "subnets", "ASN 13335"},
		{"http://203.0.113.66:8080/gate", "riskFound", "IP address 203.0.113.66 (the host of the URL http://203.0.113.66:8080/gate)"},
	} {
		r := f.run(t, "", "lookup", tc.in, "--json")
		m := decode(t, r)
		if _, ok := m[tc.key]; !ok || !strings.Contains(r.stderr, tc.note) {
			t.Errorf("%s: no %s in the output, or stderr %q lacks %q", tc.in, tc.key, r.stderr, tc.note)
		}
	}
	// Flags of one kind refuse another kind, before any request.
	f.sim.ResetCounts()
	for _, args := range [][]string{{"lookup", sim.DomainC2, "--since", "90d"}, {"lookup", sim.IPRiskyC2, "--user-id", "x"}, {"lookup", "13335", "--no-pdns"}, {"lookup", "not an indicator"}} {
		if r := f.run(t, "", args...); r.code != ExitUsage {
			t.Errorf("%q: exit %d %q", args, r.code, r.stderr)
		}
	}
	if f.sim.Total() != 0 {
		t.Errorf("%d requests for refused lookups", f.sim.Total())
	}
	r := f.run(t, "", "lookup", sim.IPParkingFarm, "--pdns-max", "10")
	if r.code != 0 || strings.Count(r.stdout, ".example  (") != 10 {
		t.Errorf("ip flags through lookup: exit %d:\n%s", r.code, r.stdout)
	}
}
