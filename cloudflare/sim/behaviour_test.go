package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

func TestAuth(t *testing.T) {
	const (
		weak     = "sim-intel-only"
		disabled = "sim-disabled"
		expired  = "sim-expired-by-date"
		account  = "sim-account-token"
	)
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }, Tokens: map[string]sim.TokenSpec{
		sim.DemoToken: {Perms: sim.AllPermissions},
		weak:          {Perms: []sim.Permission{sim.PermIntelRead}},
		disabled:      {Status: "disabled", Perms: sim.AllPermissions},
		expired:       {ExpiresOn: "2026-01-01T00:00:00Z", Perms: sim.AllPermissions},
		account:       {Kind: "account", Perms: sim.AllPermissions},
	}})
	base := server(t, s, false)
	ip := acct("/intel/ip?ipv4=" + sim.IPRiskyC2)

	t.Run("missing token", func(t *testing.T) {
		r := do(t, base, http.MethodGet, ip, "")
		r.wantError(t, http.StatusUnauthorized, 10000)
		if r.header.Get("Ratelimit") == "" {
			t.Error("401 without a Ratelimit header")
		}
	})
	t.Run("unknown token", func(t *testing.T) {
		do(t, base, http.MethodGet, ip, "nope").wantError(t, http.StatusUnauthorized, 10000)
	})
	t.Run("legacy key headers are not accepted", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, base+ip, nil)
		req.Header.Set("X-Auth-Email", "a@b.example")
		req.Header.Set("X-Auth-Key", "k")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
	})
	t.Run("permission missing", func(t *testing.T) {
		if r := do(t, base, http.MethodGet, ip, weak); r.status != http.StatusOK {
			t.Fatalf("intel with intel:read: %d %s", r.status, r.body)
		}
		for _, p := range []string{acct("/access/users"), acct("/zt_risk_scoring/summary"), "/accounts"} {
			do(t, base, http.MethodGet, p, weak).wantError(t, http.StatusForbidden, 9109)
		}
		id := userID(t, base, sim.EmailFewEvents)
		do(t, base, http.MethodPost, acct("/zt_risk_scoring/"+id+"/reset"), weak).wantError(t, http.StatusForbidden, 9109)
		if n := s.Count(sim.OpRiskReset); n != 1 {
			t.Errorf("refused reset counted %d times, want 1", n)
		}
		var rs riskScore
		get(t, base, acct("/zt_risk_scoring/"+id)).result(t, &rs)
		if len(rs.Events) == 0 {
			t.Error("a refused reset cleared the events")
		}
	})
	t.Run("account id", func(t *testing.T) {
		get(t, base, "/accounts/ffffffffffffffffffffffffffffffff/intel/ip?ipv4=192.0.2.1").wantError(t, http.StatusForbidden, 9109)
		get(t, base, "/accounts/xyz/intel/ip?ipv4=192.0.2.1").wantError(t, http.StatusNotFound, 7003)
	})
	type verify struct {
		ID        string `json:"id"`
		Status    string `json:"status"`
		ExpiresOn string `json:"expires_on"`
	}
	t.Run("verify statuses", func(t *testing.T) {
		for tok, want := range map[string]string{sim.DemoToken: "active", disabled: "disabled", expired: "expired"} {
			var v verify
			do(t, base, http.MethodGet, "/user/tokens/verify", tok).result(t, &v)
			if v.Status != want || len(v.ID) != 32 {
				t.Errorf("verify %s: %+v, want status %s and a 32-char id", tok, v, want)
			}
			if tok != sim.DemoToken {
				do(t, base, http.MethodGet, ip, tok).wantError(t, http.StatusUnauthorized, 10000)
			}
		}
	})
	t.Run("account token", func(t *testing.T) {
		do(t, base, http.MethodGet, "/user/tokens/verify", account).wantError(t, http.StatusUnauthorized, 1000)
		var v verify
		do(t, base, http.MethodGet, acct("/tokens/verify"), account).result(t, &v)
		if v.Status != "active" {
			t.Errorf("account verify: %+v", v)
		}
		do(t, base, http.MethodGet, acct("/tokens/verify"), sim.DemoToken).wantError(t, http.StatusUnauthorized, 1000)
		do(t, base, http.MethodGet, "/accounts", account).wantError(t, http.StatusBadRequest, 1001)
		if r := do(t, base, http.MethodGet, ip, account); r.status != http.StatusOK {
			t.Errorf("account token on intel: %d %s", r.status, r.body)
		}
	})
}

