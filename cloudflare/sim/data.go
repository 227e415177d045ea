package sim

import (
	"cmp"
	"crypto/sha1"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"sync"
)

// The demo dataset. Everything here is immutable and shared by every Sim;
// dates are stored as offsets (days/minutes before the Sim's epoch) so a Sim
// created "now" still sees a newly registered domain as new. Per-Sim mutable
// state (risk resets) lives in Sim.

// category is a Cloudflare content or security category. IDs 80, 83, 131,
// 155 and 169 and super-categories 21 and 26 are Cloudflare's published ones;
// the others approximate Cloudflare's list closely enough for a demo.
type category struct {
	ID    int
	Name  string
	Super int
}

var (
	catMalware   = category{80, "Malware", 21}
	catC2        = category{83, "Command and Control & Botnet", 21}
	catPhishing  = category{131, "Phishing", 21}
	catSpam      = category{153, "Spam", 21}
	catDGA       = category{175, "DGA Domains", 21}
	catNewDomain = category{169, "New Domains", 32}
	catParked    = category{128, "Parked & For Sale Domains", 32}
	catTech      = category{155, "Technology", 26}
	catBusiness  = category{89, "Business", 7}
	catNews      = category{122, "News & Media", 12}
	catShopping  = category{141, "Ecommerce", 14}
)

// hostile strings: terminal escape sequences (OSC 52 clipboard write, clear
// screen) and a right-to-left override. They are deliberately placed in
// WHOIS, passive DNS and risk event details so every consumer must sanitize.
const (
	hostileOSC52 = "\x1b]52;c;ZXZpbA==\x07"
	hostileClear = "\x1b[2J"
	hostileRLO   = "\u202e"
)

type asnRec struct {
	Num     int
	Name    string // belongs_to_ref.description
	Country string
	Type    string // hosting_provider | isp | organization
	Subnets []string
}

type ipRec struct {
	Addr string
	ASN  int
	Risk []category
}

type pdnsRec struct {
	Host      string
	FirstDays int // days before epoch
	LastDays  int
}

type histSpan struct {
	Cats      []category
	StartDays int // days before epoch
	EndDays   int // days before epoch; 0 = still current (end = today)
}

type whoisRec struct {
	Registrar      string
	Registrant     string
	RegistrantOrg  string
	RegistrantCC   string
	RegistrantMail string
	CreatedDays    int // days before epoch
	UpdatedDays    int
	ExpiresDays    int // days after epoch
	Nameservers    []string
	Status         []string
	DNSSEC         bool
}

type domainRec struct {
	Name          string
	Content       []category
	Risk          []category
	RiskScore     float64
	Rank          int // popularity rank; 0 = unranked
	AppID         int
	AppName       string
	MalwareFamily string
	ResolvesTo    []string
	Whois         *whoisRec
	History       []histSpan
}

type dataset struct {
	asns    map[int]*asnRec
	asnPfx  []asnPrefix // for mapping unknown IPs to an ASN
	ips     map[string]*ipRec
	domains map[string]*domainRec
	pdns    map[string][]pdnsRec
}

type asnPrefix struct {
	pfx netip.Prefix
	asn int
}

const (
	asnCloudflare = 13335
	asnBulletZone = 64500 // bulletproof hoster (documentation ASN range)
	asnTelecom    = 64501 // eyeball ISP
	asnParking    = 64502 // cheap hoster / domain parking
	asnAcme       = 64503 // the demo company's own network
)

// Key indicators of the demo, also used by Suggestions and the tests.
const (
	IPRiskyC2      = "203.0.113.66"     // C2 + malware on a bulletproof hoster
	IPPhishing     = "203.0.113.80"     // phishing kit host
	IPCleanCF      = "192.0.2.10"       // acme-corp.example on Cloudflare
	IPParkingFarm  = "198.51.100.7"     // 275+ hostnames: passive DNS paging
	IPSharedHost   = "198.51.100.9"     // SharedHostCount hostnames: passive DNS over several 1,000-record pages
	IPResidential  = "198.51.100.150"   // ISP customer, no hostnames
	IPAcmeEgress   = "203.0.113.200"    // the company's office egress
	IPv6Risky      = "2001:db8:bad::66" // C2 over IPv6
	IPv6Clean      = "2001:db8:cf::10"  // acme-corp.example over IPv6
	DomainPhishing = "login-micros0ft-support.example"
	DomainC2       = "cdn-update.test" // C2; hostile WHOIS registrant
	DomainMalware  = "invoice-download.example"
	DomainDGA      = "qzvkhwyxbtrmjl.test" // suspected_malware_family set
	DomainNew      = "brand-new-shop.example"
	DomainParked   = "parked-domain-4sale.example"
	DomainClean    = "acme-corp.example"
	DomainPopular  = "popular-news.example"
)

