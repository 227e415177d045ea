package actions

import (
	"reflect"
	"testing"

	"cftriage/cloudflare"
)

func TestSeverity(t *testing.T) {
	cases := []struct {
		name string
		want int
	}{
		{"Phishing", SevHigh},
		{"Malware", SevHigh},
		{"Command and Control & Botnet", SevHigh},
		{"Spam", SevHigh},
		{"Cryptomining", SevHigh},
		{"DGA Domains", SevHigh},
		{"DNS Tunneling", SevHigh},
		{"Spyware", SevHigh},
		{"New Domains", SevMedium},
		{"Newly Seen Domains", SevMedium},
		{"Parked & For Sale Domains", SevMedium},
		{"Anonymizer", SevMedium},
		{"Tor", SevMedium},
		{"Technology", SevLow},
		{"Storage", SevLow},       // contains "tor" but not as a word
		{"Abc2 Networks", SevLow}, // contains "c2" but not as a word
		{"", SevLow},
	}
	for _, c := range cases {
		if got := Severity(cloudflare.RiskType{Name: c.name}); got != c.want {
			t.Errorf("Severity(%q) = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestFlattenDetails(t *testing.T) {
	got := FlattenDetails(map[string]any{
		"zeta":   "x",
		"domain": "login.evil.example",
		"source": map[string]any{"ip": "203.0.113.7", "port": float64(443)},
		"tags":   []any{"a", true, nil},
		"empty":  map[string]any{},
		"v6":     "2001:db8::1",
		"email":  "bob@example.com",
		"path":   "/var/log/x.log",
	})
	want := []Detail{
		{"domain", "login.evil.example", true},
		{"email", "bob@example.com", false},
		{"empty", "{}", false},
		{"path", "/var/log/x.log", false},
		{"source.ip", "203.0.113.7", true},
		{"source.port", "443", false},
		{"tags[0]", "a", false},
		{"tags[1]", "true", false},
		{"tags[2]", "null", false},
		{"v6", "2001:db8::1", true},
		{"zeta", "x", false},
	}
	if len(got) != len(want) {
		t.Fatalf("FlattenDetails = %v\nwant %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestFlattenDetailsDeepNesting(t *testing.T) {
	m := map[string]any{}
	cur := m
	for i := 0; i < 1000; i++ {
		next := map[string]any{}
		cur["a"] = next
		cur = next
	}
	got := FlattenDetails(m)
	if len(got) != 1 || got[0].Value != "…" {
		t.Fatalf("deep nesting: %d entries, first %+v", len(got), got[0])
	}
}

func TestIsLink(t *testing.T) {
	for s, want := range map[string]bool{
		"evil.example": true, "login.evil.example.": true, "xn--80ak6aa92e.com": true, "203.0.113.7": true, "2001:db8::1": true,
		"localhost": false, "1.5": false, "bob@example.com": false, "a b.example": false, "-bad.example": false,
		"https://evil.example/": false, "": false, "example.123": false,
	} {
		if got := IsLink(s); got != want {
			t.Errorf("IsLink(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFlattenDetailsAnyJSONValue: event_details may be any JSON value,
// not only an object.
func TestFlattenDetailsAnyJSONValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want []Detail
	}{
		{"absent", nil, nil},
		{"string", "blocked evil.example", []Detail{{Key: "value", Value: "blocked evil.example"}}},
		{"a domain string opens", "evil.example", []Detail{{Key: "value", Value: "evil.example", Link: true}}},
		{"number", float64(41), []Detail{{Key: "value", Value: "41"}}},
		{"bool", true, []Detail{{Key: "value", Value: "true"}}},
		{"array", []any{map[string]any{"ip": "192.0.2.1"}, "x\x1b[2J"},
			[]Detail{{Key: "[0].ip", Value: "192.0.2.1", Link: true}, {Key: "[1]", Value: "x"}}},
		{"empty array", []any{}, []Detail{{Key: "value", Value: "[]"}}},
		{"empty object", map[string]any{}, nil},
	} {
		if got := FlattenDetails(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: FlattenDetails(%#v) = %#v, want %#v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestSubnetSummarySaysTheTotalIsIPv4(t *testing.T) {
	for _, tc := range []struct {
		s    cloudflare.ASNSubnets
		want string
	}{
		{cloudflare.ASNSubnets{Count: 2, IPCountTotal: 128, Subnets: []string{"203.0.113.0/25", "2001:db8:bad::/48"}}, "2 (1 IPv4, 1 IPv6) · 128 IPv4 addresses"},
		{cloudflare.ASNSubnets{Count: 1, IPCountTotal: 0, Subnets: []string{"2001:db8::/32"}}, "1 (0 IPv4, 1 IPv6) · 0 IPv4 addresses"},
		// Only the first page listed: the split would be a guess.
		{cloudflare.ASNSubnets{Count: 1200, IPCountTotal: 1048576, Subnets: []string{"192.0.2.0/24"}}, "1,200 · 1,048,576 IPv4 addresses"},
		// Unreadable prefixes are not counted as either.
		{cloudflare.ASNSubnets{Count: 2, IPCountTotal: 256, Subnets: []string{"192.0.2.0/24", "junk"}}, "2 · 256 IPv4 addresses"},
		{cloudflare.ASNSubnets{}, "0 · 0 IPv4 addresses"},
	} {
		if got := SubnetSummary(&tc.s); got != tc.want {
			t.Errorf("SubnetSummary(%v) = %q, want %q", tc.s.Subnets, got, tc.want)
		}
	}
}
