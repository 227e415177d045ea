package cloudflare

import (
	"net/http"
	"time"
)

// Types mirror the result objects of ../shared/cloudflare/openapi.json.
// Dates stay strings: the API is not strict about their format and a
// lookup must not fail because one timestamp is odd; use ParseTime.

// RiskType is a threat-intel category (risk type or content category).
type RiskType struct {
	ID              int    `json:"id"`
	Name            string `json:"name"`
	SuperCategoryID int    `json:"super_category_id,omitempty"`
}

// ASNRef is belongs_to_ref of an IP overview: Value is the ASN, Description
// its name. The contract types value as a string; Cloudflare's docs and
// the older Go SDK send a number (13335): both decode into the string
// (see UnmarshalJSON in decode.go).
type ASNRef struct {
	ID          string `json:"id"`
	Country     string `json:"country"`
	Description string `json:"description"`
	Type        string `json:"type"`
	Value       string `json:"value"`
}

// IPInfo is one element of the IP overview result array.
type IPInfo struct {
	IP        string     `json:"ip"`
	BelongsTo *ASNRef    `json:"belongs_to_ref,omitempty"`
	RiskTypes []RiskType `json:"risk_types"`
}

// Ref is an {id, value} reference (resolves_to_refs).
type Ref struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// Application is the application a domain belongs to.
type Application struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// AdditionalInfo holds the suspected malware family of a domain.
type AdditionalInfo struct {
	SuspectedMalwareFamily string `json:"suspected_malware_family,omitempty"`
}

// Domain is the domain overview (and one element of bulk domains).
type Domain struct {
	Domain                     string          `json:"domain"`
	ContentCategories          []RiskType      `json:"content_categories"`
	InheritedContentCategories []RiskType      `json:"inherited_content_categories"`
	RiskTypes                  []RiskType      `json:"risk_types"`
	InheritedRiskTypes         []RiskType      `json:"inherited_risk_types"`
	InheritedFrom              string          `json:"inherited_from,omitempty"`
	RiskScore                  float64         `json:"risk_score"`
	PopularityRank             int             `json:"popularity_rank,omitempty"`
	Application                *Application    `json:"application,omitempty"`
	AdditionalInformation      *AdditionalInfo `json:"additional_information,omitempty"`
	ResolvesToRefs             []Ref           `json:"resolves_to_refs,omitempty"`
}

// ReverseRecord is one hostname seen on an IP by passive DNS.
type ReverseRecord struct {
	Hostname  string `json:"hostname"`
	FirstSeen string `json:"first_seen"`
	LastSeen  string `json:"last_seen"`
}

// PassiveDNS is one page of passive DNS for an IPv4 address. Dates come
// as dates ("2026-03-14", the contract) or date-times (the docs).
type PassiveDNS struct {
	Count          int             `json:"count"`
	Page           int             `json:"page"`
	PerPage        int             `json:"per_page"`
	ReverseRecords []ReverseRecord `json:"reverse_records"`
	// ResultInfo is the envelope's result_info, which the docs show
	// beside count; nil when the answer has none. (It is not part of the
	// result object, hence no JSON name.)
	ResultInfo *ResultInfo `json:"-"`
}

// ResultInfo is the paging part of an envelope.
type ResultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// ASNInfo is the ASN overview. The contract's result is just the number;
// Cloudflare's Threat Intelligence docs show an object {asn, description,
// country, type}, and the older Go SDK an array of such objects with
// domain_count and top_domains. All three decode; what an answer does not
// carry stays empty (DomainCount nil).
type ASNInfo struct {
	ASN         int      `json:"asn"`
	Description string   `json:"description,omitempty"`
	Country     string   `json:"country,omitempty"`
	Type        string   `json:"type,omitempty"`
	DomainCount *int     `json:"domain_count,omitempty"`
	TopDomains  []string `json:"top_domains,omitempty"`
}

// ASNSubnets is the (envelope-less) subnets answer.
type ASNSubnets struct {
	ASN          int      `json:"asn"`
	Count        int      `json:"count"`
	IPCountTotal int      `json:"ip_count_total"`
	Page         int      `json:"page"`
	PerPage      int      `json:"per_page"`
	Subnets      []string `json:"subnets"`
}

