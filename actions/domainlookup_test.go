package actions

import (
	"context"
	"errors"
	"strings"
	"testing"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/indicator"
)

func TestDomainInputTakesTheHostOfAURL(t *testing.T) {
	for _, tc := range []struct{ in, name, url string }{
		{"example.com", "example.com", ""},
		{"EXAMPLE.com.", "example.com", ""},
		{"evil[.]example", "evil.example", ""},
		{"https://login.evil.example/owa?x=1", "login.evil.example", "https://login.evil.example/owa?x=1"},
		{"hxxps://evil[.]example/x", "evil.example", "https://evil.example/x"},
		{"пример.рф", "xn--e1afmkfd.xn--p1ai", ""},
	} {
		name, u, err := DomainInput(tc.in)
		if err != nil || name != tc.name || u != tc.url {
			t.Errorf("%q: %q %q %v, want %q %q", tc.in, name, u, err, tc.name, tc.url)
		}
	}
	for _, in := range []string{"https://203.0.113.5/x", "jane@example.com", "13335", "203.0.113.5", "not a domain", ""} {
		var ie *indicator.InputError
		if _, _, err := DomainInput(in); !errors.As(err, &ie) {
			t.Errorf("%q: %v, want an input error", in, err)
		}
	}
}

func TestDomainIDN(t *testing.T) {
	for _, tc := range []struct {
		name, unicode string
		warn          string // "" = none
	}{
		{"example.com", "", ""},
		{"xn--e1afmkfd.xn--p1ai", "пример.рф", ""},
		{"xn--wgv71a119e.jp", "日本語.jp", ""},
		{"xn--pypal-4ve.com", "pаypal.com", "mixes Cyrillic and Latin"},
		{"xn--80ak6aa92e.com", "аррӏе.com", "imitates apple"},
		{"xn--mxacde.example", "αβγδ.example", ""}, // Greek, not all lookalikes
	} {
		got := DomainIDN(tc.name)
		if got.Unicode != tc.unicode {
			t.Errorf("%s: unicode %q, want %q", tc.name, got.Unicode, tc.unicode)
		}
		switch {
		case tc.warn == "" && len(got.Warnings) > 0:
			t.Errorf("%s: unexpected warning %q", tc.name, got.Warnings[0].Text())
		case tc.warn != "" && (len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0].Text(), tc.warn)):
			t.Errorf("%s: warnings %+v, want %q", tc.name, got.Warnings, tc.warn)
		}
	}
}

// TestLookupDomainParts: the overview with the asked parts; a failed
// WHOIS is kept typed beside a good overview; "no record" is one rule.
func TestLookupDomainParts(t *testing.T) {
	f := newSimFixture(t)
	ctx := context.Background()
	res, err := LookupDomain(ctx, f.client, DomainRequest{Name: sim.DomainPhishing, Whois: true, History: true})
	if err != nil || res.Overview.Domain.Domain != sim.DomainPhishing || !res.Whois.Found() || len(res.History.History) == 0 {
		t.Fatalf("%v %+v", err, res)
	}
	if res.Overview.Exchange == nil || res.Overview.Exchange.StatusCode != 200 {
		t.Fatal("the overview's exchange is missing")
	}
	res, err = LookupDomain(ctx, f.client, DomainRequest{Name: "never-registered.example", Whois: true})
	if err != nil || res.Whois.Found() || res.Whois.Err != nil || res.History != nil {
		t.Fatalf("unknown name: %v %+v", err, res)
	}
	f.sim.Inject(sim.Fault{Op: sim.OpWhois, Status: 403})
	res, err = LookupDomain(ctx, f.client, DomainRequest{Name: sim.DomainC2, Whois: true})
	var ce *cloudflare.Error
	if err != nil || !errors.As(res.Whois.Err, &ce) || ce.Kind != cloudflare.KindPermission {
		t.Fatalf("failed WHOIS: %v %+v", err, res.Whois)
	}
	f.sim.Inject(sim.Fault{Op: sim.OpDomain, Status: 403})
	before := f.sim.Count(sim.OpWhois)
	if _, err = LookupDomain(ctx, f.client, DomainRequest{Name: sim.DomainC2, Whois: true}); !errors.As(err, &ce) {
		t.Fatalf("failed overview: %v", err)
	}
	if f.sim.Count(sim.OpWhois) != before {
		t.Fatal("WHOIS was read after the overview failed")
	}
}
