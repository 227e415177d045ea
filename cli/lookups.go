package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
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

// ipFlags are the flags of `ip` (and of `lookup` for an address).
func ipFlags(fs *flag.FlagSet, o *opts) {
	fs.BoolVar(&o.noPDNS, "no-pdns", false, "skip passive DNS (one request less for each 1,000 hostnames)")
	fs.StringVar(&o.since, "since", "", "passive DNS from this `DAY` (2026-01-31, or 90d for 90 days ago; default: 30 days before --until)")
	fs.StringVar(&o.until, "until", "", "passive DNS up to this `DAY` (same forms; default: today)")
	fs.IntVar(&o.pdnsMax, "pdns-max", actions.DefaultPDNSMax, "read at most `N` passive DNS records (1,000 a request); 0 = all")
}

// ipRequest checks the ip flags for addr; a bad value is a usage error
// before any request.
func (e *env) ipRequest(addr netip.Addr) (actions.IPRequest, error) {
	if e.o.pdnsMax < 0 {
		return actions.IPRequest{}, usageErr("--pdns-max must be 0 (all) or more")
	}
	w, err := actions.ParsePDNSWindow(e.o.since, e.o.until, time.Now())
	if err != nil {
		return actions.IPRequest{}, err
	}
	r := actions.IPRequest{Addr: addr, NoPDNS: e.o.noPDNS, Window: w, PDNSMax: e.o.pdnsMax}
	if err := actions.CheckIPRequest(r); err != nil {
		return r, err
	}
	return r, nil
}

func runIP(ctx context.Context, e *env) error {
	if len(e.args) != 1 {
		return usageErr("usage: cftriage ip <addr>")
	}
	addr, err := indicator.NormalizeIP(indicator.Refang(e.args[0]))
	if err != nil {
		return err
	}
	return e.lookupIP(ctx, addr)
}

func (e *env) lookupIP(ctx context.Context, addr netip.Addr) error {
	req, err := e.ipRequest(addr)
	if err != nil {
		return err
	}
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()
	res, err := actions.LookupIP(ctx, sess.Client, req)
	if err != nil {
		return err
	}
	if e.g.json {
		return writeJSON(e.stdout, withChanges(newIPJSON(res), res.Changes()))
	}
	printIP(e.stdout, res)
	printChanges(e.stdout, res.Changes())
	return nil
}

