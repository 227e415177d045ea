package sim

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- time helpers: the dataset is expressed relative to the epoch ----

func (s *Sim) daysAgo(n int) time.Time { return s.epoch.Add(-time.Duration(n) * 24 * time.Hour) }
func (s *Sim) minsAgo(n int) time.Time { return s.epoch.Add(-time.Duration(n) * time.Minute) }

func dateOf(t time.Time) string      { return t.UTC().Format(time.DateOnly) }
func timestampOf(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ---- parameters ----

// query returns the first value of name and whether it was given at all.
func query(r *http.Request, name string) (string, bool) {
	v, has := r.URL.Query()[name]
	if !has || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func boolParam(r *http.Request, name string) (bool, *response) {
	v, has := query(r, name)
	if !has {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		resp := badParam(name, "must be true or false")
		return false, &resp
	}
	return b, nil
}

// intParam parses an integral page/per_page value (the contract types some
// as number, so "2.0" is accepted but "2.5" is not).
func intParam(r *http.Request, name string, def, lo, hi int) (int, *response) {
	v, has := query(r, name)
	if !has {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		resp := badParam(name, fmt.Sprintf("must be an integer between %d and %d", lo, hi))
		return 0, &resp
	}
	return int(f), nil
}

// domainParam validates a hostname as the intel endpoints want it: ASCII
// (IDNs in punycode), at least two labels, no scheme, path or port.
func domainParam(raw string) (string, bool) {
	d := strings.ToLower(raw)
	if len(d) == 0 || len(d) > 253 {
		return "", false
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return d, true
}

func requireDomain(r *http.Request) (string, *response) {
	v, has := query(r, "domain")
	if !has || v == "" {
		resp := badParam("domain", "a domain name is required")
		return "", &resp
	}
	d, valid := domainParam(v)
	if !valid {
		resp := badParam("domain", "not a valid domain name")
		return "", &resp
	}
	return d, nil
}

// ---- JSON shapes ----

type catJSON struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Super int    `json:"super_category_id,omitempty"`
}

func cats(cs []category) []catJSON {
	out := make([]catJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, catJSON{c.ID, c.Name, c.Super})
	}
	return out
}

type refJSON struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

type appJSON struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type addlJSON struct {
	SuspectedMalwareFamily string `json:"suspected_malware_family,omitempty"`
}

type domainJSON struct {
	Domain                     string    `json:"domain"`
	ContentCategories          []catJSON `json:"content_categories"`
	InheritedContentCategories []catJSON `json:"inherited_content_categories"`
	RiskTypes                  []catJSON `json:"risk_types"`
	InheritedRiskTypes         []catJSON `json:"inherited_risk_types"`
	InheritedFrom              string    `json:"inherited_from,omitempty"`
	RiskScore                  float64   `json:"risk_score"`
	PopularityRank             *int      `json:"popularity_rank,omitempty"`
	Application                *appJSON  `json:"application,omitempty"`
	AdditionalInformation      addlJSON  `json:"additional_information"`
	ResolvesToRefs             any       `json:"resolves_to_refs,omitempty"` // nil when skipped or in bulk
}

func stixRef(ip string) refJSON {
	kind := "ipv4-addr"
	if strings.Contains(ip, ":") {
		kind = "ipv6-addr"
	}
	return refJSON{ID: kind + "--" + stableUUID("stix:"+ip), Value: ip}
}

func domainView(name string, withRank, withDNS bool) domainJSON {
	rec, inherited := getData().lookupDomain(name)
	out := domainJSON{
		Domain:                     name,
		ContentCategories:          []catJSON{},
		InheritedContentCategories: []catJSON{},
		RiskTypes:                  []catJSON{},
		InheritedRiskTypes:         []catJSON{},
	}
	refs := []refJSON{}
	if rec != nil {
		if inherited {
			out.InheritedFrom = rec.Name
			out.InheritedContentCategories = cats(rec.Content)
			out.InheritedRiskTypes = cats(rec.Risk)
		} else {
			out.ContentCategories = cats(rec.Content)
			out.RiskTypes = cats(rec.Risk)
			if withRank && rec.Rank > 0 {
				rank := rec.Rank
				out.PopularityRank = &rank
			}
			if rec.AppID != 0 {
				out.Application = &appJSON{rec.AppID, rec.AppName}
			}
			out.AdditionalInformation.SuspectedMalwareFamily = rec.MalwareFamily
		}
		out.RiskScore = rec.RiskScore
		for _, ip := range rec.ResolvesTo {
			refs = append(refs, stixRef(ip))
		}
	}
	if withDNS {
		out.ResolvesToRefs = refs
	}
	return out
}

// ---- intel ----

type belongsJSON struct {
	ID          string `json:"id"`
	Country     string `json:"country"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Value       any    `json:"value"` // a string; a number in variant mode
}

type ipJSON struct {
	IP           string      `json:"ip"`
	BelongsToRef belongsJSON `json:"belongs_to_ref"`
	RiskTypes    []catJSON   `json:"risk_types"`
}

func (s *Sim) ipOverview(c *call) response {
	v4, has4 := query(c.r, "ipv4")
	v6, has6 := query(c.r, "ipv6")
	var addr netip.Addr
	switch {
	case has4 && has6:
		return badParam("ipv4", "give either ipv4 or ipv6, not both")
	case has4:
		a, err := netip.ParseAddr(v4)
		if err != nil || !a.Is4() {
			return badParam("ipv4", "not a valid IPv4 address")
		}
		addr = a
	case has6:
		a, err := netip.ParseAddr(v6)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return badParam("ipv6", "not a valid IPv6 address")
		}
		addr = a
	default:
		return badParam("ipv4", "ipv4 or ipv6 is required")
	}
	d := getData()
	ip := addr.String()
	asn := d.asns[d.asnOf(addr)]
	out := ipJSON{
		IP: ip,
		BelongsToRef: belongsJSON{
			ID:          "autonomous-system--" + stableUUID(fmt.Sprint("asn:", asn.Num)),
			Country:     asn.Country,
			Description: asn.Name,
			Type:        asn.Type,
			Value:       strconv.Itoa(asn.Num),
		},
		RiskTypes: []catJSON{},
	}
	if s.variants { // the docs' example and the older Go SDK: a number
		out.BelongsToRef.Value = asn.Num
	}
	if rec, known := d.ips[ip]; known {
		out.RiskTypes = cats(rec.Risk)
	}
	return ok([]ipJSON{out})
}

func (s *Sim) domainOverview(c *call) response {
	d, bad := requireDomain(c.r)
	if bad != nil {
		return *bad
	}
	skipDNS, bad := boolParam(c.r, "skip_dns")
	if bad != nil {
		return *bad
	}
	skipRank, bad := boolParam(c.r, "skip_ranking")
	if bad != nil {
		return *bad
	}
	return ok(domainView(d, !skipRank, !skipDNS))
}

// maxBulkDomains is the simulator's cap on one bulk request.
const maxBulkDomains = 10

func (s *Sim) domainBulk(c *call) response {
	names := c.r.URL.Query()["domain"]
	if len(names) == 0 {
		return badParam("domain", "at least one domain is required")
	}
	if len(names) > maxBulkDomains {
		return badParam("domain", fmt.Sprintf("at most %d domains per request", maxBulkDomains))
	}
	withRank, bad := boolParam(c.r, "include_ranking")
	if bad != nil {
		return *bad
	}
	if _, bad := boolParam(c.r, "skip_ranking"); bad != nil {
		return *bad
	}
	out := make([]domainJSON, 0, len(names))
	for _, n := range names {
		d, valid := domainParam(n)
		if !valid {
			return badParam("domain", fmt.Sprintf("%q is not a valid domain name", n))
		}
		out = append(out, domainView(d, withRank, false))
	}
	return ok(out)
}

type pdnsJSON struct {
	Hostname  string `json:"hostname"`
	FirstSeen string `json:"first_seen"`
	LastSeen  string `json:"last_seen"`
}

type pdnsResult struct {
	Count          int        `json:"count"`
	Page           int        `json:"page"`
	PerPage        int        `json:"per_page"`
	ReverseRecords []pdnsJSON `json:"reverse_records"`
}

func (s *Sim) passiveDNS(c *call) response {
	v, has := query(c.r, "ipv4")
	if !has || v == "" {
		return badParam("ipv4", "an IPv4 address is required")
	}
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return badParam("ipv4", "not a valid IPv4 address (passive DNS supports IPv4 only)")
	}
	page, bad := intParam(c.r, "page", 1, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	// The API documents no maximum page size; none is invented here.
	perPage, bad := intParam(c.r, "per_page", 20, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	today := s.epoch.Truncate(24 * time.Hour)
	end := today
	if v, has := query(c.r, "end"); has {
		if end, err = time.Parse(time.DateOnly, v); err != nil {
			return badParam("end", "must be a date such as 2024-04-30")
		}
	}
	start := end.AddDate(0, 0, -30)
	if v, has := query(c.r, "start"); has {
		if start, err = time.Parse(time.DateOnly, v); err != nil {
			return badParam("start", "must be a date such as 2024-04-01")
		}
	}
	if start.After(end) {
		return badParam("start", "must not be after end")
	}
	var recs []pdnsJSON
	for _, p := range getData().pdns[a.String()] {
		first, last := s.daysAgo(p.FirstDays).Truncate(24*time.Hour), s.daysAgo(p.LastDays).Truncate(24*time.Hour)
		if last.Before(start) || first.After(end) {
			continue
		}
		recs = append(recs, pdnsJSON{p.Host, dateOf(first), dateOf(last)})
	}
	// Most recently seen first; hostname breaks ties so pages are stable.
	slices.SortStableFunc(recs, func(x, y pdnsJSON) int {
		return cmp.Or(cmp.Compare(y.LastSeen, x.LastSeen), cmp.Compare(x.Hostname, y.Hostname))
	})
	out := pdnsResult{Count: len(recs), Page: page, PerPage: perPage, ReverseRecords: []pdnsJSON{}}
	if from := (page - 1) * perPage; from < len(recs) {
		out.ReverseRecords = recs[from:min(from+perPage, len(recs))]
	}
	if !s.variants {
		return ok(out)
	}
	// The docs' reading: date-times, and result_info beside count.
	for i, r := range out.ReverseRecords {
		out.ReverseRecords[i] = pdnsJSON{r.Hostname, dateTimeOf(r.FirstSeen), dateTimeOf(r.LastSeen)}
	}
	return okPaged(out, resultInfo{Page: page, PerPage: perPage, Count: len(out.ReverseRecords), TotalCount: len(recs),
		TotalPages: (len(recs) + perPage - 1) / perPage})
}

// dateTimeOf turns a dataset date ("2026-03-14") into the date-time the
// docs show for the same day.
func dateTimeOf(date string) string { return date + "T00:00:00Z" }

func asnParam(c *call) (int, *response) {
	raw := c.vars[asnSegment]
	n, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || n == 0 {
		resp := badParam("asn", "must be an AS number such as 13335 (no AS prefix)")
		return 0, &resp
	}
	return int(n), nil
}

type asnInfoJSON struct {
	ASN         int      `json:"asn"`
	Description string   `json:"description,omitempty"`
	Country     string   `json:"country,omitempty"`
	Type        string   `json:"type,omitempty"`
	DomainCount *int     `json:"domain_count,omitempty"`
	TopDomains  []string `json:"top_domains,omitempty"`
}

// maxTopDomains is how many top_domains the array variant lists.
const maxTopDomains = 10

// asnOverview answers the contract's bare integer. In variant mode an ASN
// hosting dataset domains answers the older Go SDK's array (with
// domain_count and top_domains), any other the docs' object.
func (s *Sim) asnOverview(c *call) response {
	n, bad := asnParam(c)
	if bad != nil {
		return *bad
	}
	if !s.variants {
		return ok(n)
	}
	d := getData()
	a, known := d.asns[n]
	if !known {
		return ok(asnInfoJSON{ASN: n})
	}
	info := asnInfoJSON{ASN: n, Description: a.Name, Country: a.Country, Type: a.Type}
	hosted := d.domainsOn(n)
	if len(hosted) == 0 {
		return ok(info)
	}
	count := len(hosted)
	info.DomainCount = &count
	info.TopDomains = hosted[:min(len(hosted), maxTopDomains)]
	return ok([]asnInfoJSON{info})
}

type subnetsJSON struct {
	ASN          int      `json:"asn"`
	Count        int      `json:"count"`
	IPCountTotal int      `json:"ip_count_total"`
	Page         int      `json:"page"`
	PerPage      int      `json:"per_page"`
	Subnets      []string `json:"subnets"`
}

// asnSubnets answers without the envelope, as the real endpoint does.
// ip_count_total counts IPv4 addresses only (IPv6 sizes would overflow).
func (s *Sim) asnSubnets(c *call) response {
	n, bad := asnParam(c)
	if bad != nil {
		return *bad
	}
	out := subnetsJSON{ASN: n, Page: 1, PerPage: 100, Subnets: []string{}}
	if a, known := getData().asns[n]; known {
		for _, sn := range a.Subnets {
			out.Subnets = append(out.Subnets, sn)
			if p := netip.MustParsePrefix(sn); p.Addr().Is4() {
				out.IPCountTotal += 1 << (32 - p.Bits())
			}
		}
	}
	out.Count = len(out.Subnets)
	return response{status: http.StatusOK, body: encode(out)}
}

type whoisJSON struct {
	Domain            string   `json:"domain"`
	Found             bool     `json:"found"`
	ID                string   `json:"id,omitempty"`
	Extension         string   `json:"extension"`
	Punycode          string   `json:"punycode"`
	Registrar         string   `json:"registrar"`
	Registrant        string   `json:"registrant"`
	RegistrantOrg     string   `json:"registrant_org,omitempty"`
	RegistrantCountry string   `json:"registrant_country,omitempty"`
	RegistrantEmail   string   `json:"registrant_email,omitempty"`
	CreatedDate       string   `json:"created_date,omitempty"`
	CreatedDateRaw    string   `json:"created_date_raw,omitempty"`
	UpdatedDate       string   `json:"updated_date,omitempty"`
	UpdatedDateRaw    string   `json:"updated_date_raw,omitempty"`
	ExpirationDate    string   `json:"expiration_date,omitempty"`
	ExpirationDateRaw string   `json:"expiration_date_raw,omitempty"`
	Nameservers       []string `json:"nameservers"`
	Status            []string `json:"status,omitempty"`
	DNSSEC            bool     `json:"dnssec"`
	WhoisServer       string   `json:"whois_server,omitempty"`
}

func (s *Sim) whois(c *call) response {
	d, bad := requireDomain(c.r)
	if bad != nil {
		return *bad
	}
	rec, _ := getData().lookupDomain(d)
	name := d
	if rec != nil {
		name = rec.Name // WHOIS is about the registered domain
	} else if labels := strings.Split(d, "."); len(labels) > 2 {
		name = strings.Join(labels[len(labels)-2:], ".")
	}
	tld := name[strings.LastIndex(name, ".")+1:]
	out := whoisJSON{Domain: name, Extension: tld, Punycode: name, Nameservers: []string{}}
	if rec == nil {
		return ok(out)
	}
	w := rec.Whois
	if w == nil { // a plausible privacy-redacted record for the rest
		oldest := 0
		for _, h := range rec.History {
			oldest = max(oldest, h.StartDays)
		}
		w = &whoisRec{Registrar: "Example Registrar, Inc.", Registrant: "REDACTED FOR PRIVACY",
			CreatedDays: oldest + 1, UpdatedDays: oldest / 2, ExpiresDays: 365 - (oldest+1)%365,
			Nameservers: []string{"ns1.parkserv.test", "ns2.parkserv.test"}, Status: []string{"clientTransferProhibited"}}
	}
	created := s.daysAgo(w.CreatedDays).Add(-7*time.Hour - 13*time.Minute)
	updated := s.daysAgo(w.UpdatedDays).Add(-2 * time.Hour)
	expires := created.AddDate(0, 0, w.CreatedDays+w.ExpiresDays)
	const iso, raw = "2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05Z"
	out.Found = true
	out.ID = fmt.Sprintf("%d_DOMAIN_%s-SIM", 1e9+int(created.Unix()%1e9), strings.ToUpper(tld))
	out.Registrar = w.Registrar
	out.Registrant = w.Registrant
	out.RegistrantOrg = w.RegistrantOrg
	out.RegistrantCountry = w.RegistrantCC
	out.RegistrantEmail = w.RegistrantMail
	out.CreatedDate, out.CreatedDateRaw = created.UTC().Format(iso), created.UTC().Format(raw)
	out.UpdatedDate, out.UpdatedDateRaw = updated.UTC().Format(iso), updated.UTC().Format(raw)
	out.ExpirationDate, out.ExpirationDateRaw = expires.UTC().Format(iso), expires.UTC().Format(raw)
	if s.variants { // dates, not date-times
		out.CreatedDate, out.UpdatedDate, out.ExpirationDate = dateOf(created), dateOf(updated), dateOf(expires)
	}
	out.Nameservers = slices.Clone(w.Nameservers)
	out.Status = slices.Clone(w.Status)
	out.DNSSEC = w.DNSSEC
	out.WhoisServer = "whois.example-registrar.test"
	return ok(out)
}

type categorizationJSON struct {
	Categories []catJSON `json:"categories"`
	Start      string    `json:"start"`
	End        string    `json:"end,omitempty"` // always set but in variant mode
}

type historyJSON struct {
	Domain          string               `json:"domain"`
	Categorizations []categorizationJSON `json:"categorizations"`
}

// domainHistory answers an empty array for a domain never categorized; the
// timeline is oldest first and the current span ends today. In variant
// mode the dates are date-times and the current span has no end.
func (s *Sim) domainHistory(c *call) response {
	d, bad := requireDomain(c.r)
	if bad != nil {
		return *bad
	}
	rec, inherited := getData().lookupDomain(d)
	if rec == nil || inherited || len(rec.History) == 0 {
		return ok([]historyJSON{})
	}
	h := historyJSON{Domain: d}
	for _, span := range rec.History {
		cs := make([]catJSON, 0, len(span.Cats))
		for _, c := range span.Cats {
			cs = append(cs, catJSON{ID: c.ID, Name: c.Name})
		}
		cz := categorizationJSON{cs, dateOf(s.daysAgo(span.StartDays)), dateOf(s.daysAgo(span.EndDays))}
		if s.variants {
			cz.Start, cz.End = dateTimeOf(cz.Start), dateTimeOf(cz.End)
			if span.EndDays == 0 {
				cz.End = ""
			}
		}
		h.Categorizations = append(h.Categorizations, cz)
	}
	return ok([]historyJSON{h})
}

// ---- Zero Trust users and risk ----

type accessUserJSON struct {
	ID                  string `json:"id"`
	UID                 string `json:"uid"`
	Email               string `json:"email"`
	Name                string `json:"name"`
	LastSuccessfulLogin string `json:"last_successful_login"`
	AccessSeat          bool   `json:"access_seat"`
	GatewaySeat         bool   `json:"gateway_seat"`
	ActiveDeviceCount   int    `json:"active_device_count"`
	SeatUID             string `json:"seat_uid"`
	CreatedAt           string `json:"created_at"`
	UpdatedAt           string `json:"updated_at"`
}

// accessUsers filters like the real endpoint: email and name match whole
// values case-insensitively (so one email may still return several users;
// Options.EmailCaseSensitive makes email= exact), search matches a
// substring of either.
func (s *Sim) accessUsers(c *call) response {
	page, bad := intParam(c.r, "page", 1, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	perPage, bad := intParam(c.r, "per_page", 25, 1, 1000)
	if bad != nil {
		return *bad
	}
	email, hasEmail := query(c.r, "email")
	name, hasName := query(c.r, "name")
	search, hasSearch := query(c.r, "search")
	search = strings.ToLower(search)
	var matched []*userRec
	for _, u := range getUsers().list {
		if hasEmail && !s.sameEmail(u.Email, strings.TrimSpace(email)) {
			continue
		}
		if hasName && !strings.EqualFold(u.Name, strings.TrimSpace(name)) {
			continue
		}
		if hasSearch && !strings.Contains(strings.ToLower(u.Email), search) && !strings.Contains(strings.ToLower(u.Name), search) {
			continue
		}
		matched = append(matched, u)
	}
	out := []accessUserJSON{}
	if from := (page - 1) * perPage; from < len(matched) {
		for _, u := range matched[from:min(from+perPage, len(matched))] {
			created := s.daysAgo(400 + len(u.Name)*7)
			out = append(out, accessUserJSON{
				ID: u.ID, UID: u.ID, Email: u.Email, Name: u.Name,
				LastSuccessfulLogin: timestampOf(s.minsAgo(u.LoginMins)),
				AccessSeat:          true, GatewaySeat: u.LoginMins < 60*24*30, ActiveDeviceCount: 1 + len(u.Email)%3,
				SeatUID:   stableHex32("seat:" + u.ID),
				CreatedAt: timestampOf(created), UpdatedAt: timestampOf(s.minsAgo(u.LoginMins)),
			})
		}
	}
	return okPaged(out, resultInfo{Page: page, PerPage: perPage, Count: len(out), TotalCount: len(matched),
		TotalPages: (len(matched) + perPage - 1) / perPage})
}

func (s *Sim) sameEmail(stored, asked string) bool {
	if s.emailCase {
		return stored == asked
	}
	return strings.EqualFold(stored, asked)
}

type eventJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	RiskLevel    string `json:"risk_level"`
	Timestamp    string `json:"timestamp"`
	EventDetails any    `json:"event_details"` // an object; in variant mode also other values
}

type riskJSON struct {
	Email         string      `json:"email"`
	Name          string      `json:"name"`
	RiskLevel     *string     `json:"risk_level"`
	LastResetTime *string     `json:"last_reset_time"`
	Events        []eventJSON `json:"events"`
}

// riskUser resolves {user_id}. A malformed id is a 400 (the contract types
// it as a UUID); an unknown one is a 404 with Cloudflare's generic "could
// not route ... object identifier" error, the simulator's reading of what
// the real API does for an identifier it does not know.
func (s *Sim) riskUser(c *call) (*userRec, *response) {
	id := c.vars[userSegment]
	if !reUUID.MatchString(id) {
		resp := badParam("user_id", "must be a UUID")
		return nil, &resp
	}
	u := getUsers().byID[strings.ToLower(id)]
	if u == nil {
		resp := fail(http.StatusNotFound, codeBadObject,
			fmt.Sprintf("Could not route to %s, perhaps your object identifier is invalid?", c.r.URL.Path))
		return nil, &resp
	}
	return u, nil
}

// currentRisk is a user's risk as this Sim sees it: events newer than the
// last reset, the level derived from them after a reset.
func (s *Sim) currentRisk(u *userRec) (evs []eventRec, level string, lastReset *time.Time) {
	s.mu.Lock()
	st := s.users[u.ID]
	s.mu.Unlock()
	all := getUsers().eventsOf(u)
	if st == nil {
		var lr *time.Time
		if u.LastResetDays > 0 {
			t := s.daysAgo(u.LastResetDays)
			lr = &t
		}
		return all, u.RiskLevel, lr
	}
	for i, e := range all { // newest first: keep the prefix after the reset
		if !s.minsAgo(e.Mins).After(st.resetAt) {
			all = all[:i]
			break
		}
	}
	t := st.resetAt
	return all, maxLevel(all), &t
}

func (s *Sim) riskScore(c *call) response {
	u, bad := s.riskUser(c)
	if bad != nil {
		return *bad
	}
	evs, level, lastReset := s.currentRisk(u)
	out := riskJSON{Email: u.Email, Name: u.Name, Events: make([]eventJSON, 0, len(evs))}
	if level != "" {
		out.RiskLevel = &level
	}
	if lastReset != nil {
		ts := lastReset.UTC().Format(time.RFC3339Nano)
		out.LastResetTime = &ts
	}
	for _, e := range evs {
		var details any = e.Details
		if s.variants && e.Variant != nil {
			details = e.Variant
		}
		out.Events = append(out.Events, eventJSON{e.ID, e.Name, e.Level, timestampOf(s.minsAgo(e.Mins)), details})
	}
	return ok(out)
}

// riskReset really resets: events before now are cleared, the level becomes
// null and last_reset_time is now. The contract says no body; one sent
// anyway is ignored.
func (s *Sim) riskReset(c *call) response {
	u, bad := s.riskUser(c)
	if bad != nil {
		return *bad
	}
	now := s.now().UTC()
	s.mu.Lock()
	s.users[u.ID] = &userState{resetAt: now}
	s.mu.Unlock()
	return ok(map[string]any{})
}

type summaryUserJSON struct {
	UserID       string `json:"user_id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	EventCount   int    `json:"event_count"`
	LastEvent    string `json:"last_event"`
	MaxRiskLevel string `json:"max_risk_level"`
}

func (s *Sim) riskSummary(c *call) response {
	rank := map[string]int{"low": 1, "medium": 2, "high": 3}
	users := []summaryUserJSON{}
	for _, u := range getUsers().list {
		evs, _, _ := s.currentRisk(u)
		if len(evs) == 0 {
			continue
		}
		users = append(users, summaryUserJSON{u.ID, u.Name, u.Email, len(evs), timestampOf(s.minsAgo(evs[0].Mins)), maxLevel(evs)})
	}
	slices.SortStableFunc(users, func(a, b summaryUserJSON) int {
		return cmp.Or(rank[b.MaxRiskLevel]-rank[a.MaxRiskLevel], b.EventCount-a.EventCount)
	})
	return ok(map[string]any{"users": users})
}

// ---- tokens and accounts ----

type verifyJSON struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	ExpiresOn string `json:"expires_on,omitempty"`
}

