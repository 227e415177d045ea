package actions

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
)

// Cases: an investigation keeps pinned items (an indicator with the
// answers exactly as they were, their times and operations) and notes.
// The console's Case pane and `cftriage case` share these flows; the
// store (store/cases.go) keeps them.

// PinAnswers pins what a lookup showed to the active case: every
// exchange that answered (their operations, times and bodies) under one
// item. The console calls it with the exchanges of what is on screen.
func PinAnswers(db *store.DB, kind, indicator, account string, exs ...*cloudflare.Exchange) (store.CaseEntry, error) {
	c, err := db.ActiveCase()
	if err != nil {
		return store.CaseEntry{}, err
	}
	e := store.CaseEntry{Type: store.EntryItem, Kind: kind, Indicator: indicator, Account: account}
	for _, ex := range exs {
		if ex == nil || ex.StatusCode < 200 || ex.StatusCode >= 300 || ex.Cache.Operation == "" {
			continue
		}
		fetched := ex.Cache.Fetched
		if fetched.IsZero() {
			fetched = time.Now()
		}
		a := store.CaseAnswer{Operation: ex.Cache.Operation, Request: ex.URL, Fetched: fetched, Status: ex.StatusCode, Body: ex.Body}
		e.Answers = append(e.Answers, a)
		if e.Verdict == "" {
			e.Verdict = Verdict(a.Operation, cloudflare.CachedAnswer{Status: 200, Body: a.Body})
		}
	}
	if len(e.Answers) == 0 {
		return store.CaseEntry{}, errors.New("nothing to pin: no answer is on screen")
	}
	id, err := db.AddCaseEntry(c.ID, e)
	e.ID = id
	return e, err
}

// AddNote adds a Markdown note to the active case.
func AddNote(db *store.DB, text string) (store.CaseEntry, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return store.CaseEntry{}, &indicator.InputError{Field: "note", Msg: "is empty"}
	}
	c, err := db.ActiveCase()
	if err != nil {
		return store.CaseEntry{}, err
	}
	e := store.CaseEntry{Type: store.EntryNote, Note: text}
	id, err := db.AddCaseEntry(c.ID, e)
	e.ID = id
	return e, err
}

// PinLookup looks input up (an IP, domain, URL, email or ASN; the cache
// applies) and pins the answers to the active case: an IP with its
// passive DNS, a domain or URL with its WHOIS, a user's risk, an ASN with
// its subnets. userID picks among several users with the email.
func PinLookup(ctx context.Context, c *cloudflare.Client, db *store.DB, input, userID string) (store.CaseEntry, error) {
	if _, err := db.ActiveCase(); err != nil {
		return store.CaseEntry{}, err // before any request
	}
	ind, err := indicator.Detect(input)
	if err != nil {
		return store.CaseEntry{}, err
	}
	var exs []*cloudflare.Exchange
	kind, shown := "", ind.Value
	switch ind.Kind {
	case indicator.IP:
		kind = KindIP
		_, ex, err := c.IPOverview(ctx, ind.Value)
		if err != nil {
			return store.CaseEntry{}, err
		}
		exs = append(exs, ex)
		if ind.Addr.Is4() {
			if _, pex, err := c.PassiveDNS(ctx, ind.Value, 1, 100); err == nil {
				exs = append(exs, pex)
			}
		}
	case indicator.Domain:
		kind = KindDomain
		if ind.URL != "" {
			kind, shown = KindURL, ind.URL
		}
		_, ex, err := c.DomainOverview(ctx, ind.Value)
		if err != nil {
			return store.CaseEntry{}, err
		}
		exs = append(exs, ex)
		if _, wex, err := c.Whois(ctx, ind.Value); err == nil {
			exs = append(exs, wex)
		}
	case indicator.Email:
		kind = KindUser
		res, err := LookupUser(ctx, c, ind.Value)
		if err != nil {
			return store.CaseEntry{}, err
		}
		if res.Ambiguous() {
			u, ok := res.PickCandidate(userID)
			if !ok {
				var ids []string
				for _, u := range res.Candidates {
					ids = append(ids, u.ID)
				}
				return store.CaseEntry{}, fmt.Errorf("%d users have the email %s; pick one with --user-id (%s)", len(res.Candidates), ind.Value, strings.Join(ids, ", "))
			}
			if res, err = LookupUserByID(ctx, c, u.ID, u.Email); err != nil {
				return store.CaseEntry{}, err
			}
		}
		exs = append(exs, res.Exchange)
	case indicator.ASN:
		kind = KindASN
		_, ex, err := c.ASNOverview(ctx, ind.ASN)
		if err != nil {
			return store.CaseEntry{}, err
		}
		exs = append(exs, ex)
		if _, sex, err := c.ASNSubnets(ctx, ind.ASN); err == nil {
			exs = append(exs, sex)
		}
	default:
		return store.CaseEntry{}, fmt.Errorf("cannot pin %s", input)
	}
	return PinAnswers(db, kind, shown, c.AccountID(), exs...)
}

