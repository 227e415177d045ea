package actions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

func rts(names ...string) []cloudflare.RiskType {
	var out []cloudflare.RiskType
	for i, n := range names {
		out = append(out, cloudflare.RiskType{ID: i + 1, Name: n})
	}
	return out
}

// only returns the one change of field, failing when there is not
// exactly one change in all.
func only(t *testing.T, cs []Change, field string) Change {
	t.Helper()
	if len(cs) != 1 || cs[0].Field != field {
		t.Fatalf("changes = %+v, want one %s change", cs, field)
	}
	return cs[0]
}

func TestIPChanges(t *testing.T) {
	b := []cloudflare.IPInfo{{IP: "192.0.2.1", RiskTypes: rts("Malware", "Botnet")}}
	a := []cloudflare.IPInfo{{IP: "192.0.2.1", RiskTypes: rts("Botnet", "Phishing")}}
	c := only(t, IPChanges(b, a), FieldRiskTypes)
	if fmt.Sprint(c.Added, c.Removed) != "[Phishing] [Malware]" {
		t.Errorf("added %v removed %v", c.Added, c.Removed)
	}
	if d := c.Describe(); d != "risk types: + Phishing, − Malware" {
		t.Errorf("Describe = %q", d)
	}
	if cs := IPChanges(b, []cloudflare.IPInfo{{RiskTypes: rts("Botnet", "Malware")}}); len(cs) != 0 {
		t.Errorf("reordered risk types reported as a change: %+v", cs)
	}
}

func TestPassiveDNSChanges(t *testing.T) {
	rec := func(hs ...string) cloudflare.PassiveDNS {
		var p cloudflare.PassiveDNS
		for _, h := range hs {
			p.ReverseRecords = append(p.ReverseRecords, cloudflare.ReverseRecord{Hostname: h})
		}
		return p
	}
	c := only(t, PassiveDNSChanges(rec("a.example", "b.example"), rec("B.example", "c.example")), FieldPassiveDNS)
	if fmt.Sprint(c.Added, c.Removed) != "[c.example] [a.example]" {
		t.Errorf("added %v removed %v", c.Added, c.Removed)
	}
}

func TestDomainChanges(t *testing.T) {
	base := cloudflare.Domain{Domain: "x.example", RiskScore: 0.1, ContentCategories: rts("Technology"),
		ResolvesToRefs: []cloudflare.Ref{{Value: "192.0.2.1"}}}
	if cs := DomainChanges(base, base); len(cs) != 0 {
		t.Fatalf("the same answer changed: %+v", cs)
	}
	a := base
	a.RiskTypes = rts("Phishing")
	only(t, DomainChanges(base, a), FieldRiskTypes)
	a = base
	a.InheritedRiskTypes = rts("Malware")
	if c := only(t, DomainChanges(base, a), FieldRiskTypes); fmt.Sprint(c.Added) != "[Malware]" {
		t.Errorf("inherited risk: %+v", c)
	}
	a = base
	a.ContentCategories = rts("Parked")
	if c := only(t, DomainChanges(base, a), FieldContentCategories); fmt.Sprint(c.Added, c.Removed) != "[Parked] [Technology]" {
		t.Errorf("categories: %+v", c)
	}
	a = base
	a.RiskScore = 0.9
	if d := only(t, DomainChanges(base, a), FieldRiskScore).Describe(); d != "risk score up: 0.10 → 0.90" {
		t.Errorf("score up: %q", d)
	}
	if d := only(t, DomainChanges(a, base), FieldRiskScore).Describe(); d != "risk score down: 0.90 → 0.10" {
		t.Errorf("score down: %q", d)
	}
	a = base
	a.ResolvesToRefs = []cloudflare.Ref{{Value: "198.51.100.7"}}
	if c := only(t, DomainChanges(base, a), FieldResolvesTo); fmt.Sprint(c.Added, c.Removed) != "[198.51.100.7] [192.0.2.1]" {
		t.Errorf("resolves to: %+v", c)
	}
}