// Whois is the WHOIS record of a domain (the fields the console shows;
// the raw body keeps the rest). Its dates are date-times (the contract)
// or dates.
type Whois struct {
	Domain            string   `json:"domain"`
	Found             bool     `json:"found"`
	Registrar         string   `json:"registrar"`
	Registrant        string   `json:"registrant"`
	RegistrantOrg     string   `json:"registrant_org"`
	RegistrantCountry string   `json:"registrant_country"`
	RegistrantEmail   string   `json:"registrant_email"`
	CreatedDate       string   `json:"created_date"`
	UpdatedDate       string   `json:"updated_date"`
	ExpirationDate    string   `json:"expiration_date"`
	Nameservers       []string `json:"nameservers"`
	Status            []string `json:"status"`
	DNSSEC            bool     `json:"dnssec"`
}

// Categorization is one period of a domain's category history. Start and
// End are dates or date-times; the current period may have no End ("").
type Categorization struct {
	Categories []RiskType `json:"categories"`
	Start      string     `json:"start"`
	End        string     `json:"end"`
}

// DomainHistory is one element of the category-history result.
type DomainHistory struct {
	Domain          string           `json:"domain"`
	Categorizations []Categorization `json:"categorizations"`
}

// AccessUser is a Zero Trust user; ID is the user_id for risk scoring.
type AccessUser struct {
	ID                  string `json:"id"`
	Email               string `json:"email"`
	Name                string `json:"name"`
	LastSuccessfulLogin string `json:"last_successful_login,omitempty"`
	CreatedAt           string `json:"created_at,omitempty"`
	UpdatedAt           string `json:"updated_at,omitempty"`
	AccessSeat          bool   `json:"access_seat,omitempty"`
	GatewaySeat         bool   `json:"gateway_seat,omitempty"`
	UID                 string `json:"uid,omitempty"`
}

// RiskEvent is one behavioural risk event. Details is free-form: the
// contract says an object, the TypeScript SDK types it unknown, so any
// JSON value decodes (map[string]any, []any, string, float64, bool, or
// nil when absent or null).
type RiskEvent struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RiskLevel string `json:"risk_level"`
	Timestamp string `json:"timestamp"`
	Details   any    `json:"event_details"`
}

// RiskScore is a user's risk details. RiskLevel is "" and LastResetTime
// nil when the API returns null.
type RiskScore struct {
	Email         string      `json:"email"`
	Name          string      `json:"name"`
	RiskLevel     string      `json:"risk_level"`
	LastResetTime *string     `json:"last_reset_time"`
	Events        []RiskEvent `json:"events"`
}

// RiskyUser is one row of the risky-users summary.
type RiskyUser struct {
	UserID       string `json:"user_id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	EventCount   int    `json:"event_count"`
	LastEvent    string `json:"last_event"`
	MaxRiskLevel string `json:"max_risk_level"`
}

// RiskSummary is the risky-users summary.
type RiskSummary struct {
	Users []RiskyUser `json:"users"`
}

// TokenStatus is the token verify result.
type TokenStatus struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	NotBefore string `json:"not_before,omitempty"`
	ExpiresOn string `json:"expires_on,omitempty"`
	// Kind says which endpoint accepted the token: "user" or "account".
	Kind string `json:"-"`
}

// Account is one account the token can see.
type Account struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Exchange is the raw side of a call: what the connector calls
// statusCode, headers and rawResponse. URL never carries the token.
type Exchange struct {
	Method     string
	URL        string
	StatusCode int
	Header     http.Header
	Body       []byte
	Duration   time.Duration
	Attempts   int
	Cache      CacheInfo // cacheable typed GETs: from the cache or not, fetched when
}

// RawRequest is a custom API call. Path is relative to the base URL
// ("/accounts/{account_id}/intel/ip"); {account_id} is filled in.
type RawRequest struct {
	Method string
	Path   string
	Query  [][2]string
	Header [][2]string
	Body   []byte
}

// Quota is the latest rate-limit state read from Ratelimit headers.
type Quota struct {
	Known     bool
	Remaining int
	Limit     int
	Reset     time.Duration // until the window resets, as of Seen
	Window    time.Duration
	Seen      time.Time
}