func printIP(w io.Writer, res actions.IPResult) {
	addr := res.Addr
	infos := res.Overview.Infos
	if len(infos) == 0 {
		fmt.Fprintf(w, "%s: no intelligence\n", addr)
	}
	if sp := res.Special; sp != nil && len(infos) == 0 {
		fmt.Fprintf(w, "  note:   %s is %s; \"no known risk\" says nothing about it\n", addr, sp.Note())
	}
	for _, in := range infos {
		ip := clean(in.IP)
		if ip == "" {
			ip = addr.String()
		}
		fmt.Fprintln(w, ip)
		if sp := res.Special; sp != nil {
			fmt.Fprintf(w, "  note:   %s is %s; \"no known risk\" says nothing about it\n", addr, sp.Note())
		}
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
	if res.PDNSSkipped != "" {
		fmt.Fprintf(w, "  passive DNS: none; %s\n", res.PDNSSkipped)
	}
	if p := res.PDNS; p != nil {
		printPDNS(w, p)
	}
}

func printPDNS(w io.Writer, p *actions.PDNS) {
	window := p.Window.String()
	switch {
	case p.Err != nil && len(p.Records) == 0:
		fmt.Fprintf(w, "  passive DNS: unavailable (%s)\n", clean(errText(p.Err)))
		return
	case len(p.Records) == 0:
		fmt.Fprintf(w, "  passive DNS: no hostnames seen in %s\n", window)
		return
	}
	fmt.Fprintf(w, "  passive DNS: %s hostname(s) in %s\n", thousands(max(p.Total, len(p.Records))), window)
	for _, r := range p.Records {
		fmt.Fprintf(w, "    %s  (%s .. %s)\n", clean(r.Hostname), actions.Date(r.FirstSeen), actions.Date(r.LastSeen))
	}
	switch {
	case p.Err != nil:
		fmt.Fprintf(w, "    … stopped after %s record(s): %s", thousands(len(p.Records)), clean(errText(p.Err)))
		if n := p.Missing(); n > 0 {
			fmt.Fprintf(w, " (%s not read)", thousands(n))
		}
		fmt.Fprintln(w)
	case p.Limited:
		more := "more"
		if n := p.Missing(); n > 0 {
			more = thousands(n) + " more"
		}
		fmt.Fprintf(w, "    … %s not read (--pdns-max %d): --pdns-max 0 reads them all (1,000 a request), or narrow the window with --since/--until\n",
			more, len(p.Records))
	}
}

// thousands writes n with commas ("5,000").
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func runDomain(ctx context.Context, e *env) error {
	if len(e.args) != 1 {
		return usageErr("usage: cftriage domain <name|URL>")
	}
	name, fromURL, err := actions.DomainInput(e.args[0])
	if err != nil {
		return err
	}
	return e.lookupDomain(ctx, name, fromURL)
}

func (e *env) lookupDomain(ctx context.Context, name, fromURL string) error {
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()
	if fromURL != "" {
		fmt.Fprintf(e.stderr, "note: looking up the host of the URL %s: %s\n", clean(fromURL), name)
	}
	res, err := actions.LookupDomain(ctx, sess.Client, actions.DomainRequest{Name: name, FromURL: fromURL, Whois: true})
	if err != nil {
		return err
	}
	if e.g.json {
		return writeJSON(e.stdout, withChanges(newDomainJSON(res), res.Changes()))
	}
	printDomain(e.stdout, res)
	printChanges(e.stdout, res.Changes())
	return nil
}

func printDomain(w io.Writer, res actions.DomainResult) {
	d := res.Overview.Domain
	shown := clean(d.Domain)
	if shown == "" {
		shown = res.Name
	}
	if u := res.IDN.Unicode; u != "" {
		shown += " (" + clean(u) + ")"
	}
	fmt.Fprintln(w, shown)
	for _, lw := range res.IDN.Warnings {
		fmt.Fprintf(w, "  warning:     %s\n", clean(lw.Text()))
	}
	if res.FromURL != "" {
		fmt.Fprintf(w, "  from URL:    %s\n", clean(res.FromURL))
	}
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
	wp := res.Whois
	switch {
	case wp == nil:
	case wp.Err != nil:
		fmt.Fprintf(w, "  WHOIS: unavailable (%s)\n", clean(errText(wp.Err)))
	case !wp.Found():
		fmt.Fprintln(w, "  WHOIS: no record")
	default:
		who := wp.Record
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
		fmt.Fprintf(w, "         created %s, expires %s\n", orNone(actions.Date(who.CreatedDate)), orNone(actions.Date(who.ExpirationDate)))
		if len(who.Nameservers) > 0 {
			fmt.Fprintf(w, "         nameservers %s\n", joinSanitized(who.Nameservers, ", "))
		}
	}
}

// runLookup detects the indicator's kind as the search box does and runs
// that lookup; a flag that does not apply to the kind found is a usage
// error before any request.
func runLookup(ctx context.Context, e *env) error {
	if len(e.args) != 1 {
		return usageErr("usage: cftriage lookup <indicator>")
	}
	ind, err := indicator.Detect(e.args[0])
	if err != nil {
		return err
	}
	ipOnly := e.o.noPDNS || e.o.since != "" || e.o.until != "" || e.o.pdnsMax != actions.DefaultPDNSMax
	what := ind.Kind.String() + " " + ind.Value
	switch {
	case ipOnly && ind.Kind != indicator.IP:
		return usageErr("--no-pdns, --since, --until and --pdns-max apply to IP addresses; %s is %s", clean(e.args[0]), aKind(ind.Kind))
	case (e.o.userID != "" || e.o.id.context) && ind.Kind != indicator.Email:
		return usageErr("--user-id and --context apply to email addresses; %s is %s", clean(e.args[0]), aKind(ind.Kind))
	}
	switch ind.Kind {
	case indicator.IP:
		if ind.URL != "" {
			what += " (the host of the URL " + clean(ind.URL) + ")"
		}
		fmt.Fprintf(e.stderr, "lookup: %s\n", what)
		return e.lookupIP(ctx, ind.Addr)
	case indicator.Domain:
		if ind.URL == "" {
			// A URL's note comes from the domain lookup itself.
			fmt.Fprintf(e.stderr, "lookup: %s\n", what)
		}
		return e.lookupDomain(ctx, ind.Value, ind.URL)
	case indicator.Email:
		fmt.Fprintf(e.stderr, "lookup: %s\n", what)
		e.args = []string{ind.Value}
		return runUserCommand(ctx, e)
	case indicator.ASN:
		fmt.Fprintf(e.stderr, "lookup: %s\n", what)
		e.args = []string{ind.Value}
		return runASN(ctx, e)
	}
	return usageErr("cannot tell what %s is", clean(e.args[0]))
}

// aKind is "an IP address", "a domain", "an ASN".
func aKind(k indicator.Kind) string {
	w := k.String()
	if strings.ContainsRune("aeiouAEIOU", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
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

// ambiguousUserError is "several users have the email"; --json lists
// them as candidates.
type ambiguousUserError struct {
	*exitError
	candidates []cloudflare.AccessUser
}

func (e *ambiguousUserError) Unwrap() error { return e.exitError }

// lookupUser finds the one user for email, using --user-id to choose
// among several.
func (e *env) lookupUser(ctx context.Context, c *cloudflare.Client, email string) (actions.UserResult, error) {
	res, err := actions.LookupUser(ctx, c, email)
	if err != nil {
		return res, withExchange(err, res.Exchange)
	}
	if !res.Ambiguous() {
		if e.o.userID != "" && res.User.ID != e.o.userID {
			return res, withExchange(&exitError{code: ExitNotFound, msg: fmt.Sprintf("user %s has id %s, not %s", email, clean(res.User.ID), clean(e.o.userID))}, res.Exchange)
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
		return res, withExchange(&ambiguousUserError{usageErr("%s", b.String()).(*exitError), res.Candidates}, res.Exchange)
	}
	u, ok := res.PickCandidate(e.o.userID)
	if !ok {
		return res, withExchange(&exitError{code: ExitNotFound, msg: fmt.Sprintf("no user with id %s has the email %s", clean(e.o.userID), email)}, res.Exchange)
	}
	r, err := actions.LookupUserByID(ctx, c, u.ID, u.Email)
	if err != nil {
		return r, withExchange(err, r.Exchange)
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
		fmt.Fprintf(w, "    %s  %-6s  %s%s\n", actions.Stamp(ev.Timestamp), clean(ev.RiskLevel), clean(ev.Name), eventDetails(ev))
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
	return actions.Stamp(*r.LastResetTime)
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// apiFailure returns err: with --json, run prints every failure once, as
// an error object with its exchange (see newErrorJSON), so a command need
// not print it itself.
func (e *env) apiFailure(err error) error { return err }