// CaseReport is a case ready to export or show: its items with their key
// facts, its notes, and the audited writes (risk resets, session revokes)
// done while it was the active case.
type CaseReport struct {
	Name         string      `json:"name"`
	Created      time.Time   `json:"created"`
	Exported     time.Time   `json:"exported"`
	Organisation string      `json:"organisation"`
	Entries      []CaseEntry `json:"entries"` // items and notes, in order
	Writes       []CaseWrite `json:"writes"`
	Masked       bool        `json:"pii_masked"`
	raw          []store.CaseEntry
}

// CaseEntry is an item or a note of a report.
type CaseEntry struct {
	Type      string       `json:"type"` // item | note
	Added     time.Time    `json:"added"`
	Kind      string       `json:"kind,omitempty"`
	Indicator string       `json:"indicator,omitempty"`
	Account   string       `json:"account,omitempty"`
	Verdict   string       `json:"verdict,omitempty"`
	Risky     bool         `json:"risky,omitempty"`
	Facts     []Fact       `json:"facts,omitempty"`
	Note      string       `json:"note,omitempty"`
	Answers   []CaseAnswer `json:"answers,omitempty"` // the pinned answers (left out when masking)
}

// CaseAnswer is one pinned answer of a JSON export.
type CaseAnswer struct {
	Operation string    `json:"operation"`
	Request   string    `json:"request"`
	Fetched   time.Time `json:"fetched"`
	Body      string    `json:"body"`
}

// Fact is one key fact of an item and where it came from.
type Fact struct {
	Label     string    `json:"label"`
	Value     string    `json:"value"`
	Operation string    `json:"operation"`
	Fetched   time.Time `json:"fetched"`
}