// Users of the demo.
const (
	EmailNoEvents   = "alice.nguyen@acme-corp.example"
	EmailFewEvents  = "bob.martin@acme-corp.example"
	EmailManyEvents = "carol.diaz@acme-corp.example" // 10,000 events
	EmailTwoUsers   = "dana.lee@acme-corp.example"   // matches two Access users
	EmailIPv6Event  = "erin.kowalski@acme-corp.example"
	ManyEventsCount = 10000
)

// SharedHostCount is how many hostnames passive DNS knows on IPSharedHost
// in the default window.
const SharedHostCount = 5000

var (
	dataOnce sync.Once
	data     *dataset
)

func getData() *dataset {
	dataOnce.Do(func() { data = buildData() })
	return data
}

func buildData() *dataset {
	d := &dataset{
		asns:    map[int]*asnRec{},
		ips:     map[string]*ipRec{},
		domains: map[string]*domainRec{},
		pdns:    map[string][]pdnsRec{},
	}
	for _, a := range []*asnRec{
		{asnCloudflare, "CLOUDFLARENET", "US", "hosting_provider", []string{
			"192.0.2.0/24", "104.16.0.0/13", "172.64.0.0/13", "2001:db8:cf::/48", "2606:4700::/32"}},
		{asnBulletZone, "FLUXNET-BPH Bulletproof Hosting Ltd", "SC", "hosting_provider", []string{
			"203.0.113.0/25", "2001:db8:bad::/48"}},
		{asnTelecom, "EXAMPLE-TELECOM Residential Broadband", "DE", "isp", []string{
			"198.51.100.128/25", "2001:db8:7e1::/48"}},
		{asnParking, "PARKSERV-AS Domain Parking Services", "NL", "hosting_provider", []string{
			"198.51.100.0/26"}},
		{asnAcme, "ACME-CORP-AS", "US", "organization", []string{
			"203.0.113.128/25"}},
	} {
		d.asns[a.Num] = a
		for _, s := range a.Subnets {
			d.asnPfx = append(d.asnPfx, asnPrefix{netip.MustParsePrefix(s), a.Num})
		}
	}

	for _, ip := range []*ipRec{
		{IPRiskyC2, asnBulletZone, []category{catC2, catMalware}},
		{IPPhishing, asnBulletZone, []category{catPhishing}},
		{"203.0.113.99", asnBulletZone, []category{catSpam}},
		{IPv6Risky, asnBulletZone, []category{catC2}},
		{"2001:db8:bad::80", asnBulletZone, []category{catPhishing}},
		{IPCleanCF, asnCloudflare, nil},
		{"192.0.2.20", asnCloudflare, nil},
		{IPv6Clean, asnCloudflare, nil},
		{IPParkingFarm, asnParking, nil},
		{IPSharedHost, asnParking, nil},
		{"198.51.100.44", asnParking, nil},
		{IPResidential, asnTelecom, nil},
		{"198.51.100.201", asnTelecom, nil},
		{IPAcmeEgress, asnAcme, nil},
	} {
		d.ips[ip.Addr] = ip
	}

	privacyNS := []string{"ns1.fluxnet-dns.test", "ns2.fluxnet-dns.test"}
	cfNS := []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}
	for _, r := range []*domainRec{
		{
			Name: DomainPhishing, Risk: []category{catPhishing}, RiskScore: 0.98,
			ResolvesTo: []string{IPPhishing, "2001:db8:bad::80"},
			Whois: &whoisRec{Registrar: "Example Registrar, Inc.", Registrant: "REDACTED FOR PRIVACY",
				RegistrantOrg: "Privacy Protect, LLC", RegistrantCC: "IS", CreatedDays: 12, UpdatedDays: 12, ExpiresDays: 353,
				Nameservers: privacyNS, Status: []string{"clientTransferProhibited"}},
			History: []histSpan{{[]category{catNewDomain}, 12, 10}, {[]category{catNewDomain, catPhishing}, 10, 0}},
		},
		{
			Name: "secure-paypa1-verify.test", Risk: []category{catPhishing}, RiskScore: 0.95,
			ResolvesTo: []string{IPPhishing},
			History:    []histSpan{{[]category{catPhishing}, 40, 0}},
		},
		{
			Name: DomainC2, Content: []category{catTech}, Risk: []category{catC2, catMalware}, RiskScore: 0.99,
			ResolvesTo: []string{IPRiskyC2, IPv6Risky},
			Whois: &whoisRec{Registrar: "Example Registrar, Inc.",
				Registrant:    "Fluxnet Privacy" + hostileOSC52 + hostileClear + " Services",
				RegistrantOrg: "Shell Co " + hostileRLO + "moc.elgoog", RegistrantCC: "SC",
				RegistrantMail: "abuse@fluxnet-dns.test", CreatedDays: 97, UpdatedDays: 20, ExpiresDays: 268,
				Nameservers: privacyNS, Status: []string{"clientHold", "clientTransferProhibited"}},
			History: []histSpan{{[]category{catTech}, 97, 60}, {[]category{catTech, catMalware}, 60, 21}, {[]category{catC2, catMalware}, 21, 0}},
		},
		{
			Name: DomainMalware, Risk: []category{catMalware}, RiskScore: 0.91,
			ResolvesTo: []string{IPRiskyC2},
			History:    []histSpan{{[]category{catMalware}, 33, 0}},
		},
		{
			Name: DomainDGA, Risk: []category{catDGA, catMalware}, RiskScore: 0.87,
			MalwareFamily: "Necurs", ResolvesTo: []string{IPRiskyC2},
			Whois: &whoisRec{Registrar: "Example Registrar, Inc.", Registrant: "REDACTED FOR PRIVACY",
				RegistrantCC: "RU", CreatedDays: 6, UpdatedDays: 6, ExpiresDays: 359,
				Nameservers: privacyNS, Status: []string{"ok"}},
			History: []histSpan{{[]category{catNewDomain, catDGA}, 6, 0}},
		},
		{
			Name: DomainNew, Content: []category{catShopping}, Risk: []category{catNewDomain}, RiskScore: 0.46,
			ResolvesTo: []string{"198.51.100.44"},
			Whois: &whoisRec{Registrar: "Example Registrar, Inc.", Registrant: "Jordan Example",
				RegistrantOrg: "Brand New Shop", RegistrantCC: "NL", RegistrantMail: "owner@brand-new-shop.example",
				CreatedDays: 3, UpdatedDays: 3, ExpiresDays: 362,
				Nameservers: []string{"ns1.parkserv.test", "ns2.parkserv.test"}, Status: []string{"addPeriod"}},
			History: []histSpan{{[]category{catNewDomain, catShopping}, 3, 0}},
		},
		{
			Name: DomainParked, Risk: []category{catParked}, RiskScore: 0.21,
			ResolvesTo: []string{IPParkingFarm},
			History:    []histSpan{{[]category{catBusiness}, 900, 400}, {[]category{catParked}, 400, 0}},
		},
		{
			Name: DomainClean, Content: []category{catBusiness, catTech}, RiskScore: 0.01, Rank: 48213,
			AppID: 1187, AppName: "Acme Corp",
			ResolvesTo: []string{IPCleanCF, IPv6Clean},
			Whois: &whoisRec{Registrar: "Cloudflare, Inc.", Registrant: "DATA REDACTED",
				RegistrantOrg: "Acme Corp", RegistrantCC: "US", CreatedDays: 6210, UpdatedDays: 180, ExpiresDays: 1650,
				Nameservers: cfNS, Status: []string{"clientTransferProhibited"}, DNSSEC: true},
			History: []histSpan{{[]category{catBusiness}, 1500, 700}, {[]category{catBusiness, catTech}, 700, 0}},
		},
		{
			Name: DomainPopular, Content: []category{catNews}, RiskScore: 0, Rank: 312,
			ResolvesTo: []string{"192.0.2.20"},
			Whois: &whoisRec{Registrar: "Cloudflare, Inc.", Registrant: "DATA REDACTED",
				RegistrantOrg: "Popular News Media Group", RegistrantCC: "GB", CreatedDays: 9000, UpdatedDays: 300, ExpiresDays: 700,
				Nameservers: cfNS, Status: []string{"clientTransferProhibited", "serverDeleteProhibited"}, DNSSEC: true},
			History: []histSpan{{[]category{catNews}, 2000, 0}},
		},
	} {
		d.domains[r.Name] = r
	}

	d.pdns[IPRiskyC2] = []pdnsRec{
		{DomainC2, 97, 0},
		{"update." + DomainC2, 60, 1},
		{DomainMalware, 33, 0},
		{DomainDGA, 6, 0},
		{"x" + hostileClear + hostileOSC52 + "." + DomainC2, 9, 2},
		{"mail.fluxnet-dns.test", 400, 200}, // outside the default 30-day window
		{"old-c2-panel.test", 200, 95},
	}
	d.pdns[IPPhishing] = []pdnsRec{
		{DomainPhishing, 10, 0},
		{"www." + DomainPhishing, 10, 0},
		{"secure-paypa1-verify.test", 40, 0},
		{"account-verify-0365.example", 70, 45},
	}
	d.pdns[IPCleanCF] = []pdnsRec{{DomainClean, 1500, 0}, {"www." + DomainClean, 1500, 0}, {"mail." + DomainClean, 900, 0}}
	d.pdns["192.0.2.20"] = []pdnsRec{{DomainPopular, 2000, 0}, {"www." + DomainPopular, 2000, 0}}
	d.pdns["198.51.100.44"] = []pdnsRec{{DomainNew, 3, 0}}

	// The parking farm: one IP with hundreds of hostnames, so passive DNS
	// paging matters. 275 are seen within the default 30-day window, 15 are
	// older and only appear with an explicit start date.
	farm := []pdnsRec{{DomainParked, 400, 0}}
	for i, name := range parkedNames(289) {
		first, last := 5+i%20, i%4
		if i >= 274 {
			first, last = 120+i-274, 45+i-274
		}
		farm = append(farm, pdnsRec{name, first, last})
		d.domains[name] = &domainRec{Name: name, Risk: []category{catParked}, RiskScore: 0.2,
			ResolvesTo: []string{IPParkingFarm}, History: []histSpan{{[]category{catParked}, first, 0}}}
	}
	d.pdns[IPParkingFarm] = farm

	// A shared web host: thousands of small sites on one address, all
	// seen within the default window, so a full passive DNS takes several
	// pages even at 1,000 a page. Only passive DNS knows them (they are
	// unknown names to the domain endpoints), so the ASN's hosted-domain
	// figures stay those of the parking farm.
	shared := make([]pdnsRec, 0, SharedHostCount)
	for i := range SharedHostCount {
		shared = append(shared, pdnsRec{fmt.Sprintf("site-%04d.shared-host.example", i), 2 + i%25, i % 3})
	}
	d.pdns[IPSharedHost] = shared
	return d
}

