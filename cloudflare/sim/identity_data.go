package sim

import (
	"fmt"
	"strings"
	"sync"
)

// The identity side of the demo dataset: for every Access user a last seen
// identity, sessions, an authentication log (its denied entries are the
// user's failed logins) and WARP devices; the account's risk behaviors and
// risk-score integrations. The users of the risky-users summary are last
// seen from suspicious IPs of the intel dataset, so a pivot from the last
// seen IP leads somewhere:
//
//	bob.martin     203.0.113.66 (IPRiskyC2, C2 + malware), SC; 3 sessions, 3 failed
//	               logins from that IP, the 14-minute hop from the office egress that
//	               his "Impossible travel" event names; devices BOB-MACBOOK, bob-iphone
//	carol.diaz     203.0.113.80 (IPPhishing), SC; a failed disk-encryption posture check;
//	               3 devices (one never seen), so per_page=1 pages by cursor
//	dana.lee       203.0.113.99 (spam), SC; the contractor account with the same email is
//	               last seen 40 days ago from a residential IP, without WARP or sessions
//	erin.kowalski  2001:db8:bad::66 (IPv6Risky), SC; 2 failed logins
//	everyone else  the office egress 203.0.113.200 (Alice), a residential IP (Zoë), or
//	               the office egress with one laptop each (the employees); a session
//	               when they signed in within the last 24 hours
//
// Behaviors: imp_travel (high) and high_dlp (medium) enabled, sentinel_one
// disabled. Integrations: one active Okta integration (tenant OktaTenantURL,
// reference_id the Okta IdP of every identity) and an inactive older one.
// Revoking a user's sessions clears them (and, with devices, the devices'
// active registrations) for that Sim.

// OktaTenantURL is the tenant of the demo's active risk-score integration.
const OktaTenantURL = "https://acme-corp.okta.example"

// SessionTTL is how long a demo Access session lasts, in seconds.
const SessionTTL = 24 * 60 * 60

// IPDanaLastSeen is where the low-risk Dana Lee was last seen (spam).
const IPDanaLastSeen = "203.0.113.99"

type simApp struct {
	Key, Name, Host string
}

func (a simApp) UID() string { return stableUUID("app:" + a.Key) }
func (a simApp) Aud() string { return stableHex32("aud:"+a.Key) + stableHex32("aud2:"+a.Key) }

var identityApps = map[string]simApp{
	"wiki":    {"wiki", "Internal Wiki", "wiki.acme-corp.example"},
	"grafana": {"grafana", "Grafana", "grafana.acme-corp.example"},
	"payroll": {"payroll", "Payroll", "payroll.acme-corp.example"},
	"admin":   {"admin", "Admin console", "admin.acme-corp.example"},
}

// loginRec is one authentication log entry; a denied one is also a failed
// login.
type loginRec struct {
	App   string
	Mins  int // minutes before epoch
	IP    string
	OK    bool
	Extra map[string]any // more failed-login metadata (free-form)
}

type sessionRec struct {
	Apps []string
	Mins int // issued, minutes before epoch
}

type postureRec struct {
	Rule, Type, Error string
	OK                bool
}

type deviceRec struct {
	Name, Type, OS, OSExtra, Model, Maker, Serial, MAC string
	Owner                                              *userRec
	SeenMins                                           int // < 0: never seen (last_seen_at null)
	CreatedDays                                        int
}

func (d *deviceRec) ID() string { return stableUUID("device:" + d.Name) }

type identityRec struct {
	User          *userRec
	IP, Country   string
	WARP, Gateway bool
	Device        *deviceRec // last seen on; nil: no WARP device
	Posture       []postureRec
	Sessions      []sessionRec
	Logins        []loginRec
}

type identities struct {
	byUser  map[string]*identityRec
	devices []*deviceRec
}

var (
	identOnce sync.Once
	identData *identities
)

func getIdentities() *identities {
	identOnce.Do(func() { identData = buildIdentities() })
	return identData
}