// CaseWrite is an audited write done while the case was active.
type CaseWrite struct {
	Time      time.Time `json:"time"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	Reason    string    `json:"reason"`
	Outcome   string    `json:"outcome"`
	AttemptID string    `json:"attempt_id"`
	Status    int       `json:"http_status,omitempty"`
}

// LoadCase builds the report of the named case. auditPath is the audit
// log to read the writes from ("" for none); org names the analyst's
// organisation (the account name). mask removes user emails and names.
func LoadCase(db *store.DB, name, auditPath, org string, mask bool) (CaseReport, error) {
	c, err := db.CaseByName(name)
	if err != nil {
		return CaseReport{}, err
	}
	entries, err := db.CaseEntries(c.ID)
	if err != nil {
		return CaseReport{}, err
	}
	r := CaseReport{Name: c.Name, Created: c.Created, Exported: time.Now().UTC(), Organisation: org, Masked: mask, raw: entries,
		Entries: []CaseEntry{}, Writes: []CaseWrite{}}
	for _, e := range entries {
		ce := CaseEntry{Type: e.Type, Added: e.Added, Kind: e.Kind, Indicator: e.Indicator, Account: e.Account, Verdict: e.Verdict, Note: e.Note}
		if e.Type == store.EntryItem {
			ce.Risky = Risky(e.Verdict)
			ce.Facts = facts(e)
			for _, a := range e.Answers {
				ce.Answers = append(ce.Answers, CaseAnswer{Operation: a.Operation, Request: a.Request, Fetched: a.Fetched.UTC(), Body: string(a.Body)})
			}
		}
		r.Entries = append(r.Entries, ce)
	}
	if auditPath != "" {
		periods, err := db.CasePeriods(c.ID)
		if err != nil {
			return CaseReport{}, err
		}
		recs, err := store.ReadAudit(auditPath, 0)
		if err != nil {
			return CaseReport{}, fmt.Errorf("reading the audit log: %w", err)
		}
		r.Writes = caseWrites(recs, periods)
	}
	if mask {
		r.mask()
	}
	return r, nil
}

// caseWrites are the outcomes of risk resets and session revokes whose
// time falls in one of the case's active periods, oldest first.
func caseWrites(recs []store.AuditRecord, periods []store.CasePeriod) []CaseWrite {
	in := func(t time.Time) bool {
		for _, p := range periods {
			if !t.Before(p.Started) && (p.Ended.IsZero() || t.Before(p.Ended)) {
				return true
			}
		}
		return false
	}
	out := []CaseWrite{}
	for i := len(recs) - 1; i >= 0; i-- { // ReadAudit is newest first
		rec := recs[i]
		if rec.Phase != store.PhaseOutcome || !in(rec.Time) {
			continue
		}
		action := ""
		switch {
		case rec.Action == store.ActionRiskReset:
			action = "risk reset"
		case strings.Contains(rec.Action, "revoke"), rec.Action == store.ActionAPICall && strings.Contains(rec.URL, "/revoke_user"):
			action = "session revoke"
		default:
			continue
		}
		target := rec.TargetEmail
		if target == "" {
			target = rec.TargetUserID
		}
		out = append(out, CaseWrite{Time: rec.Time.UTC(), Action: action, Target: target, Reason: rec.Reason,
			Outcome: rec.Outcome, AttemptID: rec.AttemptID, Status: rec.HTTPStatus})
	}
	return out
}

// facts are an item's key facts, each from the answer it came from.
func facts(e store.CaseEntry) []Fact {
	var out []Fact
	add := func(a store.CaseAnswer, label, value string) {
		if strings.TrimSpace(value) != "" {
			out = append(out, Fact{Label: label, Value: value, Operation: a.Operation, Fetched: a.Fetched.UTC()})
		}
	}
	for _, a := range e.Answers {
		ans := cloudflare.CachedAnswer{Status: 200, Body: a.Body}
		switch a.Operation {
		case cloudflare.OpIPOverview:
			var infos []cloudflare.IPInfo
			if cloudflare.DecodeAnswer(a.Operation, ans, &infos) != nil {
				continue
			}
			var names []string
			for _, in := range infos {
				names = appendNames(names, in.RiskTypes)
			}
			add(a, "risk types", orNoneText(strings.Join(names, ", "), "none"))
			for _, in := range infos {
				if b := in.BelongsTo; b != nil {
					asn := "AS" + b.Value + " " + b.Description
					if b.Country != "" {
						asn += " (" + b.Country + ")"
					}
					add(a, "ASN", strings.TrimSpace(asn))
				}
			}
		case cloudflare.OpPassiveDNS:
			var p cloudflare.PassiveDNS
			if cloudflare.DecodeAnswer(a.Operation, ans, &p) != nil {
				continue
			}
			var hs []string
			for _, rr := range p.ReverseRecords {
				hs = append(hs, rr.Hostname)
			}
			add(a, "passive DNS", fmt.Sprintf("%d hostname(s)%s", max(p.Count, len(hs)), listTail(hs, 10)))
		case cloudflare.OpDomainOverview:
			var d cloudflare.Domain
			if cloudflare.DecodeAnswer(a.Operation, ans, &d) != nil {
				continue
			}
			add(a, "risk types", orNoneText(strings.Join(appendNames(appendNames(nil, d.RiskTypes), d.InheritedRiskTypes), ", "), "none"))
			add(a, "risk score", strconv.FormatFloat(d.RiskScore, 'f', 2, 64))
			add(a, "categories", strings.Join(appendNames(appendNames(nil, d.ContentCategories), d.InheritedContentCategories), ", "))
			var ips []string
			for _, r := range d.ResolvesToRefs {
				ips = append(ips, r.Value)
			}
			add(a, "resolves to", strings.Join(ips, ", "))
		case cloudflare.OpWhois:
			var w cloudflare.Whois
			if cloudflare.DecodeAnswer(a.Operation, ans, &w) != nil {
				continue
			}
			if !w.Found {
				add(a, "WHOIS", "no record")
				continue
			}
			add(a, "registrar", w.Registrar)
			add(a, "created", w.CreatedDate)
			add(a, "nameservers", strings.Join(w.Nameservers, ", "))
		case cloudflare.OpRiskScore:
			var rs cloudflare.RiskScore
			if cloudflare.DecodeAnswer(a.Operation, ans, &rs) != nil {
				continue
			}
			add(a, "name", rs.Name)
			add(a, "email", rs.Email)
			add(a, "risk level", orNoneText(rs.RiskLevel, "none"))
			add(a, "events", strconv.Itoa(len(rs.Events)))
			last := "never"
			if rs.LastResetTime != nil && *rs.LastResetTime != "" {
				last = *rs.LastResetTime
			}
			add(a, "last reset", last)
		case cloudflare.OpASNOverview:
			// A number, an object or an array of objects (the contract's
			// and the docs' readings).
			var v any
			if cloudflare.DecodeAnswer(a.Operation, ans, &v) != nil {
				continue
			}
			if l, ok := v.([]any); ok && len(l) > 0 {
				v = l[0]
			}
			switch o := v.(type) {
			case float64:
				add(a, "ASN", "AS"+strconv.Itoa(int(o)))
			case map[string]any:
				if n, ok := o["asn"].(float64); ok {
					add(a, "ASN", strings.TrimSpace(fmt.Sprintf("AS%d %v", int(n), orEmpty(o["description"]))))
				}
				add(a, "country", fmt.Sprint(orEmpty(o["country"])))
			}
		case cloudflare.OpASNSubnets:
			var s cloudflare.ASNSubnets
			if cloudflare.DecodeAnswer(a.Operation, ans, &s) != nil {
				continue
			}
			add(a, "subnets", fmt.Sprintf("%d%s", max(s.Count, len(s.Subnets)), listTail(s.Subnets, 5)))
		}
	}
	return out
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func listTail(items []string, n int) string {
	if len(items) == 0 {
		return ""
	}
	more := ""
	if len(items) > n {
		more = fmt.Sprintf(", … %d more", len(items)-n)
		items = items[:n]
	}
	return ": " + strings.Join(items, ", ") + more
}

func orNoneText(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}

var emailRe = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+(?:@|\[@\]|\[at\]|\(at\))[a-z0-9.\-]+(?:\.|\[\.\])[a-z]{2,}`)

