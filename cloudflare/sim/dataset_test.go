package sim_test

import (
	"encoding/json"
	"net/netip"
	"net/url"
	"strconv"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// TestPivotsLeadSomewhere follows the links of the dataset both ways:
// domain → IPs → ASN → subnets containing the IP, and IP → passive DNS →
// the domain; names in risk events are known to the intel endpoints.
func TestPivotsLeadSomewhere(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	for _, dom := range []string{sim.DomainPhishing, sim.DomainC2, sim.DomainMalware, sim.DomainDGA, sim.DomainNew, sim.DomainParked, sim.DomainClean, sim.DomainPopular} {
		var d domainResult
		get(t, base, acct("/intel/domain?domain="+dom)).result(t, &d)
		if d.ResolvesToRefs == nil || len(*d.ResolvesToRefs) == 0 {
			t.Errorf("%s resolves to nothing", dom)
			continue
		}
		for _, ref := range *d.ResolvesToRefs {
			addr := netip.MustParseAddr(ref.Value)
			param := "ipv4"
			if addr.Is6() {
				param = "ipv6"
			}
			var ips []ipResult
			get(t, base, acct("/intel/ip?"+param+"="+url.QueryEscape(ref.Value))).result(t, &ips)
			asn := ips[0].BelongsToRef.Value
			if _, err := strconv.Atoi(asn); err != nil {
				t.Errorf("%s: ASN %q", ref.Value, asn)
				continue
			}
			var sub struct{ Subnets []string }
			r := get(t, base, acct("/intel/asn/"+asn+"/subnets"))
			if err := json.Unmarshal(r.body, &sub); err != nil {
				t.Fatal(err)
			}
			inside := false
			for _, s := range sub.Subnets {
				inside = inside || netip.MustParsePrefix(s).Contains(addr)
			}
			if !inside {
				t.Errorf("%s (of %s) is in none of AS%s's subnets %v", ref.Value, dom, asn, sub.Subnets)
			}
			if addr.Is4() {
				hosts, found := 0, false
				var p pdnsPage
				get(t, base, acct("/intel/dns?ipv4="+ref.Value+"&per_page=1000&start=2020-01-01")).result(t, &p)
				for _, rec := range p.ReverseRecords {
					hosts++
					found = found || rec.Hostname == dom
				}
				if !found {
					t.Errorf("passive DNS of %s (%d names) lacks %s", ref.Value, hosts, dom)
				}
			}
		}
	}

	// Risk events point at indicators the intel endpoints know.
	for _, email := range []string{sim.EmailFewEvents, sim.EmailIPv6Event, sim.EmailTwoUsers} {
		var rs riskScore
		get(t, base, acct("/zt_risk_scoring/"+userID(t, base, email))).result(t, &rs)
		for _, e := range rs.Events {
			if dom, has := e.EventDetails["domain"].(string); has {
				var d domainResult
				get(t, base, acct("/intel/domain?domain="+dom)).result(t, &d)
				if d.ResolvesToRefs == nil || len(*d.ResolvesToRefs) == 0 {
					t.Errorf("event of %s names %s, unknown to domain intel", email, dom)
				}
			}
			for _, k := range []string{"src_ip", "dst_ip"} {
				if ip, has := e.EventDetails[k].(string); has {
					if _, err := netip.ParseAddr(ip); err != nil {
						t.Errorf("event of %s: %s %q", email, k, ip)
					}
				}
			}
		}
	}
}