func buildIdentities() *identities {
	out := &identities{byUser: map[string]*identityRec{}}
	dev := func(u *userRec, name, typ string, seen, created int) *deviceRec {
		d := &deviceRec{Name: name, Type: typ, Owner: u, SeenMins: seen, CreatedDays: created,
			Serial: strings.ToUpper(stableHex32("serial:" + name)[:12]), MAC: macOf(name)}
		switch typ {
		case "mac":
			d.OS, d.Model, d.Maker = "15.3.1", "MacBookPro18,3", "Apple Inc."
		case "ios":
			d.OS, d.Model, d.Maker = "18.3", "iPhone15,2", "Apple Inc."
		case "windows":
			d.OS, d.OSExtra, d.Model, d.Maker = "10.0.22631", "4890", "Latitude 7440", "Dell Inc."
		case "linux":
			d.OS, d.OSExtra, d.Model, d.Maker = "6.8.0", "Ubuntu 24.04", "ThinkPad X1 Carbon Gen 11", "LENOVO"
		}
		out.devices = append(out.devices, d)
		return d
	}
	office := func(u *userRec, rec *identityRec) {
		// A few ordinary sign-ins from the office over the last days.
		for day := 1; day <= 3; day++ {
			rec.Logins = append(rec.Logins, loginRec{App: "wiki", Mins: day*24*60 + 9*60 + len(u.Email)%50, IP: IPAcmeEgress, OK: true})
		}
	}
	for _, u := range getUsers().list {
		rec := &identityRec{User: u, WARP: true, Gateway: true}
		local, _, _ := strings.Cut(u.Email, "@")
		switch strings.ToLower(u.Email) {
		case EmailFewEvents:
			rec.IP, rec.Country, rec.Gateway = IPRiskyC2, "SC", false
			rec.Device = dev(u, "BOB-MACBOOK", "mac", u.LoginMins, 610)
			dev(u, "bob-iphone", "ios", 2*24*60, 300)
			rec.Posture = []postureRec{{Rule: "Firewall enabled", Type: "firewall", OK: true}, {Rule: "Disk encryption", Type: "disk_encryption", OK: true}}
			rec.Sessions = []sessionRec{{[]string{"wiki"}, u.LoginMins}, {[]string{"grafana"}, u.LoginMins}, {[]string{"admin"}, 95}}
			rec.Logins = []loginRec{
				{App: "admin", Mins: 109, IP: IPAcmeEgress, OK: true},
				{App: "admin", Mins: 95, IP: IPRiskyC2, OK: true},
				{App: "payroll", Mins: 97, IP: IPRiskyC2},
				{App: "payroll", Mins: 150, IP: IPRiskyC2, Extra: map[string]any{"user_agent": "curl/8.4.0 " + hostileOSC52 + hostileClear}},
				{App: "payroll", Mins: 20, IP: IPRiskyC2},
				{App: "wiki", Mins: u.LoginMins, IP: IPRiskyC2, OK: true},
				{App: "grafana", Mins: u.LoginMins, IP: IPRiskyC2, OK: true},
			}
			office(u, rec)
		case EmailManyEvents:
			rec.IP, rec.Country = IPPhishing, "SC"
			rec.Device = dev(u, "CAROL-PC-03", "windows", u.LoginMins, 420)
			dev(u, "CAROL-PC-01", "windows", 20*24*60, 800)
			old := dev(u, "CAROL-PC-05", "windows", -1, 14)
			old.Model = "OptiPlex 7090" + hostileRLO + "exe.gpj"
			rec.Posture = []postureRec{{Rule: "Disk encryption", Type: "disk_encryption", Error: "BitLocker is off on C:"}, {Rule: "Firewall enabled", Type: "firewall", OK: true}}
			rec.Sessions = []sessionRec{{[]string{"grafana"}, u.LoginMins}}
			rec.Logins = []loginRec{
				{App: "grafana", Mins: u.LoginMins, IP: IPPhishing, OK: true},
				{App: "payroll", Mins: 40, IP: IPPhishing},
			}
			office(u, rec)
		case EmailTwoUsers:
			if u.Name == "Dana Lee" {
				rec.IP, rec.Country = IPDanaLastSeen, "SC"
				rec.Device = dev(u, "DANA-MBP", "mac", u.LoginMins, 200)
				rec.Sessions = []sessionRec{{[]string{"wiki"}, u.LoginMins}}
				rec.Logins = []loginRec{
					{App: "wiki", Mins: u.LoginMins, IP: IPDanaLastSeen, OK: true},
					{App: "wiki", Mins: 320, IP: IPResidential, OK: true},
				}
				office(u, rec)
			} else { // the contractor: no WARP, signed in long ago
				rec.IP, rec.Country, rec.WARP, rec.Gateway = "198.51.100.201", "DE", false, false
				rec.Logins = []loginRec{{App: "wiki", Mins: u.LoginMins, IP: "198.51.100.201", OK: true}}
			}
		case EmailIPv6Event:
			rec.IP, rec.Country = IPv6Risky, "SC"
			rec.Device = dev(u, "ERIN-LAPTOP", "windows", u.LoginMins, 350)
			rec.Sessions = []sessionRec{{[]string{"wiki"}, u.LoginMins}, {[]string{"grafana"}, u.LoginMins}}
			rec.Logins = []loginRec{
				{App: "wiki", Mins: u.LoginMins, IP: IPv6Risky, OK: true},
				{App: "grafana", Mins: u.LoginMins, IP: IPv6Risky, OK: true},
				{App: "admin", Mins: 52, IP: IPv6Risky},
				{App: "admin", Mins: 53, IP: IPv6Risky},
			}
			office(u, rec)
		default:
			rec.IP, rec.Country = IPAcmeEgress, "US"
			typ, name := "windows", strings.ReplaceAll(local, ".", "-")+"-laptop"
			switch u.Email {
			case EmailNoEvents:
				typ, name = "mac", "ALICE-MBP"
			case "zoe.akesson@acme-corp.example":
				rec.IP, rec.Country = IPResidential, "DE"
				typ, name = "linux", "zoe-thinkpad"
			}
			rec.Device = dev(u, name, typ, u.LoginMins, 100+len(u.Email))
			if u.LoginMins < SessionTTL/60 {
				rec.Sessions = []sessionRec{{[]string{"wiki"}, u.LoginMins}}
			}
			rec.Logins = []loginRec{{App: "wiki", Mins: u.LoginMins, IP: rec.IP, OK: true}}
			office(u, rec)
		}
		out.byUser[u.ID] = rec
	}
	return out
}

func macOf(name string) string {
	h := stableHex32("mac:" + name)
	return fmt.Sprintf("%s:%s:%s:%s:%s:%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12])
}

type behaviorRec struct {
	ID, Name, Description, Level string
	Enabled                      bool
}

// riskBehaviors are the account's behaviors (names and descriptions as
// the API returns them; which are enabled is the demo's choice).
var riskBehaviors = []behaviorRec{
	{"imp_travel", "Impossible Travel", "A user had a successful Access application log in from two locations that they could not have traveled to in that period of time.", "high", true},
	{"high_dlp", "High Number of DLP Policies Triggered", "User has triggered an active DLP profile in a Gateway policy fifteen times or more within one minute.", "medium", true},
	{"sentinel_one", "SentinelOne Infection Detected", "User is signed in on a device where Sentinel One EDR detects an active threat or infection.", "medium", false},
}

// oktaIdPID is the Access identity provider every demo identity used, and
// the reference_id of the active integration.
var oktaIdPID = stableUUID("idp:okta")
