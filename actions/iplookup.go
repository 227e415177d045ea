package actions

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// The IP lookup, shared by `cftriage ip` and the console's IP pane: the
// overview is the main result; passive DNS is a secondary part whose
// failure does not fail the lookup. Each part keeps its error typed; the
// frontends turn it into a sentence when they render it.

// PDNSPerPage is the page size both frontends ask passive DNS for: 5,000
// records take five requests instead of fifty.
const PDNSPerPage = cloudflare.PassiveDNSMaxPerPage

// DefaultPDNSMax is how many passive-DNS records a headless lookup fetches
// at most unless told otherwise: a busy shared host can have millions,
// and every page counts against the monthly Intel quota.
const DefaultPDNSMax = 5000

// PDNSDefaultDays is the window the API uses when no start is given.
const PDNSDefaultDays = 30

// PDNSWindow is a passive-DNS date window; a zero bound is not sent, so
// the API's default applies (the window ends today and starts 30 days
// before its end). Both bounds are whole UTC days, inclusive.
type PDNSWindow struct {
	Since, Until time.Time
}

// IsZero reports the API's default window.
func (w PDNSWindow) IsZero() bool { return w.Since.IsZero() && w.Until.IsZero() }

// String describes the window for people: "2026-01-01 .. 2026-02-01",
// "since 2026-01-01", "the last 30 days (the API's default)".
func (w PDNSWindow) String() string {
	day := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	switch {
	case w.IsZero():
		return fmt.Sprintf("the last %d days (the API's default)", PDNSDefaultDays)
	case w.Until.IsZero():
		return day(w.Since) + " .. today"
	case w.Since.IsZero():
		return fmt.Sprintf("the %d days up to %s", PDNSDefaultDays, day(w.Until))
	}
	return day(w.Since) + " .. " + day(w.Until)
}

// LastDays is the window of the n days up to today (n > 0).
func LastDays(n int, now time.Time) PDNSWindow {
	today := now.UTC().Truncate(24 * time.Hour)
	return PDNSWindow{Since: today.AddDate(0, 0, -n)}
}

var relDaysRE = regexp.MustCompile(`^([0-9]{1,5})d$`)

// ParsePDNSWindow reads --since and --until: each a date (2026-01-31) or
// a number of days back from today (90d); "" leaves the API's default.
// Anything else, or a window that ends before it starts or starts in the
// future, is an *indicator.InputError before any request.
func ParsePDNSWindow(since, until string, now time.Time) (PDNSWindow, error) {
	var w PDNSWindow
	var err error
	if w.Since, err = parseDay("--since", since, now); err != nil {
		return PDNSWindow{}, err
	}
	if w.Until, err = parseDay("--until", until, now); err != nil {
		return PDNSWindow{}, err
	}
	today := now.UTC().Truncate(24 * time.Hour)
	if !w.Since.IsZero() && w.Since.After(today) {
		return PDNSWindow{}, &indicator.InputError{Field: "--since", Input: since, Msg: "is in the future; passive DNS has nothing there yet"}
	}
	if !w.Since.IsZero() && !w.Until.IsZero() && w.Since.After(w.Until) {
		return PDNSWindow{}, &indicator.InputError{Field: "--since", Input: since,
			Msg: "is after --until " + strconv.Quote(until) + "; the window must start before it ends"}
	}
	return w, nil
}

func parseDay(field, s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if m := relDaysRE.FindStringSubmatch(strings.ToLower(s)); m != nil {
		n, _ := strconv.Atoi(m[1])
		return now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -n), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, &indicator.InputError{Field: field, Input: s,
			Msg: "is not a date; give a day such as 2026-01-31, or a number of days back such as 90d"}
	}
	return t, nil
}

// IPOverview is the main part of an IP lookup.
type IPOverview struct {
	Infos    []cloudflare.IPInfo
	Exchange *cloudflare.Exchange
}

// LookupIPOverview reads the IP overview of addr.
func LookupIPOverview(ctx context.Context, c *cloudflare.Client, addr netip.Addr) (IPOverview, error) {
	infos, ex, err := c.IPOverview(ctx, addr.String())
	return IPOverview{Infos: infos, Exchange: ex}, err
}

// PDNSPage is one page of passive DNS.
type PDNSPage struct {
	Page     int
	Records  []cloudflare.ReverseRecord
	Total    int  // the API's count for the whole window
	More     bool // a further page holds more records
	Exchange *cloudflare.Exchange
}

