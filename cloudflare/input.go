package cloudflare

// SKELETON: signatures agreed between layers.

import "net/netip"

// IndicatorKind is what Detect recognised.
type IndicatorKind int

const (
	IndicatorUnknown IndicatorKind = iota
	IndicatorIP
	IndicatorDomain
	IndicatorEmail
	IndicatorASN
)

// Indicator is a normalized, refanged input.
type Indicator struct {
	Kind  IndicatorKind
	Value string // canonical: IP string, punycode domain, lowercased email, "13335"
	ASN   int    // for IndicatorASN
	Addr  netip.Addr
}

// InputError is bad input caught before any request; Suggestion is a
// corrected value when one is evident ("did you mean <host>?").
type InputError struct {
	Field      string
	Input      string
	Msg        string
	Suggestion string
}

func (e *InputError) Error() string { panic("todo") }

func Refang(s string) string                   { panic("todo") }
func NormalizeIP(s string) (netip.Addr, error) { panic("todo") }
func NormalizeDomain(s string) (string, error) { panic("todo") }
func NormalizeEmail(s string) (string, error)  { panic("todo") }
func ParseASN(s string) (int, error)           { panic("todo") }
func Detect(s string) (Indicator, error)       { panic("todo") }
