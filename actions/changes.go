package actions

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"cftriage/cloudflare"
)

// Change is one difference that matters between an earlier answer and a
// fresh one. Before and After are the field's values (lists for sets);
// Added and Removed spell out a set's difference. API text: sanitize
// before display.
type Change struct {
	Field   string   `json:"field"`
	Before  any      `json:"before"`
	After   any      `json:"after"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Change fields.
const (
	FieldRiskTypes         = "risk_types"
	FieldContentCategories = "content_categories"
	FieldRiskScore         = "risk_score"
	FieldResolvesTo        = "resolves_to"
	FieldPassiveDNS        = "passive_dns"
	FieldRegistrar         = "whois.registrar"
	FieldNameservers       = "whois.nameservers"
	FieldRiskLevel         = "risk_level"
	FieldEvents            = "events"
)

// ChangeReport is what changed since the earlier answer of the same
// lookup, fetched at Since. A nil report means there was nothing earlier
// to compare with (first look, or the answer itself came from the
// cache); an empty Changes means nothing changed.
type ChangeReport struct {
	Since   time.Time
	Changes []Change
}

// Describe is a change in words: "risk types: + Phishing, − Malware",
// "risk score up: 0.12 → 0.87". API text: sanitize before display.
func (c Change) Describe() string {
	label := strings.ReplaceAll(strings.ReplaceAll(c.Field, "whois.", "WHOIS "), "_", " ")
	switch {
	case c.Field == FieldRiskScore:
		b, _ := c.Before.(float64)
		a, _ := c.After.(float64)
		dir := "up"
		if a < b {
			dir = "down"
		}
		return fmt.Sprintf("risk score %s: %.2f → %.2f", dir, b, a)
	case c.Field == FieldEvents:
		return fmt.Sprintf("%d new event(s): %s", len(c.Added), strings.Join(c.Added, ", "))
	case len(c.Added) > 0 || len(c.Removed) > 0:
		var parts []string
		for _, a := range c.Added {
			parts = append(parts, "+ "+a)
		}
		for _, r := range c.Removed {
			parts = append(parts, "− "+r)
		}
		return label + ": " + strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s: %v → %v", label, orDash(c.Before), orDash(c.After))
}

func orDash(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return "—"
	}
	return v
}

// IPChanges compares two IP overviews: risk types added or removed.
func IPChanges(before, after []cloudflare.IPInfo) []Change {
	var b, a []string
	for _, in := range before {
		b = appendNames(b, in.RiskTypes)
	}
	for _, in := range after {
		a = appendNames(a, in.RiskTypes)
	}
	return setChange(nil, FieldRiskTypes, b, a)
}

// PassiveDNSChanges compares two passive DNS pages: hostnames added or
// removed.
func PassiveDNSChanges(before, after cloudflare.PassiveDNS) []Change {
	host := func(p cloudflare.PassiveDNS) []string {
		var out []string
		for _, r := range p.ReverseRecords {
			if h := strings.ToLower(strings.TrimSpace(r.Hostname)); h != "" && !slices.Contains(out, h) {
				out = append(out, h)
			}
		}
		return out
	}
	return setChange(nil, FieldPassiveDNS, host(before), host(after))
}

// DomainChanges compares two domain overviews: risk types (own and
// inherited), content categories, the risk score, resolving IPs.
func DomainChanges(before, after cloudflare.Domain) []Change {
	var out []Change
	out = setChange(out, FieldRiskTypes,
		appendNames(appendNames(nil, before.RiskTypes), before.InheritedRiskTypes),
		appendNames(appendNames(nil, after.RiskTypes), after.InheritedRiskTypes))
	out = setChange(out, FieldContentCategories,
		appendNames(appendNames(nil, before.ContentCategories), before.InheritedContentCategories),
		appendNames(appendNames(nil, after.ContentCategories), after.InheritedContentCategories))
	if before.RiskScore != after.RiskScore {
		out = append(out, Change{Field: FieldRiskScore, Before: before.RiskScore, After: after.RiskScore})
	}
	ips := func(d cloudflare.Domain) []string {
		var s []string
		for _, r := range d.ResolvesToRefs {
			if v := strings.TrimSpace(r.Value); v != "" && !slices.Contains(s, v) {
				s = append(s, v)
			}
		}
		return s
	}
	return setChange(out, FieldResolvesTo, ips(before), ips(after))
}

// WhoisChanges compares two WHOIS records: the registrar, nameservers.
func WhoisChanges(before, after cloudflare.Whois) []Change {
	var out []Change
	if b, a := strings.TrimSpace(before.Registrar), strings.TrimSpace(after.Registrar); !strings.EqualFold(b, a) {
		out = append(out, Change{Field: FieldRegistrar, Before: b, After: a})
	}
	ns := func(w cloudflare.Whois) []string {
		var s []string
		for _, n := range w.Nameservers {
			if n = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(n), ".")); n != "" && !slices.Contains(s, n) {
				s = append(s, n)
			}
		}
		return s
	}
	return setChange(out, FieldNameservers, ns(before), ns(after))
}

// UserChanges compares two risk scores: the risk level, and the events
// new since the earlier one.
func UserChanges(before, after cloudflare.RiskScore) []Change {
	var out []Change
	if b, a := strings.TrimSpace(before.RiskLevel), strings.TrimSpace(after.RiskLevel); !strings.EqualFold(b, a) {
		out = append(out, Change{Field: FieldRiskLevel, Before: b, After: a})
	}
	key := func(e cloudflare.RiskEvent) string {
		if e.ID != "" {
			return e.ID
		}
		return e.Name + "\x00" + e.Timestamp
	}
	seen := make(map[string]bool, len(before.Events))
	for _, e := range before.Events {
		seen[key(e)] = true
	}
	var added []string
	for _, e := range after.Events {
		if !seen[key(e)] {
			added = append(added, strings.TrimSpace(e.Name+" "+e.Timestamp))
		}
	}
	if len(added) > 0 {
		out = append(out, Change{Field: FieldEvents, Before: len(before.Events), After: len(after.Events), Added: added})
	}
	return out
}

// setChange appends a change when the sets differ (order ignored).
func setChange(out []Change, field string, before, after []string) []Change {
	added, removed := diffSets(before, after)
	if len(added) == 0 && len(removed) == 0 {
		return out
	}
	if before == nil {
		before = []string{}
	}
	if after == nil {
		after = []string{}
	}
	return append(out, Change{Field: field, Before: before, After: after, Added: added, Removed: removed})
}

func diffSets(before, after []string) (added, removed []string) {
	in := func(s []string, v string) bool {
		return slices.ContainsFunc(s, func(x string) bool { return strings.EqualFold(x, v) })
	}
	for _, a := range after {
		if !in(before, a) {
			added = append(added, a)
		}
	}
	for _, b := range before {
		if !in(after, b) {
			removed = append(removed, b)
		}
	}
	return added, removed
}

// ChangesOf compares a fresh answer with the one it replaced in the
// cache (ex.Cache.Previous), decoded the same way. It returns nil when
// there is nothing earlier: a first look, an answer from the cache, or
// an earlier answer that no longer decodes.
func ChangesOf[T any](ex *cloudflare.Exchange, after T, diff func(before, after T) []Change) *ChangeReport {
	if ex == nil || ex.Cache.Hit || ex.Cache.Previous == nil {
		return nil
	}
	var before T
	if cloudflare.DecodeAnswer(ex.Cache.Operation, *ex.Cache.Previous, &before) != nil {
		return nil
	}
	return &ChangeReport{Since: ex.Cache.Previous.Fetched, Changes: nonNil(diff(before, after))}
}

// Merge combines the reports of one lookup's calls (an overview and its
// passive DNS or WHOIS): nil when none had anything earlier; Since is
// the oldest earlier answer compared.
func Merge(reports ...*ChangeReport) *ChangeReport {
	var out *ChangeReport
	for _, r := range reports {
		if r == nil {
			continue
		}
		if out == nil {
			out = &ChangeReport{Since: r.Since, Changes: []Change{}}
		}
		if r.Since.Before(out.Since) {
			out.Since = r.Since
		}
		out.Changes = append(out.Changes, r.Changes...)
	}
	return out
}

func nonNil(c []Change) []Change {
	if c == nil {
		return []Change{}
	}
	return c
}

// IPLookupChanges is the report of an IP lookup: its overview and, when
// it was read, its passive DNS (pdnsEx nil otherwise).
func IPLookupChanges(ex *cloudflare.Exchange, infos []cloudflare.IPInfo, pdnsEx *cloudflare.Exchange, pdns cloudflare.PassiveDNS) *ChangeReport {
	r := ChangesOf(ex, infos, IPChanges)
	if pdnsEx == nil {
		return r
	}
	return Merge(r, ChangesOf(pdnsEx, pdns, PassiveDNSChanges))
}

// DomainLookupChanges is the report of a domain lookup: its overview
// and, when it was read, its WHOIS (whoisEx nil otherwise).
func DomainLookupChanges(ex *cloudflare.Exchange, d cloudflare.Domain, whoisEx *cloudflare.Exchange, who cloudflare.Whois) *ChangeReport {
	r := ChangesOf(ex, d, DomainChanges)
	if whoisEx == nil {
		return r
	}
	return Merge(r, ChangesOf(whoisEx, who, WhoisChanges))
}

// UserLookupChanges is the report of a user lookup (its risk score).
func UserLookupChanges(res UserResult) *ChangeReport {
	if res.Exchange == nil || res.Exchange.Cache.Operation != cloudflare.OpRiskScore {
		return nil
	}
	return ChangesOf(res.Exchange, res.Risk, UserChanges)
}