// PassiveDNSPage reads page (1-based) of addr's passive DNS in window,
// PDNSPerPage records a page.
func PassiveDNSPage(ctx context.Context, c *cloudflare.Client, addr netip.Addr, w PDNSWindow, page int) (PDNSPage, error) {
	res, ex, err := c.PassiveDNSRange(ctx, addr.String(), cloudflare.PassiveDNSQuery{
		Page: page, PerPage: PDNSPerPage, Start: w.Since, End: w.Until})
	if err != nil {
		return PDNSPage{Page: page, Exchange: ex}, err
	}
	p := PDNSPage{Page: page, Records: res.ReverseRecords, Total: res.Count, Exchange: ex}
	// The server may answer with a smaller page than asked: a page as
	// full as it said is followed by another unless the count says the
	// window holds no more.
	per := PDNSPerPage
	if res.PerPage > 0 && res.PerPage < per {
		per = res.PerPage
	}
	seen := (page-1)*per + len(res.ReverseRecords)
	p.More = len(res.ReverseRecords) > 0 && len(res.ReverseRecords) >= per && (res.Count <= 0 || seen < res.Count)
	return p, nil
}

// PDNS is the passive-DNS part of an IP lookup.
type PDNS struct {
	Window  PDNSWindow
	Records []cloudflare.ReverseRecord
	Total   int // the API's count for the window (0 when it gave none)
	Pages   int // pages read
	// Limited is set when reading stopped at the caller's maximum while
	// the API had more.
	Limited bool
	// Err is the failure of the page that could not be read; the
	// records before it are kept.
	Err error

	first *PDNSPage // for Changes
}

// Complete reports whether every record of the window was read.
func (p *PDNS) Complete() bool { return p.Err == nil && !p.Limited }

// Missing is how many records the API counted that were not read (0 when
// unknown or none).
func (p *PDNS) Missing() int { return max(0, p.Total-len(p.Records)) }

// errRepeatedPage stops a server that ignores page= from looping forever.
var errRepeatedPage = errors.New("passive DNS: the API answered the same page twice; stopped reading")

// PassiveDNSAll reads addr's passive DNS in window page by page, up to
// limit records (0 = no limit).
func PassiveDNSAll(ctx context.Context, c *cloudflare.Client, addr netip.Addr, w PDNSWindow, limit int) PDNS {
	out := PDNS{Window: w}
	first := ""
	for page := 1; ; page++ {
		p, err := PassiveDNSPage(ctx, c, addr, w, page)
		if err != nil {
			out.Err = err
			return out
		}
		out.Pages++
		if page == 1 {
			out.first = &p
		}
		out.Total = max(out.Total, p.Total)
		if len(p.Records) > 0 {
			if page > 1 && p.Records[0].Hostname == first {
				out.Err = errRepeatedPage
				return out
			}
			first = p.Records[0].Hostname
		}
		out.Records = append(out.Records, p.Records...)
		if limit > 0 && len(out.Records) >= limit {
			if len(out.Records) > limit || p.More {
				out.Limited = true
			}
			out.Records = out.Records[:min(len(out.Records), limit)]
			return out
		}
		if !p.More {
			return out
		}
	}
}

// IPRequest is an IP lookup: the address and what to read beside the
// overview.
type IPRequest struct {
	Addr    netip.Addr
	NoPDNS  bool       // skip passive DNS
	Window  PDNSWindow // passive DNS window
	PDNSMax int        // most passive-DNS records to read; 0 = all
}

// IPResult is an IP lookup's parts. PDNS is nil when passive DNS was not
// asked (NoPDNS) or does not apply (IPv6: PDNSSkipped says why).
type IPResult struct {
	Addr        netip.Addr
	Special     *SpecialAddress
	Overview    IPOverview
	PDNS        *PDNS
	PDNSSkipped string
}

// Changes is the lookup's report against the answers it replaced in the
// cache: the overview and passive DNS's first page (the pages behind it
// shift whenever a hostname is added); nil when nothing was earlier.
func (r IPResult) Changes() *ChangeReport {
	var pdEx *cloudflare.Exchange
	var pd cloudflare.PassiveDNS
	if r.PDNS != nil && r.PDNS.first != nil {
		f := r.PDNS.first
		pdEx, pd = f.Exchange, cloudflare.PassiveDNS{Count: f.Total, Page: 1, ReverseRecords: f.Records}
	}
	return IPLookupChanges(r.Overview.Exchange, r.Overview.Infos, pdEx, pd)
}

// PDNSIPv4Only is why an IPv6 lookup has no passive DNS.
const PDNSIPv4Only = "passive DNS covers IPv4 only"

