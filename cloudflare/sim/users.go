package sim

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Zero Trust users and their risk events.

type userRec struct {
	ID        string
	Email     string
	Name      string
	LoginMins int // last successful login, minutes before epoch
	// Risk state as of the epoch, before any reset through the API.
	RiskLevel     string // "" = null
	LastResetDays int    // 0 = never reset (null)
	Events        []eventRec
	Generated     int // > 0: the user has this many generated events
}

type eventRec struct {
	ID      string
	Name    string
	Level   string
	Mins    int // minutes before epoch
	Details map[string]any
	Variant any // event_details in variant mode when set: not an object
}

type users struct {
	list    []*userRec
	byID    map[string]*userRec
	genOnce sync.Once
	gen     []eventRec // events of the user with Generated > 0
}

var (
	usersOnce sync.Once
	userData  *users
)

func getUsers() *users {
	usersOnce.Do(func() { userData = buildUsers() })
	return userData
}

func buildUsers() *users {
	u := &users{byID: map[string]*userRec{}}
	add := func(r *userRec) {
		r.ID = stableUUID("user:" + r.Email + ":" + r.Name)
		for i := range r.Events {
			r.Events[i].ID = stableUUID(fmt.Sprintf("event:%s:%d", r.ID, i))
		}
		u.list = append(u.list, r)
		u.byID[r.ID] = r
	}
	add(&userRec{Email: EmailNoEvents, Name: "Alice Nguyen", LoginMins: 35})
	add(&userRec{Email: EmailFewEvents, Name: "Bob Martin", LoginMins: 12, RiskLevel: "high", LastResetDays: 62,
		Events: []eventRec{
			{Name: "Impossible travel", Level: "high", Mins: 95, Details: map[string]any{
				"src_ip": IPRiskyC2, "previous_ip": IPAcmeEgress, "previous_country": "US", "country": "SC", "minutes_between": 14}},
			{Name: "Blocked request to a phishing domain", Level: "medium", Mins: 180, Details: map[string]any{
				"domain": DomainPhishing, "action": "block", "policy": "Block security threats", "resolved_ip": IPPhishing}},
			{Name: "Blocked request to a command and control domain", Level: "medium", Mins: 240, Details: map[string]any{
				"domain": DomainC2, "action": "block", "policy": "Block security threats"}},
			{Name: "High number of DLP policies triggered", Level: "medium", Mins: 1440 + 30, Details: map[string]any{
				"dlp_profile": "Financial Information", "matches": 41, "file_name": "invoice" + hostileRLO + "fdp.exe", "action": "block"}},
			{Name: "Unusual user agent", Level: "low", Mins: 2880 + 600, Details: map[string]any{
				"user_agent": "curl/8.4.0 " + hostileOSC52 + hostileClear, "src_ip": IPAcmeEgress}},
		}})
	add(&userRec{Email: EmailManyEvents, Name: "Carol Díaz", LoginMins: 3, RiskLevel: "high", Generated: ManyEventsCount})
	// Two Access users share one email (an Okta identity and a later
	// contractor account that differs only in case): the pick-list case.
	add(&userRec{Email: EmailTwoUsers, Name: "Dana Lee", LoginMins: 300, RiskLevel: "low",
		Events: []eventRec{
			{Name: "Sign-in from a new device", Level: "low", Mins: 320, Details: map[string]any{
				"src_ip": IPResidential, "device_os": "macOS 15.2"}},
			{Name: "Blocked request to a parked domain", Level: "low", Mins: 4000, Details: map[string]any{
				"domain": DomainParked, "action": "block"}, Variant: 3},
		}})
	add(&userRec{Email: "Dana.Lee@acme-corp.example", Name: "Dana Lee (contractor)", LoginMins: 60 * 24 * 40})
	add(&userRec{Email: EmailIPv6Event, Name: "Erin Kowalski", LoginMins: 50, RiskLevel: "high",
		Events: []eventRec{
			{Name: "Connection to a command and control server", Level: "high", Mins: 55, Details: map[string]any{
				"dst_ip": IPv6Risky, "domain": DomainC2, "action": "block", "device_name": "ERIN-LAPTOP"},
				Variant: []any{map[string]any{"dst_ip": IPv6Risky, "action": "block"}, DomainC2}},
			{Name: "Download of a newly registered domain's file", Level: "medium", Mins: 70, Details: map[string]any{
				"domain": DomainNew, "file_name": "setup.msi", "action": "isolate"},
				Variant: "setup.msi from " + DomainNew + " (isolated)"},
		}})
	add(&userRec{Email: "zoe.akesson@acme-corp.example", Name: "Zoë Åkesson", LoginMins: 800})
	// Ordinary employees so an unfiltered listing needs paging.
	first := []string{"Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Yuki", "Amara", "Ravi", "Ingrid"}
	last := []string{"Garcia", "Okafor", "Schmidt", "Tanaka", "Novak", "Haddad"}
	for i := 0; i < 34; i++ {
		f, l := first[i%len(first)], last[(i/len(first)+i)%len(last)]
		add(&userRec{Email: fmt.Sprintf("%s.%s%d@acme-corp.example", strings.ToLower(f), strings.ToLower(l), i),
			Name: f + " " + l, LoginMins: 90 * (i + 1)})
	}
	return u
}

