package views

import (
	"fmt"
	"testing"

	"cftriage/cloudflare"
)

func TestDump(t *testing.T) {
	th := NewTheme(true, true)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		w, h := sz[0], sz[1]
		fmt.Println(Header(HeaderInfo{Profile: "default", Account: "Acme SOC", Demo: true, Quota: "1187/1200 · 4m12s", Busy: "⠋ looking up 203.0.113.7"}, w, th))
		fmt.Println(Tabs([]string{"IP", "Domain", "User"}, 0, w, th))
		fmt.Println(Breadcrumb([]string{"ip 203.0.113.7", "domain evil.example", "ip 198.51.100.4"}, w, th))
		fmt.Println(RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true), PDNSNote: "page 1 of 1 · 5 records", Subnets: subnets()}, w, h-4, th))
		fmt.Println(Footer(footerHints(), w, th))
		fmt.Println("-----")
		fmt.Println(RenderIP(IPPage{Info: cleanIPv6(), PDNS: pdnsTable(nil, true), PDNSNote: "passive DNS covers IPv4 only"}, w, h, th))
		fmt.Println("-----")
		fmt.Println(RenderDomain(DomainPage{Domain: riskyDomain(), IPs: ipsTable(riskyDomain().ResolvesToRefs, true), Whois: newWhois(), History: riskyHistory(), Now: fixedNow}, w, h, th))
		fmt.Println("-----")
		fmt.Println(RenderDomain(DomainPage{Domain: cleanDomain(), IPs: ipsTable(cleanDomain().ResolvesToRefs, true), Whois: cleanWhois(), Now: fixedNow, Section: 1}, w, h, th))
		fmt.Println("-----")
		evs := userEvents(240)
		reset := "2026-04-01T10:00:00Z"
		fmt.Println(RenderUser(UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{Email: "alice@example.com", RiskLevel: "high", LastResetTime: &reset, Events: evs}, Events: eventsTable(evs, th, true), Sort: "time ↓", EventCount: len(evs), ResetHint: "R reset risk"}, w, h, th))
		fmt.Println("-----")
		fmt.Println(RenderUser(UserPage{Email: "alice@example.com", Pick: &UserPick{Users: []cloudflare.AccessUser{*alice(), {ID: "0b9c8d7e-1111-2222-3333-444455556666", Email: "Alice@Example.com", Name: "Alice M. (contractor)"}}, Cursor: 1}}, w, h, th))
		fmt.Println("-----")
		ev := evs[0]
		fmt.Println(Overlay(Welcome([]string{"203.0.113.7", "evil.example", "alice@example.com"}, true, w, h, th), EventDetails(ev, FlattenDetails(ev.Details), 2, w-4, h-2, th), w, h))
		fmt.Println("-----")
		fmt.Println(Help(helpGroups(), w, h, th))
		fmt.Println(ErrorBox("Missing permission", "The token lacks Zero Trust: PII Read.\nAdd it in the dashboard under API Tokens.", w, th))
	}
}