func TestRoutingAndCounts(t *testing.T) {
	s := sim.New(sim.Options{})
	base := server(t, s, false)
	get(t, base, "/nowhere").wantError(t, http.StatusNotFound, 7000)
	get(t, base, acct("/intel/ip/")).wantError(t, http.StatusNotFound, 7000)
	get(t, strings.TrimSuffix(base, sim.BasePath), "/accounts").wantError(t, http.StatusNotFound, 7000)
	id := userID(t, base, sim.EmailNoEvents) // 1 access-users request
	get(t, base, acct("/zt_risk_scoring/"+id+"/reset")).wantError(t, http.StatusMethodNotAllowed, 7001)
	do(t, base, http.MethodPost, acct("/intel/ip?ipv4=192.0.2.1"), sim.DemoToken).wantError(t, http.StatusMethodNotAllowed, 7001)
	get(t, base, acct("/zt_risk_scoring/summary"))
	get(t, base, acct("/zt_risk_scoring/"+id))

	want := map[string]int{sim.OpAccessUsers: 1, sim.OpRiskSummary: 1, sim.OpRiskScore: 1}
	got := s.Counts()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Counts() = %v, want %v (unknown paths and wrong methods are not operations)", got, want)
	}
	if s.Total() != 8 {
		t.Errorf("Total() = %d, want 8", s.Total())
	}
	s.ResetCounts()
	if s.Total() != 0 || len(s.Counts()) != 0 || s.Count(sim.OpAccessUsers) != 0 {
		t.Errorf("after ResetCounts: total %d, counts %v", s.Total(), s.Counts())
	}
}

