package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/views"
)

// lookupArg takes a lookup's one argument: refanged and normalized (bad
// input is refused before any request), then the session is opened.
func lookupArg[T any](ctx context.Context, e *env, usage string, norm func(string) (T, error)) (T, *session, error) {
	var zero T
	if len(e.args) != 1 {
		return zero, nil, usageErr("usage: %s", usage)
	}
	v, err := norm(indicator.Refang(e.args[0]))
	if err != nil {
		return zero, nil, err
	}
	sess, err := e.open(ctx)
	if err != nil {
		return zero, nil, err
	}
	return v, sess, nil
}

func runIP(ctx context.Context, e *env) error {
	addr, sess, err := lookupArg(ctx, e, "cftriage ip <addr>", indicator.NormalizeIP)
	if err != nil {
		return err
	}
	defer sess.close()
	c := sess.Client
	infos, ex, err := c.IPOverview(ctx, addr.String())
	if err != nil {
		return e.apiFailure(err)
	}
	if e.g.json {
		return writeJSON(e.stdout, withChanges(newIPJSON(ex, infos), actions.IPLookupChanges(ex, infos, nil, cloudflare.PassiveDNS{})))
	}
	w := e.stdout
	if len(infos) == 0 {
		fmt.Fprintf(w, "%s: no intelligence\n", addr)
	}
	for _, in := range infos {
		ip := clean(in.IP)
		if ip == "" {
			ip = addr.String()
		}
		fmt.Fprintln(w, ip)
		if b := in.BelongsTo; b != nil {
			fmt.Fprintf(w, "  ASN:    AS%s %s", clean(b.Value), clean(b.Description))
			if b.Country != "" {
				fmt.Fprintf(w, " (%s)", clean(b.Country))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  risk:   %s\n", orNone(joinSanitized(riskNames(in.RiskTypes), ", ")))
	}
	// Passive DNS is the pivot an analyst wants next; it exists for
	// IPv4 only and its failure does not fail the lookup.
	if !addr.Is4() {
		fmt.Fprintln(w, "  passive DNS: none; passive DNS covers IPv4 only")
	}
	var pd cloudflare.PassiveDNS
	var pdEx *cloudflare.Exchange
	defer func() { printChanges(w, actions.IPLookupChanges(ex, infos, pdEx, pd)) }()
	if addr.Is4() {
		pd, pdEx, err = c.PassiveDNS(ctx, addr.String(), 1, 20)
		switch {
		case err != nil:
			fmt.Fprintf(w, "  passive DNS: unavailable (%s)\n", clean(err.Error()))
		case len(pd.ReverseRecords) == 0:
			fmt.Fprintln(w, "  passive DNS: no hostnames seen")
		default:
			fmt.Fprintf(w, "  passive DNS: %d hostname(s)\n", pd.Count)
			for _, r := range pd.ReverseRecords {
				fmt.Fprintf(w, "    %s  (%s .. %s)\n", clean(r.Hostname), views.Date(r.FirstSeen), views.Date(r.LastSeen))
			}
		}
	}
	return nil
}

func runDomain(ctx context.Context, e *env) error {
	name, sess, err := lookupArg(ctx, e, "cftriage domain <name>", indicator.NormalizeDomain)
	if err != nil {
		return err
	}
	defer sess.close()
	c := sess.Client
	d, ex, err := c.DomainOverview(ctx, name)
	if err != nil {
		return e.apiFailure(err)
	}
	if e.g.json {
		return writeJSON(e.stdout, withChanges(newDomainJSON(ex, d), actions.DomainLookupChanges(ex, d, nil, cloudflare.Whois{})))
	}
	w := e.stdout
	shown := clean(d.Domain)
	if shown == "" {
		shown = name
	}
	fmt.Fprintln(w, shown)
	fmt.Fprintf(w, "  risk score:  %.2f\n", d.RiskScore)
	fmt.Fprintf(w, "  risk types:  %s\n", orNone(joinSanitized(riskNames(d.RiskTypes), ", ")))
	if len(d.InheritedRiskTypes) > 0 {
		fmt.Fprintf(w, "  inherited risk: %s (from %s)\n", joinSanitized(riskNames(d.InheritedRiskTypes), ", "), orNone(clean(d.InheritedFrom)))
	}
	fmt.Fprintf(w, "  categories:  %s\n", orNone(joinSanitized(riskNames(d.ContentCategories), ", ")))
	if d.PopularityRank > 0 {
		fmt.Fprintf(w, "  popularity:  #%d\n", d.PopularityRank)
	}
	if d.Application != nil && d.Application.Name != "" {
		fmt.Fprintf(w, "  application: %s\n", clean(d.Application.Name))
	}
	if d.AdditionalInformation != nil && d.AdditionalInformation.SuspectedMalwareFamily != "" {
		fmt.Fprintf(w, "  malware family: %s\n", clean(d.AdditionalInformation.SuspectedMalwareFamily))
	}
	if len(d.ResolvesToRefs) > 0 {
		ips := make([]string, 0, len(d.ResolvesToRefs))
		for _, r := range d.ResolvesToRefs {
			ips = append(ips, r.Value)
		}
		fmt.Fprintf(w, "  resolves to: %s\n", joinSanitized(ips, ", "))
	}
	// WHOIS completes the picture; its failure does not fail the lookup.
	who, whoEx, err := c.Whois(ctx, name)
	defer func() { printChanges(w, actions.DomainLookupChanges(ex, d, whoEx, who)) }()
	switch {
	case err != nil:
		fmt.Fprintf(w, "  WHOIS: unavailable (%s)\n", clean(err.Error()))
	case !who.Found:
		fmt.Fprintln(w, "  WHOIS: no record")
	default:
		fmt.Fprintf(w, "  WHOIS: registrar %s\n", orNone(clean(who.Registrar)))
		reg := who.Registrant
		if reg == "" {
			reg = who.RegistrantOrg
		}
		fmt.Fprintf(w, "         registrant %s", orNone(clean(reg)))
		if who.RegistrantCountry != "" {
			fmt.Fprintf(w, " (%s)", clean(who.RegistrantCountry))
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "         created %s, expires %s\n", orNone(views.Date(who.CreatedDate)), orNone(views.Date(who.ExpirationDate)))
		if len(who.Nameservers) > 0 {
			fmt.Fprintf(w, "         nameservers %s\n", joinSanitized(who.Nameservers, ", "))
		}
	}
	return nil
}

func runUser(ctx context.Context, e *env) error {
	email, sess, err := lookupArg(ctx, e, "cftriage user <email> [--user-id ID]", indicator.NormalizeEmail)
	if err != nil {
		return err
	}
	defer sess.close()
	res, err := e.lookupUser(ctx, sess.Client, email)
	if err != nil {
		return err
	}
	if e.g.json {
		out := newUserJSON(res.Exchange, res.Email, res.User.Name, res.Risk)
		out.MatchedBy = string(res.Match)
		return writeJSON(e.stdout, withChanges(out, actions.UserLookupChanges(res)))
	}
	printUser(e.stdout, res)
	printChanges(e.stdout, actions.UserLookupChanges(res))
	return nil
}

// lookupUser finds the one user for email, using --user-id to choose
// among several.
func (e *env) lookupUser(ctx context.Context, c *cloudflare.Client, email string) (actions.UserResult, error) {
	res, err := actions.LookupUser(ctx, c, email)
	if err != nil {
		if errors.Is(err, actions.ErrUserNotFound) {
			return res, err
		}
		return res, e.apiFailure(err)
	}
	if !res.Ambiguous() {
		if e.o.userID != "" && res.User.ID != e.o.userID {
			return res, &exitError{code: ExitNotFound, msg: fmt.Sprintf("user %s has id %s, not %s", email, clean(res.User.ID), clean(e.o.userID))}
		}
		return res, nil
	}
	if e.o.userID == "" {
		var b strings.Builder
		fmt.Fprintf(&b, "%d users have the email %s; pick one with --user-id:", len(res.Candidates), email)
		if res.Match == actions.MatchSearch {
			b.WriteString(" (" + res.Match.Describe() + ")")
		}
		for _, u := range res.Candidates {
			fmt.Fprintf(&b, "\n  %s  %s", clean(u.ID), clean(u.Name))
		}
		return res, usageErr("%s", b.String())
	}
	u, ok := res.PickCandidate(e.o.userID)
	if !ok {
		return res, &exitError{code: ExitNotFound, msg: fmt.Sprintf("no user with id %s has the email %s", clean(e.o.userID), email)}
	}
	r, err := actions.LookupUserByID(ctx, c, u.ID, u.Email)
	if err != nil {
		return r, e.apiFailure(err)
	}
	r.User = u
	r.Query, r.Match = res.Query, res.Match
	return r, nil
}

func printUser(w io.Writer, res actions.UserResult) {
	r := res.Risk
	name := r.Name
	if name == "" {
		name = res.User.Name
	}
	email := r.Email
	if email == "" {
		email = res.Email
	}
	fmt.Fprintf(w, "%s <%s>\n", orNone(clean(name)), clean(email))
	if res.User.ID != "" {
		fmt.Fprintf(w, "  id:          %s\n", clean(res.User.ID))
	}
	switch res.Match {
	case actions.MatchEmail:
		fmt.Fprintln(w, "  found by:    email= (the address as typed)")
	case actions.MatchSearch:
		fmt.Fprintln(w, "  found by:    search= (email= found no user; only exact matches of the address, ignoring case)")
	}
	fmt.Fprintf(w, "  risk level:  %s\n", riskLevel(r))
	fmt.Fprintf(w, "  last reset:  %s\n", lastReset(r))
	fmt.Fprintf(w, "  events:      %d\n", len(r.Events))
	const shown = 10
	for i, ev := range r.Events {
		if i == shown {
			fmt.Fprintf(w, "    … %d more (use --json for all)\n", len(r.Events)-shown)
			break
		}
		fmt.Fprintf(w, "    %s  %-6s  %s%s\n", views.Stamp(ev.Timestamp), clean(ev.RiskLevel), clean(ev.Name), eventDetails(ev))
	}
}

// eventDetails renders the free-form details briefly: "k=v, k=v" for an
// object, the JSON text for any other value (the API allows any).
func eventDetails(ev cloudflare.RiskEvent) string {
	var s string
	switch d := ev.Details.(type) {
	case nil:
		return ""
	case map[string]any:
		if len(d) == 0 {
			return ""
		}
		parts := make([]string, 0, len(d))
		for _, k := range sortedKeys(d) {
			parts = append(parts, fmt.Sprintf("%s=%v", k, d[k]))
		}
		s = strings.Join(parts, ", ")
	case string:
		s = d
	default:
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(d) // decoded from JSON, so it encodes
		s = strings.TrimSpace(b.String())
	}
	s = clean(s)
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return "  (" + s + ")"
}

func riskLevel(r cloudflare.RiskScore) string {
	if r.RiskLevel == "" {
		return "none"
	}
	return clean(r.RiskLevel)
}

func lastReset(r cloudflare.RiskScore) string {
	if r.LastResetTime == nil || *r.LastResetTime == "" {
		return "never"
	}
	return views.Stamp(*r.LastResetTime)
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// apiFailure prints, with --json, the exchange of a failed call (when a
// response arrived) so scripts still see the status and body, and
// returns err for the exit code and the stderr message.
func (e *env) apiFailure(err error) error {
	var ce *cloudflare.Error
	if e.g.json && errors.As(err, &ce) && ce.Exchange != nil {
		_ = writeJSON(e.stdout, errorJSON{exchangeJSON: exchangeFields(ce.Exchange), Error: ce.Message})
	}
	return err
}
