package actions

import (
	"context"

	"cftriage/cloudflare"
)

// ASNResult is an ASN lookup: the ASN's subnets, which are the lookup's
// result, and what the ASN overview says about it. Per the contract the
// overview is just the number, so its failure is kept apart (InfoErr)
// rather than failing the lookup.
type ASNResult struct {
	ASN      int
	Subnets  cloudflare.ASNSubnets
	Exchange *cloudflare.Exchange // the subnets call's
	Info     cloudflare.ASNInfo   // only ASN set when the overview failed
	InfoErr  error
	// InfoExchange is the overview call's (a case pins both answers).
	InfoExchange *cloudflare.Exchange
}

// LookupASN fetches the subnets, then the overview. It returns an error
// only when the subnets call fails (the overview is then not asked).
func LookupASN(ctx context.Context, c *cloudflare.Client, asn int) (ASNResult, error) {
	r := ASNResult{ASN: asn, Info: cloudflare.ASNInfo{ASN: asn}}
	subs, ex, err := c.ASNSubnets(ctx, asn)
	r.Exchange = ex
	if err != nil {
		return r, err
	}
	r.Subnets = subs
	info, iex, err := c.ASNOverview(ctx, asn)
	r.InfoExchange = iex
	if err != nil {
		r.InfoErr = err
	} else {
		r.Info = info
	}
	return r, nil
}