// CheckIPRequest refuses, before any request, a passive-DNS window for an
// address or a lookup that reads no passive DNS.
func CheckIPRequest(r IPRequest) error {
	if r.Window.IsZero() {
		return nil
	}
	if r.NoPDNS {
		return &indicator.InputError{Field: "--since/--until", Msg: "select passive DNS records, which --no-pdns skips"}
	}
	if !r.Addr.Is4() {
		return &indicator.InputError{Field: "--since/--until", Msg: "select passive DNS records, and " + PDNSIPv4Only + "; " + r.Addr.String() + " is IPv6"}
	}
	return nil
}

// LookupIP reads the overview and, for IPv4 unless skipped, passive DNS.
// The error is the overview's: when it fails nothing else is read.
func LookupIP(ctx context.Context, c *cloudflare.Client, r IPRequest) (IPResult, error) {
	res := IPResult{Addr: r.Addr}
	if err := CheckIPRequest(r); err != nil {
		return res, err
	}
	if sp, ok := SpecialPurpose(r.Addr); ok {
		res.Special = &sp
	}
	ov, err := LookupIPOverview(ctx, c, r.Addr)
	res.Overview = ov
	if err != nil {
		return res, err
	}
	switch {
	case r.NoPDNS:
	case !r.Addr.Is4():
		res.PDNSSkipped = PDNSIPv4Only
	default:
		p := PassiveDNSAll(ctx, c, r.Addr, r.Window, r.PDNSMax)
		res.PDNS = &p
	}
	return res, nil
}

// SpecialAddress describes an address of a special-purpose range: one
// that is not routed on the public internet, so Cloudflare's intel, built
// from internet traffic, cannot know it.
type SpecialAddress struct {
	Kind   string       // "private", "loopback", "link-local", ...
	Prefix netip.Prefix // the range it belongs to
	Ref    string       // where the range is defined ("RFC 1918")
	Why    string       // what the range is for
}

// Note is the sentence shown beside the lookup.
func (s SpecialAddress) Note() string {
	return fmt.Sprintf("%s %s address (%s, %s): %s, so Cloudflare's intel cannot know it",
		article(s.Kind), s.Kind, s.Prefix, s.Ref, s.Why)
}

func article(w string) string {
	if w != "" && strings.ContainsRune("aeiou", rune(w[0])) {
		return "an"
	}
	return "a"
}

var specialRanges = []SpecialAddress{
	{"private", netip.MustParsePrefix("10.0.0.0/8"), "RFC 1918", "it is used only inside private networks"},
	{"private", netip.MustParsePrefix("172.16.0.0/12"), "RFC 1918", "it is used only inside private networks"},
	{"private", netip.MustParsePrefix("192.168.0.0/16"), "RFC 1918", "it is used only inside private networks"},
	{"loopback", netip.MustParsePrefix("127.0.0.0/8"), "RFC 1122", "it is the machine itself"},
	{"link-local", netip.MustParsePrefix("169.254.0.0/16"), "RFC 3927", "it is valid only on one network link"},
	{"CGNAT", netip.MustParsePrefix("100.64.0.0/10"), "RFC 6598 shared address space", "it is used only inside a carrier's network"},
	{"multicast", netip.MustParsePrefix("224.0.0.0/4"), "RFC 5771", "it names a group of receivers, not one host"},
	{"unspecified", netip.MustParsePrefix("0.0.0.0/8"), "RFC 1122 \"this network\"", "it is not the address of any host"},
	{"broadcast", netip.MustParsePrefix("255.255.255.255/32"), "RFC 919", "it reaches every host of the local network"},
	{"reserved", netip.MustParsePrefix("240.0.0.0/4"), "RFC 1112", "it is reserved and not routed"},
	{"loopback", netip.MustParsePrefix("::1/128"), "RFC 4291", "it is the machine itself"},
	{"unspecified", netip.MustParsePrefix("::/128"), "RFC 4291", "it is not the address of any host"},
	{"private", netip.MustParsePrefix("fc00::/7"), "RFC 4193 unique local", "it is used only inside private networks"},
	{"link-local", netip.MustParsePrefix("fe80::/10"), "RFC 4291", "it is valid only on one network link"},
	{"multicast", netip.MustParsePrefix("ff00::/8"), "RFC 4291", "it names a group of receivers, not one host"},
}

func isSpecialPurpose(a netip.Addr) bool {
	_, ok := SpecialPurpose(a)
	return ok
}

// SpecialPurpose reports whether a is in a private, loopback, link-local,
// CGNAT, multicast, unspecified, broadcast or reserved range (IPv4-mapped
// IPv6 addresses are judged as IPv4).
func SpecialPurpose(a netip.Addr) (SpecialAddress, bool) {
	a = a.Unmap().WithZone("")
	for _, s := range specialRanges {
		if s.Prefix.Contains(a) {
			return s, true
		}
	}
	return SpecialAddress{}, false
}