// parkedNames generates n deterministic, clearly fake parked hostnames.
func parkedNames(n int) []string {
	adj := []string{"best", "cheap", "top", "my", "get", "smart", "easy", "prime", "quick", "the", "go", "super", "true"}
	noun := []string{"loans", "pharma", "casino", "deals", "crypto", "travel", "shoes", "vpn", "insurance", "hosting", "watches", "diet"}
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		out = append(out, fmt.Sprintf("%s-%s-%03d.example", adj[i%len(adj)], noun[(i/len(adj))%len(noun)], i))
	}
	return out
}

// asnOf maps an address to the ASN announcing it; addresses outside every
// subnet of the dataset are attributed to the eyeball ISP.
func (d *dataset) asnOf(a netip.Addr) int {
	if r, ok := d.ips[a.String()]; ok {
		return r.ASN
	}
	for _, p := range d.asnPfx {
		if p.pfx.Contains(a) {
			return p.asn
		}
	}
	return asnTelecom
}

// domainsOn lists the dataset's domains resolving into ASN n, ranked ones
// first (most popular first), then by name.
func (d *dataset) domainsOn(n int) []string {
	var recs []*domainRec
	for _, r := range d.domains {
		for _, ip := range r.ResolvesTo {
			if d.asnOf(netip.MustParseAddr(ip)) == n {
				recs = append(recs, r)
				break
			}
		}
	}
	slices.SortFunc(recs, func(a, b *domainRec) int {
		ra, rb := a.Rank, b.Rank
		if ra == 0 {
			ra = math.MaxInt
		}
		if rb == 0 {
			rb = math.MaxInt
		}
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a.Name, b.Name))
	})
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Name
	}
	return out
}

// lookupDomain returns the record for name, or for its closest known parent
// (inherited=true) so subdomains of known domains inherit their categories.
func (d *dataset) lookupDomain(name string) (rec *domainRec, inherited bool) {
	if r, ok := d.domains[name]; ok {
		return r, false
	}
	for rest := name; ; {
		_, after, ok := strings.Cut(rest, ".")
		if !ok || !strings.Contains(after, ".") {
			return nil, false
		}
		if r, ok := d.domains[after]; ok {
			return r, true
		}
		rest = after
	}
}

// stableUUID derives a deterministic RFC 4122-shaped UUID from seed.
func stableUUID(seed string) string {
	h := sha1.Sum([]byte(seed))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// stableHex32 derives a deterministic 32-hex-digit identifier from seed.
func stableHex32(seed string) string {
	h := sha1.Sum([]byte(seed))
	return fmt.Sprintf("%x", h[:16])
}
