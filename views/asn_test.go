package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"cftriage/cloudflare"
)

func asnTable(nets []string) Table {
	return Table{Columns: []Column{{Title: "Subnet", Min: 18}}, N: len(nets), Row: func(i int) []string { return []string{nets[i]} }}
}

func TestRenderASNShowsTheOverviewWhenPresent(t *testing.T) {
	th := PlainTheme()
	nets := []string{"192.0.2.0/24", "2001:db8:cf::/48"}
	subs := &cloudflare.ASNSubnets{ASN: 13335, Count: 2, IPCountTotal: 256, Subnets: nets}
	two := 2
	full := &cloudflare.ASNInfo{ASN: 13335, Description: "CLOUDFLARENET", Country: "US", Type: "isp", DomainCount: &two, TopDomains: []string{"a.example", "b.example"}}

	out := plain(RenderASN(ASNPage{ASN: 13335, Info: full, Subnets: subs, List: asnTable(nets)}, 80, 12, th))
	for _, want := range []string{"AS13335  CLOUDFLARENET", "Country     US  type isp", "Domains     2 · top: a.example, b.example",
		"Subnets     2 (1 IPv4, 1 IPv6) · 256 IPv4 addresses", "192.0.2.0/24"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	// The contract's reading: only the number; nothing invented.
	out = plain(RenderASN(ASNPage{ASN: 13335, Info: &cloudflare.ASNInfo{ASN: 13335}, Subnets: subs, List: asnTable(nets)}, 80, 12, th))
	if strings.Contains(out, "Country") || strings.Contains(out, "Domains") || !strings.HasPrefix(out, "AS13335 ") {
		t.Errorf("number-only overview:\n%s", out)
	}
	// A domain count of zero is a fact, not an absence.
	zero := 0
	out = plain(RenderASN(ASNPage{ASN: 1, Info: &cloudflare.ASNInfo{ASN: 1, DomainCount: &zero}, Subnets: subs, List: asnTable(nets)}, 80, 12, th))
	if !strings.Contains(out, "Domains     0\n") && !strings.Contains(out, "Domains     0 ") {
		t.Errorf("zero domains not shown:\n%s", out)
	}
	// Ten long top domains: two lines, the rest counted.
	var ten []string
	for i := range 10 {
		ten = append(ten, strings.Repeat("x", 20)+string(rune('a'+i))+".example")
	}
	out = plain(RenderASN(ASNPage{ASN: 1, Info: &cloudflare.ASNInfo{ASN: 1, DomainCount: &two, TopDomains: ten}, Subnets: subs, List: asnTable(nets)}, 80, 12, th))
	var dl []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Domains") || (len(dl) == 1 && strings.HasPrefix(l, "            ")) {
			dl = append(dl, l)
		}
	}
	if len(dl) != 2 || !strings.Contains(dl[1], " more") || !strings.Contains(dl[0], ten[0]) {
		t.Errorf("top domains not cut to two lines with a count:\n%s", out)
	}
	// The overview failed: a note; the subnets stay.
	out = plain(RenderASN(ASNPage{ASN: 1, InfoErr: "Cloudflare had a server error", Subnets: subs, List: asnTable(nets)}, 80, 12, th))
	if !strings.Contains(out, "Overview    unavailable: Cloudflare had a server error") || !strings.Contains(out, "192.0.2.0/24") {
		t.Errorf("overview error:\n%s", out)
	}
	// The overview came first; the subnets are still on their way.
	out = plain(RenderASN(ASNPage{ASN: 13335, Info: full, Loading: true}, 80, 12, th))
	if !strings.Contains(out, "CLOUDFLARENET") || !strings.Contains(out, "Subnets     loading…") {
		t.Errorf("overview before subnets:\n%s", out)
	}
	// The subnets failed: the error box, as before.
	out = plain(RenderASN(ASNPage{ASN: 13335, Info: full, Err: "no such ASN"}, 80, 12, th))
	if !strings.Contains(out, "Lookup failed") || !strings.Contains(out, "no such ASN") {
		t.Errorf("subnets error:\n%s", out)
	}
}

func TestRenderASNFitsAndSanitizes(t *testing.T) {
	x := hostileText
	n := 7
	info := &cloudflare.ASNInfo{ASN: 1, Description: x("NAME"), Country: x("CC"), Type: x("TYPE"), DomainCount: &n,
		TopDomains: []string{x("d1"), x("d2"), x("d3")}}
	nets := []string{x("s1"), "192.0.2.0/24"}
	subs := &cloudflare.ASNSubnets{Count: 2, IPCountTotal: 256, Subnets: nets}
	scenes := []scene{
		{"asn-full", true, false, func(w, h int, th Theme) string {
			return RenderASN(ASNPage{ASN: 1, Info: info, Subnets: subs, List: asnTable(nets)}, w, h, th)
		}},
		{"asn-info-error", true, false, func(w, h int, th Theme) string {
			return RenderASN(ASNPage{ASN: 1, InfoErr: x("err"), Subnets: subs, List: asnTable(nets)}, w, h, th)
		}},
		{"asn-subnets-loading", true, false, func(w, h int, th Theme) string {
			return RenderASN(ASNPage{ASN: 1, Info: info, Loading: true}, w, h, th)
		}},
	}
	for _, s := range scenes {
		for tn, th := range themes() {
			for _, w := range propWidths {
				for _, h := range propHeights {
					out := s.fn(w, h, th)
					checkSize(t, s.name+"/"+tn, s, out, w, h)
					if w >= 80 && h >= 24 {
						checkEscapes(t, s.name+"/"+tn, out, tn != "plain", th.NoColor)
					}
				}
			}
		}
	}
	// Sanitizing drops controls, not data: both ends of each value show.
	out := ansi.Strip(scenes[0].fn(400, 30, PlainTheme()))
	for _, v := range []string{"NAME", "CC", "TYPE", "d1", "d2", "d3"} {
		if strings.Count(out, v) < 2 {
			t.Errorf("%s lost around the hostile text:\n%s", v, out)
		}
	}
}