func (s *Sim) verifyToken(c *call) response {
	return ok(verifyJSON{ID: c.tok.ID, Status: c.tok.Status, ExpiresOn: c.tok.ExpiresOn})
}

type accountJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	CreatedOn string `json:"created_on"`
	Settings  struct {
		EnforceTwofactor bool `json:"enforce_twofactor"`
	} `json:"settings"`
}

func (s *Sim) listAccounts(c *call) response {
	page, bad := intParam(c.r, "page", 1, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	perPage, bad := intParam(c.r, "per_page", 20, 5, 50)
	if bad != nil {
		return *bad
	}
	if dir, has := query(c.r, "direction"); has && dir != "asc" && dir != "desc" {
		return badParam("direction", "must be asc or desc")
	}
	acct := accountJSON{ID: s.accountID, Name: "ACME Corp SOC (demo)", Type: "enterprise",
		CreatedOn: timestampOf(s.daysAgo(2200))}
	acct.Settings.EnforceTwofactor = true
	all := []accountJSON{acct}
	if name, has := query(c.r, "name"); has && !strings.EqualFold(name, acct.Name) {
		all = nil
	}
	out := []accountJSON{}
	if from := (page - 1) * perPage; from < len(all) {
		out = all[from:min(from+perPage, len(all))]
	}
	return okPaged(out, resultInfo{Page: page, PerPage: perPage, Count: len(out), TotalCount: len(all),
		TotalPages: (len(all) + perPage - 1) / perPage})
}