// generated returns the deterministic events of the user with many events,
// built on first use (about 10k small maps; a few milliseconds).
func (u *users) generated() []eventRec {
	u.genOnce.Do(func() {
		var owner *userRec
		for _, r := range u.list {
			if r.Generated > 0 {
				owner = r
			}
		}
		u.gen = make([]eventRec, owner.Generated)
		domains := []string{DomainPhishing, DomainC2, DomainMalware, DomainDGA, DomainNew, DomainParked, "secure-paypa1-verify.test"}
		ips := []string{IPRiskyC2, IPPhishing, IPResidential, IPAcmeEgress, IPv6Risky, "198.51.100.201"}
		state := uint64(0x9e3779b97f4a7c15)
		next := func() uint64 { // splitmix64: cheap and deterministic
			state += 0x9e3779b97f4a7c15
			z := state
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
			z = (z ^ (z >> 27)) * 0x94d049bb133111eb
			return z ^ (z >> 31)
		}
		mins := 7
		for i := range u.gen {
			r := next()
			mins += 1 + int(r%25) // spread over roughly four months
			e := eventRec{ID: stableUUID(fmt.Sprintf("event:%s:%d", owner.ID, i)), Mins: mins}
			dom, ip := domains[(r>>8)%uint64(len(domains))], ips[(r>>16)%uint64(len(ips))]
			switch (r >> 24) % 6 {
			case 0:
				e.Name, e.Level = "Blocked request to a security risk", "medium"
				e.Details = map[string]any{"domain": dom, "action": "block"}
			case 1:
				e.Name, e.Level = "Impossible travel", "high"
				e.Details = map[string]any{"src_ip": ip, "previous_ip": IPAcmeEgress}
			case 2:
				e.Name, e.Level = "High number of DLP policies triggered", "high"
				e.Details = map[string]any{"dlp_profile": "Source Code", "matches": int(r>>32) % 90, "action": "block"}
			case 3:
				e.Name, e.Level = "Sign-in from a new device", "low"
				e.Details = map[string]any{"src_ip": ip, "device_os": "Windows 11"}
			case 4:
				e.Name, e.Level = "Connection to a command and control server", "high"
				e.Details = map[string]any{"dst_ip": IPRiskyC2, "domain": DomainC2, "action": "block"}
			default:
				e.Name, e.Level = "Endpoint posture check failed", "low"
				e.Details = map[string]any{"check": "Disk encryption", "device_name": fmt.Sprintf("CAROL-PC-%02d", r%7)}
			}
			if i%997 == 500 { // a few hostile details deep in the list
				e.Details["user_agent"] = "Mozilla/5.0 " + hostileOSC52 + hostileClear + hostileRLO
			}
			u.gen[i] = e
		}
	})
	return u.gen
}

// eventsOf returns a user's events as of the epoch, newest first.
func (u *users) eventsOf(r *userRec) []eventRec {
	if r.Generated > 0 {
		return u.generated()
	}
	return r.Events
}

// userState is a Sim's mutable view of one user (after a reset).
type userState struct {
	resetAt time.Time
}

func maxLevel(evs []eventRec) string {
	rank := map[string]int{"low": 1, "medium": 2, "high": 3}
	best := ""
	for _, e := range evs {
		if rank[e.Level] > rank[best] {
			best = e.Level
		}
	}
	return best
}