// MaskEmails replaces every email address in s (defanged ones too).
func MaskEmails(s string) string { return emailRe.ReplaceAllString(s, "[email masked]") }

// mask removes users' emails and names: user items become "user <id>",
// their name and email facts go, the known names and every email are
// replaced in notes, verdicts and writes, and the raw answers are left
// out.
func (r *CaseReport) mask() {
	var names []string
	ids := map[string]string{} // email -> user id
	for _, e := range r.raw {
		for _, a := range e.Answers {
			if a.Operation != cloudflare.OpRiskScore {
				continue
			}
			var rs cloudflare.RiskScore
			if cloudflare.DecodeAnswer(a.Operation, cloudflare.CachedAnswer{Status: 200, Body: a.Body}, &rs) == nil {
				if n := strings.TrimSpace(rs.Name); len(n) > 2 {
					names = append(names, n)
				}
				if id := userIDOf(a.Request); id != "" {
					ids[strings.ToLower(e.Indicator)] = id
				}
			}
		}
	}
	scrub := func(s string) string {
		for _, n := range names {
			s = replaceFold(s, n, "[name masked]")
		}
		return MaskEmails(s)
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		e.Answers = nil
		if e.Kind == KindUser {
			if id := ids[strings.ToLower(e.Indicator)]; id != "" {
				e.Indicator = "user " + id
			} else {
				e.Indicator = "user [masked]"
			}
			kept := e.Facts[:0]
			for _, f := range e.Facts {
				if f.Label != "name" && f.Label != "email" {
					kept = append(kept, f)
				}
			}
			e.Facts = kept
		}
		e.Indicator, e.Note, e.Verdict = scrub(e.Indicator), scrub(e.Note), scrub(e.Verdict)
		for j := range e.Facts {
			e.Facts[j].Value = scrub(e.Facts[j].Value)
		}
	}
	for i := range r.Writes {
		w := &r.Writes[i]
		w.Target, w.Reason = scrub(w.Target), scrub(w.Reason)
	}
	r.Name, r.Organisation = scrub(r.Name), scrub(r.Organisation)
}

// userIDOf is the user id in a risk score request URL.
func userIDOf(request string) string {
	i := strings.Index(request, "/zt_risk_scoring/")
	if i < 0 {
		return ""
	}
	id := request[i+len("/zt_risk_scoring/"):]
	if j := strings.IndexAny(id, "/?"); j >= 0 {
		id = id[:j]
	}
	return id
}

func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	return regexp.MustCompile("(?i)"+regexp.QuoteMeta(old)).ReplaceAllLiteralString(s, repl)
}