type ipResult struct {
	IP           string `json:"ip"`
	BelongsToRef struct {
		Description string `json:"description"`
		Type        string `json:"type"`
		Value       string `json:"value"`
	} `json:"belongs_to_ref"`
	RiskTypes []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"risk_types"`
}

func TestIPOverview(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	var res []ipResult
	get(t, base, acct("/intel/ip?ipv4="+sim.IPRiskyC2)).result(t, &res)
	if len(res) != 1 || res[0].IP != sim.IPRiskyC2 || len(res[0].RiskTypes) == 0 || res[0].BelongsToRef.Value != "64500" {
		t.Errorf("risky IP: %+v", res)
	}
	get(t, base, acct("/intel/ip?ipv6=2001:DB8:BAD:0::66")).result(t, &res)
	if len(res) != 1 || res[0].IP != sim.IPv6Risky || len(res[0].RiskTypes) == 0 {
		t.Errorf("IPv6 is answered in canonical form with its risk: %+v", res)
	}
	get(t, base, acct("/intel/ip?ipv4=8.8.8.8")).result(t, &res)
	if len(res) != 1 || res[0].IP != "8.8.8.8" || len(res[0].RiskTypes) != 0 || res[0].BelongsToRef.Value == "" {
		t.Errorf("unknown IP should be clean with some ASN: %+v", res)
	}
	get(t, base, acct("/intel/ip?ipv4=104.16.1.1")).result(t, &res)
	if res[0].BelongsToRef.Value != "13335" {
		t.Errorf("an IP in a Cloudflare subnet belongs to AS13335: %+v", res)
	}
	for _, q := range []string{"", "ipv4=", "ipv4=2001:db8::1", "ipv6=192.0.2.1", "ipv4=01.2.3.4", "ipv4=1.2.3.4&ipv6=2001:db8::1", "ipv4=1.2.3.4/24"} {
		get(t, base, acct("/intel/ip?"+q)).wantError(t, http.StatusBadRequest, 1003)
	}
}

type domainResult struct {
	Domain                string             `json:"domain"`
	RiskTypes             []struct{ ID int } `json:"risk_types"`
	InheritedRiskTypes    []struct{ ID int } `json:"inherited_risk_types"`
	InheritedFrom         string             `json:"inherited_from"`
	RiskScore             float64            `json:"risk_score"`
	PopularityRank        *int               `json:"popularity_rank"`
	AdditionalInformation struct {
		SuspectedMalwareFamily string `json:"suspected_malware_family"`
	} `json:"additional_information"`
	ResolvesToRefs *[]struct{ ID, Value string } `json:"resolves_to_refs"`
}

func TestDomains(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	var d domainResult
	get(t, base, acct("/intel/domain?domain="+strings.ToUpper(sim.DomainPhishing))).result(t, &d)
	if d.Domain != sim.DomainPhishing || len(d.RiskTypes) == 0 || d.RiskTypes[0].ID != 131 || d.ResolvesToRefs == nil || len(*d.ResolvesToRefs) == 0 {
		t.Errorf("phishing domain: %+v", d)
	}
	get(t, base, acct("/intel/domain?domain="+sim.DomainDGA)).result(t, &d)
	if d.AdditionalInformation.SuspectedMalwareFamily == "" {
		t.Errorf("DGA domain without suspected_malware_family: %+v", d)
	}
	d = domainResult{}
	get(t, base, acct("/intel/domain?domain="+sim.DomainPopular+"&skip_dns=true")).result(t, &d)
	if d.PopularityRank == nil || *d.PopularityRank <= 0 || d.ResolvesToRefs != nil {
		t.Errorf("popular domain with skip_dns: %+v", d)
	}
	d = domainResult{}
	get(t, base, acct("/intel/domain?domain="+sim.DomainPopular+"&skip_ranking=1")).result(t, &d)
	if d.PopularityRank != nil {
		t.Errorf("skip_ranking still ranked: %+v", d)
	}
	d = domainResult{}
	get(t, base, acct("/intel/domain?domain=account.secure."+sim.DomainPhishing)).result(t, &d)
	if d.InheritedFrom != sim.DomainPhishing || len(d.InheritedRiskTypes) == 0 || len(d.RiskTypes) != 0 {
		t.Errorf("subdomain should inherit: %+v", d)
	}
	d = domainResult{}
	get(t, base, acct("/intel/domain?domain=never-seen.test")).result(t, &d)
	if len(d.RiskTypes) != 0 || d.RiskScore != 0 || d.ResolvesToRefs == nil || len(*d.ResolvesToRefs) != 0 {
		t.Errorf("unknown domain should be clean: %+v", d)
	}

	var bulk []domainResult
	get(t, base, acct("/intel/domain/bulk?domain="+sim.DomainClean+"&domain="+sim.DomainC2+"&domain=never-seen.test")).result(t, &bulk)
	if len(bulk) != 3 || bulk[0].Domain != sim.DomainClean || bulk[1].Domain != sim.DomainC2 || len(bulk[1].RiskTypes) == 0 {
		t.Fatalf("bulk: %+v", bulk)
	}
	for _, b := range bulk {
		if b.ResolvesToRefs != nil || b.PopularityRank != nil {
			t.Errorf("bulk without include_ranking: %+v", b)
		}
	}
	get(t, base, acct("/intel/domain/bulk?include_ranking=true&domain="+sim.DomainClean)).result(t, &bulk)
	if bulk[0].PopularityRank == nil {
		t.Errorf("include_ranking=true without a rank: %+v", bulk[0])
	}
	many := strings.Repeat("&domain=a.test", 11)
	get(t, base, acct("/intel/domain/bulk?"+many[1:])).wantError(t, http.StatusBadRequest, 1003)
	for _, q := range []string{"", "domain=", "domain=localhost", "domain=https://evil.test/x", "domain=ex%20ample.test", "domain=b%C3%BCcher.test", "domain=a.test&skip_dns=maybe"} {
		get(t, base, acct("/intel/domain?"+q)).wantError(t, http.StatusBadRequest, 1003)
	}
}

type pdnsPage struct {
	Count          int `json:"count"`
	Page           int `json:"page"`
	PerPage        int `json:"per_page"`
	ReverseRecords []struct {
		Hostname  string `json:"hostname"`
		FirstSeen string `json:"first_seen"`
		LastSeen  string `json:"last_seen"`
	} `json:"reverse_records"`
}

// pdnsAll walks every page and returns the hostnames in order.
func pdnsAll(t *testing.T, base, extra string, perPage int) (hosts []string, count int) {
	t.Helper()
	for page := 1; ; page++ {
		var p pdnsPage
		get(t, base, acct(fmt.Sprintf("/intel/dns?ipv4=%s&page=%d&per_page=%d%s", sim.IPParkingFarm, page, perPage, extra))).result(t, &p)
		if page == 1 {
			count = p.Count
		} else if p.Count != count {
			t.Fatalf("count changed between pages: %d then %d", count, p.Count)
		}
		if p.Page != page || p.PerPage != perPage || len(p.ReverseRecords) > perPage {
			t.Fatalf("page %d: page=%d per_page=%d records=%d", page, p.Page, p.PerPage, len(p.ReverseRecords))
		}
		if len(p.ReverseRecords) == 0 {
			return hosts, count
		}
		for _, r := range p.ReverseRecords {
			hosts = append(hosts, r.Hostname)
		}
	}
}

func TestPassiveDNSPaging(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	hosts, count := pdnsAll(t, base, "", 50)
	seen := map[string]bool{}
	for _, h := range hosts {
		if seen[h] {
			t.Errorf("hostname %q on two pages", h)
		}
		seen[h] = true
	}
	if len(hosts) != count || count < 250 {
		t.Errorf("walked %d hostnames, count says %d (want 250+)", len(hosts), count)
	}
	if !seen[sim.DomainParked] {
		t.Errorf("%s missing from its own IP's passive DNS", sim.DomainParked)
	}
	// A different page size gives the same records in the same order.
	again, _ := pdnsAll(t, base, "", 7)
	if strings.Join(again, ",") != strings.Join(hosts, ",") {
		t.Error("pages of 7 and of 50 disagree on the records or their order")
	}
	// The default window is the last 30 days; a wider one finds older names.
	wide, wideCount := pdnsAll(t, base, "&start=2025-01-01&end=2026-03-14", 100)
	if wideCount <= count || len(wide) != wideCount {
		t.Errorf("wide window: %d records (count %d), default window %d", len(wide), wideCount, count)
	}
	var p pdnsPage
	get(t, base, acct("/intel/dns?ipv4="+sim.IPResidential)).result(t, &p)
	if p.Count != 0 || p.ReverseRecords == nil || len(p.ReverseRecords) != 0 {
		t.Errorf("IP without hostnames: %+v", p)
	}
	for _, q := range []string{"", "ipv4=" + url.QueryEscape(sim.IPv6Risky), "ipv4=1.2.3.4&per_page=0", "ipv4=1.2.3.4&per_page=2.5",
		"ipv4=1.2.3.4&page=0", "ipv4=1.2.3.4&page=1.5", "ipv4=1.2.3.4&start=yesterday", "ipv4=1.2.3.4&start=2026-03-10&end=2026-03-01"} {
		get(t, base, acct("/intel/dns?"+q)).wantError(t, http.StatusBadRequest, 1003)
	}
}

func TestASN(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	var n int
	get(t, base, acct("/intel/asn/13335")).result(t, &n)
	if n != 13335 {
		t.Errorf("ASN overview result %d", n)
	}
	r := get(t, base, acct("/intel/asn/64500/subnets"))
	var sub map[string]any
	if err := json.Unmarshal(r.body, &sub); err != nil || r.status != http.StatusOK {
		t.Fatalf("subnets: %d %s", r.status, r.body)
	}
	if _, enveloped := sub["success"]; enveloped {
		t.Errorf("subnets must not be enveloped: %s", r.body)
	}
	if sub["asn"] != float64(64500) || sub["count"] != float64(2) || len(sub["subnets"].([]any)) != 2 || sub["ip_count_total"] != float64(128) {
		t.Errorf("subnets of AS64500: %s", r.body)
	}
	get(t, base, acct("/intel/asn/AS13335")).wantError(t, http.StatusBadRequest, 1003)
	get(t, base, acct("/intel/asn/0/subnets")).wantError(t, http.StatusBadRequest, 1003)
	get(t, base, acct("/intel/asn/4294967296")).wantError(t, http.StatusBadRequest, 1003)
}

type whoisResult struct {
	Domain        string   `json:"domain"`
	Found         bool     `json:"found"`
	Registrant    string   `json:"registrant"`
	RegistrantOrg string   `json:"registrant_org"`
	CreatedDate   string   `json:"created_date"`
	Nameservers   []string `json:"nameservers"`
}

func TestWhoisAndHistory(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	var w whoisResult
	get(t, base, acct("/intel/whois?domain="+sim.DomainNew)).result(t, &w)
	created, err := time.Parse(time.RFC3339, w.CreatedDate)
	if err != nil || !w.Found {
		t.Fatalf("whois %s: %+v (%v)", sim.DomainNew, w, err)
	}
	if age := fixedNow.Sub(created); age < 0 || age > 7*24*time.Hour {
		t.Errorf("newly registered domain created %v before now", age)
	}
	get(t, base, acct("/intel/whois?domain=www."+sim.DomainClean)).result(t, &w)
	if w.Domain != sim.DomainClean || !w.Found {
		t.Errorf("whois of a subdomain answers for the registered domain: %+v", w)
	}
	w = whoisResult{}
	get(t, base, acct("/intel/whois?domain=nobody.test")).result(t, &w)
	if w.Found || w.Domain != "nobody.test" || w.Nameservers == nil {
		t.Errorf("unregistered domain: %+v", w)
	}

	type history struct {
		Domain          string `json:"domain"`
		Categorizations []struct {
			Categories []struct{ ID int } `json:"categories"`
			Start, End string
		} `json:"categorizations"`
	}
	var h []history
	get(t, base, acct("/intel/domain-history?domain="+sim.DomainC2)).result(t, &h)
	if len(h) != 1 || len(h[0].Categorizations) < 2 {
		t.Fatalf("history of %s: %+v", sim.DomainC2, h)
	}
	cs := h[0].Categorizations
	for i := 1; i < len(cs); i++ {
		if cs[i].Start < cs[i-1].Start || cs[i].Start > cs[i].End {
			t.Errorf("timeline out of order: %+v", cs)
		}
	}
	if cs[len(cs)-1].End != fixedNow.Format(time.DateOnly) {
		t.Errorf("current categorization should end today: %+v", cs[len(cs)-1])
	}
	get(t, base, acct("/intel/domain-history?domain=nobody.test")).result(t, &h)
	if len(h) != 0 {
		t.Errorf("never categorized domain has history %+v", h)
	}
}

func TestAccessUsersByEmail(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	for email, want := range map[string]int{
		"nobody@acme-corp.example":          0,
		sim.EmailFewEvents:                  1,
		strings.ToUpper(sim.EmailFewEvents): 1,
		sim.EmailTwoUsers:                   2,
		"acme-corp.example":                 0, // email is not a substring search
	} {
		r := get(t, base, acct("/access/users?email="+url.QueryEscape(email)))
		var users []accessUser
		r.result(t, &users)
		if len(users) != want {
			t.Errorf("email=%s: %d users, want %d", email, len(users), want)
		}
		for _, u := range users {
			if !strings.EqualFold(u.Email, email) {
				t.Errorf("email=%s returned %s", email, u.Email)
			}
		}
		if ri := r.env(t).ResultInfo; ri == nil || ri.TotalCount != want || ri.Count != want {
			t.Errorf("email=%s: result_info %+v", email, ri)
		}
	}
	var users []accessUser
	get(t, base, acct("/access/users?email="+sim.EmailTwoUsers)).result(t, &users)
	if users[0].ID == users[1].ID {
		t.Error("the two users sharing an email have the same id")
	}
	// Unfiltered listing pages.
	r := get(t, base, acct("/access/users?per_page=10&page=2"))
	r.result(t, &users)
	ri := r.env(t).ResultInfo
	if len(users) != 10 || ri.TotalCount <= 20 || ri.TotalPages != (ri.TotalCount+9)/10 || ri.Page != 2 {
		t.Errorf("paging: %d users, %+v", len(users), ri)
	}
	get(t, base, acct("/access/users?per_page=1001")).wantError(t, http.StatusBadRequest, 1003)
}

func TestResetReallyResets(t *testing.T) {
	clk := &clock{t: fixedNow}
	s := sim.New(sim.Options{Now: clk.Now})
	base := server(t, s, false)
	id := userID(t, base, sim.EmailFewEvents)
	var before riskScore
	get(t, base, acct("/zt_risk_scoring/"+id)).result(t, &before)
	if len(before.Events) == 0 || before.RiskLevel == nil || before.LastResetTime == nil {
		t.Fatalf("before reset: %+v", before)
	}
	clk.Advance(90 * time.Second)
	r := do(t, base, http.MethodPost, acct("/zt_risk_scoring/"+id+"/reset"), sim.DemoToken)
	if r.status != http.StatusOK || !r.env(t).Success {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	var after riskScore
	get(t, base, acct("/zt_risk_scoring/"+id)).result(t, &after)
	if len(after.Events) != 0 || after.RiskLevel != nil || after.LastResetTime == nil {
		t.Fatalf("after reset: %+v", after)
	}
	if ts, err := time.Parse(time.RFC3339Nano, *after.LastResetTime); err != nil || !ts.Equal(fixedNow.Add(90*time.Second)) {
		t.Errorf("last_reset_time %s, want %s", *after.LastResetTime, fixedNow.Add(90*time.Second))
	}
	if s.Count(sim.OpRiskReset) != 1 || s.Count(sim.OpRiskScore) != 2 {
		t.Errorf("counts %v", s.Counts())
	}
	type summary struct {
		Users []struct {
			UserID string `json:"user_id"`
		} `json:"users"`
	}
	var sum summary
	get(t, base, acct("/zt_risk_scoring/summary")).result(t, &sum)
	for _, u := range sum.Users {
		if u.UserID == id {
			t.Error("a reset user is still in the risky-users summary")
		}
	}
	if len(sum.Users) == 0 {
		t.Error("summary emptied by one reset")
	}
	// A fresh simulator starts from the dataset again.
	fresh := server(t, sim.New(sim.Options{Now: clk.Now}), false)
	var again riskScore
	get(t, fresh, acct("/zt_risk_scoring/"+id)).result(t, &again)
	if len(again.Events) != len(before.Events) {
		t.Errorf("reset leaked into another Sim: %d events", len(again.Events))
	}
}

func TestManyEvents(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	var rs riskScore
	get(t, base, acct("/zt_risk_scoring/"+userID(t, base, sim.EmailManyEvents))).result(t, &rs)
	if len(rs.Events) != sim.ManyEventsCount {
		t.Fatalf("%d events, want %d", len(rs.Events), sim.ManyEventsCount)
	}
	ids := map[string]bool{}
	prev := fixedNow
	withDomain, withIP := 0, 0
	for _, e := range rs.Events {
		ts, err := time.Parse(time.RFC3339, e.Timestamp)
		if err != nil || ts.After(prev) {
			t.Fatalf("event %s: timestamp %s not newest-first (%v)", e.ID, e.Timestamp, err)
		}
		prev = ts
		if ids[e.ID] {
			t.Fatalf("duplicate event id %s", e.ID)
		}
		ids[e.ID] = true
		if _, has := e.EventDetails["domain"]; has {
			withDomain++
		}
		if _, has := e.EventDetails["src_ip"]; has {
			withIP++
		}
	}
	if withDomain == 0 || withIP == 0 {
		t.Errorf("event details name no domain (%d) or no IP (%d)", withDomain, withIP)
	}
}

func TestRateLimit(t *testing.T) {
	clk := &clock{t: fixedNow}
	s := sim.New(sim.Options{Now: clk.Now, Tokens: map[string]sim.TokenSpec{
		sim.DemoToken: {Perms: sim.AllPermissions}, "other": {Perms: sim.AllPermissions},
	}})
	send := func(tok string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, sim.BasePath+"/user/tokens/verify", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	first := send(sim.DemoToken)
	if got := first.Header().Get("Ratelimit"); got != `"default";r=1199;t=300` {
		t.Errorf("first Ratelimit %q", got)
	}
	if got := first.Header().Get("Ratelimit-Policy"); got != `"burst";q=1200;w=300` {
		t.Errorf("Ratelimit-Policy %q", got)
	}
	clk.Advance(100 * time.Second)
	if got := send(sim.DemoToken).Header().Get("Ratelimit"); got != `"default";r=1198;t=200` {
		t.Errorf("second Ratelimit %q", got)
	}
	for i := 0; i < 1198; i++ {
		send(sim.DemoToken)
	}
	over := send(sim.DemoToken)
	if over.Code != http.StatusTooManyRequests || over.Header().Get("Retry-After") != "300" {
		t.Fatalf("request 1201: %d Retry-After %q", over.Code, over.Header().Get("Retry-After"))
	}
	if rec := send("other"); rec.Code != http.StatusOK {
		t.Errorf("another token is limited too: %d", rec.Code)
	}
	// Blocked for five minutes from the moment the limit was passed.
	clk.Advance(299 * time.Second)
	if rec := send(sim.DemoToken); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" {
		t.Errorf("still blocked: %d Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	clk.Advance(time.Second)
	if rec := send(sim.DemoToken); rec.Code != http.StatusOK || rec.Header().Get("Ratelimit") != `"default";r=1199;t=300` {
		t.Errorf("after the block: %d %q", rec.Code, rec.Header().Get("Ratelimit"))
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := sim.New(sim.Options{})
	base := server(t, s, false)
	id := userID(t, base, sim.EmailFewEvents)
	s.ResetCounts()
	s.Inject(sim.Fault{Op: sim.OpWhois, Status: 500, Times: 5})
	paths := []string{
		acct("/intel/ip?ipv4=" + sim.IPRiskyC2), acct("/intel/whois?domain=" + sim.DomainC2),
		acct("/zt_risk_scoring/" + id), acct("/zt_risk_scoring/summary"), acct("/intel/dns?ipv4=" + sim.IPParkingFarm),
	}
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				p := paths[(w+i)%len(paths)]
				method := http.MethodGet
				if i%10 == 9 {
					method, p = http.MethodPost, acct("/zt_risk_scoring/"+id+"/reset")
				}
				req, _ := http.NewRequest(method, base+p, nil)
				req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range s.Counts() {
		total += n
	}
	if total != workers*each || s.Total() != workers*each {
		t.Errorf("counted %d (total %d), sent %d", total, s.Total(), workers*each)
	}
	if s.Count(sim.OpRiskReset) != workers*(each/10) {
		t.Errorf("resets counted %d, want %d", s.Count(sim.OpRiskReset), workers*(each/10))
	}
}

// TestHostileStrings: escape sequences and bidi overrides are in the data,
// so every consumer has to sanitize what it shows.
func TestHostileStrings(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	const osc52 = "\x1b]52;c;ZXZpbA==\x07"
	rlo := []byte("\u202e")

	r := get(t, base, acct("/intel/whois?domain="+sim.DomainC2))
	var w whoisResult
	r.result(t, &w)
	if !strings.Contains(w.Registrant, osc52) || !strings.Contains(w.Registrant, "\x1b[2J") {
		t.Errorf("WHOIS registrant not hostile: %q", w.Registrant)
	}
	if !bytes.Contains(r.body, []byte(`\u001b]52;c;ZXZpbA==\u0007`)) || !bytes.Contains(r.body, rlo) {
		t.Errorf("raw WHOIS lacks the escaped OSC 52 or a raw U+202E: %s", r.body)
	}

	var p pdnsPage
	get(t, base, acct("/intel/dns?ipv4="+sim.IPRiskyC2)).result(t, &p)
	found := false
	for _, rec := range p.ReverseRecords {
		found = found || strings.Contains(rec.Hostname, osc52)
	}
	if !found {
		t.Error("no hostile passive-DNS hostname")
	}

	r = get(t, base, acct("/zt_risk_scoring/"+userID(t, base, sim.EmailFewEvents)))
	var rs riskScore
	r.result(t, &rs)
	esc, bidi := false, false
	for _, e := range rs.Events {
		for _, v := range e.EventDetails {
			s, _ := v.(string)
			esc = esc || strings.Contains(s, osc52)
			bidi = bidi || strings.Contains(s, "\u202e")
		}
	}
	if !esc || !bidi || !bytes.Contains(r.body, rlo) {
		t.Errorf("event details: escape %v, bidi %v", esc, bidi)
	}
}

func TestDeterministic(t *testing.T) {
	a := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	b := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	for _, p := range []string{
		acct("/intel/whois?domain=" + sim.DomainNew), acct("/zt_risk_scoring/summary"),
		acct("/intel/dns?ipv4=" + sim.IPParkingFarm), acct("/access/users"),
	} {
		if x, y := get(t, a, p).body, get(t, b, p).body; !bytes.Equal(x, y) {
			t.Errorf("%s differs between two Sims with the same clock", p)
		}
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- sim.Serve(ctx, "127.0.0.1:0", pw, sim.New(sim.Options{}))
		pw.Close()
	}()
	lines := make([]string, 0, 3)
	buf := make([]byte, 4096)
	var out strings.Builder
	for strings.Count(out.String(), "\n") < 3 {
		n, err := pr.Read(buf)
		if err != nil {
			t.Fatalf("reading Serve's output: %v (got %q)", err, out.String())
		}
		out.Write(buf[:n])
	}
	go io.Copy(io.Discard, pr)
	lines = append(lines, strings.Split(strings.TrimSpace(out.String()), "\n")...)
	baseURL, found := strings.CutPrefix(lines[0], "base URL: ")
	if !found || !strings.HasSuffix(baseURL, sim.BasePath) || lines[1] != "account id: "+sim.DemoAccountID || lines[2] != "token: "+sim.DemoToken {
		t.Fatalf("Serve printed %q", lines)
	}
	get(t, baseURL, "/user/tokens/verify").result(t, &map[string]any{})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v after cancel", err)
	}
}

func TestSuggestionsExist(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	sugg := sim.Suggestions()
	if len(sugg) < 6 {
		t.Fatalf("Suggestions() = %v", sugg)
	}
	for _, s := range sugg {
		switch {
		case strings.Contains(s, "@"):
			userID(t, base, s)
		case strings.Contains(s, ":"):
			var res []ipResult
			get(t, base, acct("/intel/ip?ipv6="+url.QueryEscape(s))).result(t, &res)
		case strings.Trim(s, "0123456789.") == "":
			var res []ipResult
			get(t, base, acct("/intel/ip?ipv4="+s)).result(t, &res)
		default:
			var w whoisResult
			get(t, base, acct("/intel/whois?domain="+s)).result(t, &w)
			if !w.Found {
				t.Errorf("suggested domain %s has no WHOIS", s)
			}
		}
	}
}

func TestRateQuotaOption(t *testing.T) {
	send := func(s *sim.Sim) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, sim.BasePath+"/user/tokens/verify", nil)
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	small := sim.New(sim.Options{RateQuota: 3})
	var codes []int
	for i := 0; i < 5; i++ {
		codes = append(codes, send(small).Code)
	}
	if fmt.Sprint(codes) != "[200 200 200 429 429]" {
		t.Errorf("quota 3: %v", codes)
	}
	if got := send(small).Header().Get("Ratelimit-Policy"); got != `"burst";q=3;w=300` {
		t.Errorf("policy %q", got)
	}
	unlimited := sim.New(sim.Options{RateQuota: -1})
	for i := 0; i < 1300; i++ {
		if rec := send(unlimited); rec.Code != http.StatusOK {
			t.Fatalf("unlimited refused request %d: %d", i+1, rec.Code)
		}
	}
}

// TestRateWindowOption: a short window refills the quota once it has
// passed, and the headers say the window.
func TestRateWindowOption(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := sim.New(sim.Options{RateQuota: 2, RateWindow: 10 * time.Second, Now: clk.Now})
	send := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, sim.BasePath+"/user/tokens/verify", nil)
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	first := send()
	if got := first.Header().Get("Ratelimit-Policy"); got != `"burst";q=2;w=10` {
		t.Errorf("policy %q", got)
	}
	if got := first.Header().Get("Ratelimit"); got != `"default";r=1;t=10` {
		t.Errorf("Ratelimit %q", got)
	}
	clk.Advance(4 * time.Second)
	send()
	if rec := send(); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "10" {
		t.Fatalf("third request in the window: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	clk.Advance(10 * time.Second) // the block lasts a window
	if rec := send(); rec.Code != http.StatusOK {
		t.Fatalf("after the block: %d", rec.Code)
	}
}

// TestFaultRate: a fault with a Rate hits that fraction of the requests,
// evenly and the same way every run.
func TestFaultRate(t *testing.T) {
	s := sim.New(sim.Options{RateQuota: -1})
	s.Inject(sim.Fault{Status: http.StatusInternalServerError, Rate: 0.25})
	var codes []int
	for i := 0; i < 8; i++ {
		req := httptest.NewRequest(http.MethodGet, sim.BasePath+"/user/tokens/verify", nil)
		req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	if fmt.Sprint(codes) != "[200 200 200 500 200 200 200 500]" {
		t.Errorf("rate 0.25: %v", codes)
	}
}

// TestAccessUsersEmailCaseSensitiveReading: the other reading of email=
// matches the stored address exactly; search= is the same in both.
func TestAccessUsersEmailCaseSensitiveReading(t *testing.T) {
	base := server(t, sim.New(sim.Options{EmailCaseSensitive: true}), false)
	for q, want := range map[string]int{
		"email=" + sim.EmailFewEvents:                                    1,
		"email=" + url.QueryEscape(strings.ToUpper(sim.EmailFewEvents)):  0,
		"email=" + sim.EmailTwoUsers:                                     1, // "Dana.Lee@…" differs in case
		"email=" + url.QueryEscape("Dana.Lee@acme-corp.example"):         1,
		"search=" + url.QueryEscape(strings.ToUpper(sim.EmailTwoUsers)):  2,
		"search=" + url.QueryEscape(strings.ToUpper(sim.EmailFewEvents)): 1,
	} {
		var users []accessUser
		get(t, base, acct("/access/users?"+q)).result(t, &users)
		if len(users) != want {
			t.Errorf("%s: %d users, want %d", q, len(users), want)
		}
	}
}
