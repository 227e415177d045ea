package cli

import (
	"context"
	"fmt"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
)

// runASN is `cftriage asn <n>`: the ASN's subnets and what the ASN
// overview says about it (actions.LookupASN, as the console's ASN pane)
// — per the contract just the number, per Cloudflare's docs also its
// name, country and type, per the older SDK also a domain count and top
// domains. The overview failing is a note; the subnets failing fails.
func runASN(ctx context.Context, e *env) error {
	asn, sess, err := lookupArg(ctx, e, "cftriage asn <number>  (13335 or AS13335)", indicator.ParseASN)
	if err != nil {
		return err
	}
	defer sess.close()
	res, err := actions.LookupASN(ctx, sess.Client, asn)
	if err != nil {
		return err // with --json, run prints it with its exchange
	}
	info, infoErr, subs := res.Info, res.InfoErr, res.Subnets
	if e.g.json {
		return writeJSON(e.stdout, newASNJSON(res.Exchange, asn, info, infoErr, subs))
	}
	w := e.stdout
	title := fmt.Sprintf("AS%d", asn)
	if d := clean(info.Description); d != "" {
		title += "  " + d
	}
	fmt.Fprintln(w, title)
	if infoErr != nil {
		fmt.Fprintf(w, "  overview: unavailable (%s)\n", clean(infoErr.Error()))
	}
	if c := clean(info.Country); c != "" {
		fmt.Fprintf(w, "  country:  %s\n", c)
	}
	if t := clean(info.Type); t != "" {
		fmt.Fprintf(w, "  type:     %s\n", t)
	}
	if info.DomainCount != nil || len(info.TopDomains) > 0 {
		var parts []string
		if info.DomainCount != nil {
			parts = append(parts, fmt.Sprint(*info.DomainCount))
		}
		if len(info.TopDomains) > 0 {
			parts = append(parts, "top: "+joinSanitized(info.TopDomains, ", "))
		}
		fmt.Fprintf(w, "  domains:  %s\n", strings.Join(parts, " · "))
	}
	fmt.Fprintf(w, "  subnets:  %s\n", actions.SubnetSummary(&subs))
	for _, s := range subs.Subnets {
		fmt.Fprintf(w, "    %s\n", clean(s))
	}
	if left := subs.Count - len(subs.Subnets); left > 0 {
		fmt.Fprintf(w, "    … %d more not listed: the API answered with the first %d\n", left, len(subs.Subnets))
	}
	return nil
}

// asnJSON is the asn output: the subnets call's exchange, the overview's
// fields (null where the answer does not carry them) and the subnets
// answer as the API gives it.
type asnJSON struct {
	exchangeJSON
	ASN           int                    `json:"asn"`
	Description   *string                `json:"description"`
	Country       *string                `json:"country"`
	Type          *string                `json:"type"`
	DomainCount   *int                   `json:"domainCount"`
	TopDomains    []string               `json:"topDomains"`
	OverviewError string                 `json:"overviewError,omitempty"`
	Subnets       *cloudflare.ASNSubnets `json:"subnets"`
}

func newASNJSON(ex *cloudflare.Exchange, asn int, info cloudflare.ASNInfo, infoErr error, subs cloudflare.ASNSubnets) asnJSON {
	orNull := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	if subs.Subnets == nil {
		subs.Subnets = []string{}
	}
	out := asnJSON{exchangeJSON: exchangeFields(ex), ASN: asn, Description: orNull(info.Description),
		Country: orNull(info.Country), Type: orNull(info.Type), DomainCount: info.DomainCount,
		TopDomains: info.TopDomains, Subnets: &subs}
	if infoErr != nil {
		out.OverviewError = infoErr.Error()
	}
	return out
}
