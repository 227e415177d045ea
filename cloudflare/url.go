package cloudflare

import (
	"context"
	"net/url"
	"strings"

	"cftriage/indicator"
)

// URLIntel is URL intelligence: the URL's own risk types and content
// categories (risk_type is singular in this answer; risk_types on IP and
// domain).
type URLIntel struct {
	ContentCategories []RiskType `json:"content_categories"`
	FullURL           string     `json:"full_url"`
	Hostname          string     `json:"hostname"`
	RiskType          []RiskType `json:"risk_type"`
	URLPath           string     `json:"url_path"`
}

// URLIntelligence looks up a URL (refanged first; http or https only).
func (c *Client) URLIntelligence(ctx context.Context, rawURL string) (URLIntel, *Exchange, error) {
	s := indicator.Refang(strings.TrimSpace(rawURL))
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return URLIntel{}, nil, inputError(OpURLIntel, inputErr("URL", rawURL, "is not an http or https URL"))
	}
	var out URLIntel
	ex, err := c.intelGet(ctx, OpURLIntel, "/intel/url", [][2]string{{"url", s}}, shapeEnvelope, &out)
	if err != nil {
		return URLIntel{}, ex, err
	}
	return out, ex, nil
}
