package views

import (
	"fmt"
	"time"

	"cftriage/cloudflare"

	"charm.land/lipgloss/v2"
)

// Fixed clock for goldens.
var fixedNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

func rt(id int, name string) cloudflare.RiskType { return cloudflare.RiskType{ID: id, Name: name} }

func riskyIP() *cloudflare.IPInfo {
	return &cloudflare.IPInfo{
		IP: "203.0.113.7",
		BelongsTo: &cloudflare.ASNRef{
			ID: "AS64500", Country: "NL", Description: "BULLETPROOF-HOSTING-EXAMPLE", Type: "hosting_provider", Value: "64500",
		},
		RiskTypes: []cloudflare.RiskType{rt(169, "New Domains"), rt(83, "Phishing"), rt(117, "Command and Control & Botnet")},
	}
}

func cleanIPv6() *cloudflare.IPInfo {
	return &cloudflare.IPInfo{
		IP:        "2001:db8:4860::8888",
		BelongsTo: &cloudflare.ASNRef{ID: "AS64501", Country: "US", Description: "EXAMPLE-CLOUD", Type: "isp", Value: "64501"},
	}
}

var pdnsRecords = []cloudflare.ReverseRecord{
	{Hostname: "login-micros0ft.evil.example", FirstSeen: "2026-05-02", LastSeen: "2026-05-19"},
	{Hostname: "cdn.evil.example", FirstSeen: "2026-04-28", LastSeen: "2026-05-19"},
	{Hostname: "evil.example", FirstSeen: "2026-04-27", LastSeen: "2026-05-18"},
	{Hostname: "paypa1-verify.example.net", FirstSeen: "2026-03-11", LastSeen: "2026-04-02"},
	{Hostname: "mail.evil.example", FirstSeen: "2026-04-30", LastSeen: "2026-05-01"},
}

var pdnsColumns = []Column{
	{Title: "Hostname", Min: 12},
	{Title: "First seen", Width: 10},
	{Title: "Last seen", Width: 10},
}

func pdnsTable(recs []cloudflare.ReverseRecord, focused bool) Table {
	return Table{
		Columns: pdnsColumns,
		N:       len(recs),
		Row: func(i int) []string {
			r := recs[i]
			return []string{r.Hostname, r.FirstSeen, r.LastSeen}
		},
		Focused: focused,
		Empty:   "no domains seen on this IP",
	}
}

