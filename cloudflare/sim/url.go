package sim

import (
	"net/url"
	"strings"
)

// OpURLIntel is the URL intelligence operation.
const OpURLIntel = "url-intelligence-get-url-intelligence"

// urlCatJSON is a category as URL intelligence gives it (with source_id).
type urlCatJSON struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	SourceID int    `json:"source_id"`
	Super    int    `json:"super_category_id,omitempty"`
}

// urlIntelJSON is URL intelligence's result. Note risk_type is singular
// here (risk_types on IP and domain), as the contract has it.
type urlIntelJSON struct {
	ContentCategories []urlCatJSON `json:"content_categories"`
	FullURL           string       `json:"full_url"`
	Hostname          string       `json:"hostname"`
	RiskType          []urlCatJSON `json:"risk_type"`
	URLPath           string       `json:"url_path"`
}

func urlCats(cs []category) []urlCatJSON {
	out := make([]urlCatJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, urlCatJSON{ID: c.ID, Name: c.Name, SourceID: 1, Super: c.Super})
	}
	return out
}

// urlIntel judges a URL by its host's record in the dataset (own or
// inherited): a simulator's reading, coherent with the domain overview.
func (s *Sim) urlIntel(c *call) response {
	raw := c.r.URL.Query().Get("url")
	if raw == "" {
		return badParam("url", "a URL is required")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return badParam("url", "must be an absolute http or https URL")
	}
	host := strings.ToLower(u.Hostname())
	out := urlIntelJSON{FullURL: raw, Hostname: host, URLPath: u.EscapedPath(),
		ContentCategories: []urlCatJSON{}, RiskType: []urlCatJSON{}}
	if rec, _ := getData().lookupDomain(host); rec != nil {
		out.ContentCategories = urlCats(rec.Content)
		out.RiskType = urlCats(rec.Risk)
	}
	return ok(out)
}