func TestWhoisChanges(t *testing.T) {
	b := cloudflare.Whois{Registrar: "Good Registrar", Nameservers: []string{"ns1.a.example", "ns2.a.example."}}
	a := b
	a.Registrar = "Bulletproof Names"
	if c := only(t, WhoisChanges(b, a), FieldRegistrar); c.Before != "Good Registrar" || c.After != "Bulletproof Names" {
		t.Errorf("registrar: %+v", c)
	}
	a = b
	a.Nameservers = []string{"NS2.A.EXAMPLE", "ns1.evil.example"}
	if c := only(t, WhoisChanges(b, a), FieldNameservers); fmt.Sprint(c.Added, c.Removed) != "[ns1.evil.example] [ns1.a.example]" {
		t.Errorf("nameservers: %+v", c)
	}
}

func TestUserChanges(t *testing.T) {
	ev := func(id, name string) cloudflare.RiskEvent {
		return cloudflare.RiskEvent{ID: id, Name: name, Timestamp: "2026-05-01T10:00:00Z"}
	}
	b := cloudflare.RiskScore{RiskLevel: "low", Events: []cloudflare.RiskEvent{ev("1", "impossible travel")}}
	a := cloudflare.RiskScore{RiskLevel: "high", Events: []cloudflare.RiskEvent{ev("1", "impossible travel"), ev("2", "DLP match")}}
	cs := UserChanges(b, a)
	if len(cs) != 2 || cs[0].Field != FieldRiskLevel || cs[0].Before != "low" || cs[0].After != "high" {
		t.Fatalf("changes = %+v", cs)
	}
	if cs[1].Field != FieldEvents || len(cs[1].Added) != 1 || !strings.HasPrefix(cs[1].Added[0], "DLP match") || cs[1].Before != 1 || cs[1].After != 2 {
		t.Errorf("events = %+v", cs[1])
	}
	if cs := UserChanges(a, a); len(cs) != 0 {
		t.Errorf("no change reported %+v", cs)
	}
}

func TestChangesOfExchanges(t *testing.T) {
	f := newMemFixture(t)
	ctx := context.Background()
	s := f.session(t, CachePolicy{})
	infos, ex, err := s.Client.IPOverview(ctx, sim.IPRiskyC2)
	if err != nil {
		t.Fatal(err)
	}
	if r := ChangesOf(ex, infos, IPChanges); r != nil {
		t.Errorf("a first look has a report: %+v", r)
	}
	infos, ex, _ = s.Client.IPOverview(ctx, sim.IPRiskyC2)
	if r := ChangesOf(ex, infos, IPChanges); r != nil || !ex.Cache.Hit {
		t.Errorf("a cached answer has a report: %+v", r)
	}
	// What was kept earlier had no risk types.
	e, ok := s.DB.CacheGet(sim.DemoAccountID, ex.URL)
	if !ok {
		t.Fatal("nothing kept")
	}
	var env map[string]any
	if err := json.Unmarshal(e.Body, &env); err != nil {
		t.Fatal(err)
	}
	env["result"] = []map[string]any{{"ip": sim.IPRiskyC2, "risk_types": []any{}}}
	e.Body, _ = json.Marshal(env)
	e.Fetched = time.Now().Add(-3 * time.Hour)
	if _, _, err := s.DB.CachePut(e); err != nil {
		t.Fatal(err)
	}
	infos, ex, err = s.Client.IPOverview(cloudflare.WithFresh(ctx), sim.IPRiskyC2)
	if err != nil {
		t.Fatal(err)
	}
	r := ChangesOf(ex, infos, IPChanges)
	if r == nil || !r.Since.Equal(e.Fetched.UTC().Truncate(time.Millisecond)) {
		t.Fatalf("report = %+v, want since %s", r, e.Fetched)
	}
	c := only(t, r.Changes, FieldRiskTypes)
	if len(c.Added) == 0 || len(c.Removed) != 0 {
		t.Errorf("change = %+v", c)
	}
	// Unchanged since: a report with no changes.
	infos, ex, _ = s.Client.IPOverview(cloudflare.WithFresh(ctx), sim.IPRiskyC2)
	if r := ChangesOf(ex, infos, IPChanges); r == nil || len(r.Changes) != 0 {
		t.Errorf("unchanged: %+v", r)
	}
	if m := Merge(nil, nil); m != nil {
		t.Error("Merge of nothing earlier is not nil")
	}
}