func subnets() *cloudflare.ASNSubnets {
	return &cloudflare.ASNSubnets{
		ASN: 64500, Count: 6, IPCountTotal: 2816, Page: 1, PerPage: 100,
		Subnets: []string{"203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "100.64.0.0/23", "100.64.8.0/22", "100.64.16.0/21"},
	}
}

func riskyDomain() *cloudflare.Domain {
	return &cloudflare.Domain{
		Domain:                     "login-micros0ft.evil.example",
		ContentCategories:          []cloudflare.RiskType{rt(155, "Technology")},
		InheritedContentCategories: []cloudflare.RiskType{rt(37, "Business")},
		RiskTypes:                  []cloudflare.RiskType{rt(83, "Phishing"), rt(169, "New Domains")},
		InheritedRiskTypes:         []cloudflare.RiskType{rt(80, "Malware")},
		InheritedFrom:              "evil.example",
		RiskScore:                  0.93,
		AdditionalInformation:      &cloudflare.AdditionalInfo{SuspectedMalwareFamily: "Lumma Stealer"},
		ResolvesToRefs:             []cloudflare.Ref{{ID: "ipv4-addr--1", Value: "203.0.113.7"}, {ID: "ipv4-addr--2", Value: "198.51.100.4"}},
	}
}

func newWhois() *cloudflare.Whois {
	return &cloudflare.Whois{
		Domain: "evil.example", Found: true, Registrar: "Example Registrar, LLC",
		RegistrantOrg: "Privacy Protect Example", RegistrantCountry: "IS",
		CreatedDate: "2026-05-08T09:14:02Z", UpdatedDate: "2026-05-08T09:14:05Z", ExpirationDate: "2027-05-08T09:14:02Z",
		Nameservers: []string{"ns1.evil-dns.example", "ns2.evil-dns.example"},
		Status:      []string{"clientTransferProhibited", "addPeriod"},
	}
}

func riskyHistory() []cloudflare.DomainHistory {
	return []cloudflare.DomainHistory{{
		Domain: "login-micros0ft.evil.example",
		Categorizations: []cloudflare.Categorization{
			{Categories: []cloudflare.RiskType{rt(155, "Technology")}, Start: "2026-05-08T00:00:00Z", End: "2026-05-10T00:00:00Z"},
			{Categories: []cloudflare.RiskType{rt(83, "Phishing"), rt(155, "Technology")}, Start: "2026-05-10T00:00:00Z"},
		},
	}}
}

func cleanDomain() *cloudflare.Domain {
	return &cloudflare.Domain{
		Domain:            "example.com",
		ContentCategories: []cloudflare.RiskType{rt(155, "Technology"), rt(89, "Information Technology")},
		RiskScore:         0.02,
		PopularityRank:    1243,
		Application:       &cloudflare.Application{ID: 1001, Name: "Example Suite"},
		ResolvesToRefs:    []cloudflare.Ref{{Value: "93.184.215.14"}, {Value: "2606:2800:21f:cb07:6820:80da:af6b:8b2c"}},
	}
}

func cleanWhois() *cloudflare.Whois {
	return &cloudflare.Whois{
		Domain: "example.com", Found: true, Registrar: "RESERVED-Internet Assigned Numbers Authority",
		CreatedDate: "1995-08-14T04:00:00Z", UpdatedDate: "2025-08-14T07:01:38Z", ExpirationDate: "2026-08-13T04:00:00Z",
		Nameservers: []string{"a.iana-servers.net", "b.iana-servers.net"},
		Status:      []string{"clientDeleteProhibited", "clientTransferProhibited", "clientUpdateProhibited"},
		DNSSEC:      true,
	}
}

var ipColumns = []Column{{Title: "IP", Min: 15}}

func ipsTable(refs []cloudflare.Ref, focused bool) Table {
	return Table{
		Columns: ipColumns,
		N:       len(refs),
		Row:     func(i int) []string { return []string{refs[i].Value} },
		Focused: focused,
		Empty:   "no resolving IPs",
	}
}

func alice() *cloudflare.AccessUser {
	return &cloudflare.AccessUser{
		ID: "4f3c2a1b-9d8e-4f7a-8b6c-5d4e3f2a1b0c", Email: "alice@example.com", Name: "Alice Martin",
		LastSuccessfulLogin: "2026-05-19T08:42:11Z",
	}
}

func userEvents(n int) []cloudflare.RiskEvent {
	names := []string{"Impossible travel", "Gateway: blocked malware download", "Access: repeated failed logins", "DLP: sensitive data upload", "Gateway: phishing domain visited"}
	levels := []string{"high", "high", "medium", "medium", "low"}
	out := make([]cloudflare.RiskEvent, n)
	for i := range out {
		k := i % len(names)
		out[i] = cloudflare.RiskEvent{
			ID:        fmt.Sprintf("evt-%05d", i),
			Name:      names[k],
			RiskLevel: levels[k],
			Timestamp: fixedNow.Add(-time.Duration(i) * 37 * time.Minute).Format(time.RFC3339),
			Details: map[string]any{
				"domain": "login-micros0ft.evil.example",
				"source": map[string]any{"ip": "203.0.113.7", "country": "NL"},
				"device": map[string]any{"os": "macOS 15.4", "managed": true},
				"count":  float64(3 + i),
			},
		}
	}
	return out
}

func eventsTable(evs []cloudflare.RiskEvent, th Theme, focused bool) Table {
	return Table{
		Columns: EventColumns,
		N:       len(evs),
		Row:     func(i int) []string { return EventRow(evs[i]) },
		Style: func(i, col int) lipgloss.Style {
			if col == 1 {
				return LevelStyle(evs[i].RiskLevel, th)
			}
			return lipgloss.NewStyle()
		},
		Focused: focused,
	}
}

func helpGroups() []HelpGroup {
	return []HelpGroup{
		{Title: "Global", Keys: []KeyHint{{Key: "/", Desc: "search"}, {Key: "tab", Desc: "next focus"}, {Key: "esc", Desc: "back / cancel"}, {Key: "?", Desc: "help"}, {Key: "q", Desc: "quit"}}},
		{Title: "Lists", Keys: []KeyHint{{Key: "↑/k", Desc: "up"}, {Key: "↓/j", Desc: "down"}, {Key: "enter", Desc: "open"}, {Key: "y", Desc: "copy value"}, {Key: "o", Desc: "open in dashboard"}}},
		{Title: "User", Keys: []KeyHint{{Key: "s", Desc: "sort time/level"}, {Key: "f", Desc: "filter events"}, {Key: "R", Desc: "reset risk", Disabled: true, Why: "read-only mode"}}},
	}
}

func footerHints() []KeyHint {
	return []KeyHint{
		{Key: "enter", Desc: "open"}, {Key: "↑↓", Desc: "move"}, {Key: "esc", Desc: "back"}, {Key: "/", Desc: "search"},
		{Key: "R", Desc: "reset risk", Disabled: true, Why: "read-only"}, {Key: "y", Desc: "copy"}, {Key: "tab", Desc: "focus"},
		{Key: "?", Desc: "help"}, {Key: "q", Desc: "quit"},
	}
}
