package indicator

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRefang(t *testing.T) {
	cases := map[string]string{
		"1.2.3[.]4":               "1.2.3.4",
		"1[.]2[.]3[.]4":           "1.2.3.4",
		"hxxps://evil[.]com/x":    "https://evil.com/x",
		"hxxp://evil.com":         "http://evil.com",
		"HXXPS[:]//evil[.]com":    "https://evil.com",
		"evil(.)com":              "evil.com",
		"evil[dot]com":            "evil.com",
		"evil[DOT]com":            "evil.com",
		"evil [dot] com":          "evil.com",
		"evil{.}com":              "evil.com",
		`evil\.com`:               "evil.com",
		"user[@]corp.com":         "user@corp.com",
		"user[at]corp.com":        "user@corp.com",
		"user(at)corp[.]com":      "user@corp.com",
		`  "evil.com"  `:          "evil.com",
		"<evil.com>":              "evil.com",
		"'1.2.3.4',":              "1.2.3.4",
		"“evil.com”":              "evil.com",
		"evil.com\u200b":          "evil.com\u200b", // kept: Detect refuses and names it
		"ev\u202eil.com":          "ev\u202eil.com",
		"\x1b[2Jevil.com":         "\x1b[2Jevil.com",
		"evil.com\r\n":            "evil.com",
		"Jane <jane@corp.com>":    "Jane <jane@corp.com>",
		"example.com":             "example.com",
		"[2001:db8::1]":           "[2001:db8::1]",
		"(not a token)":           "(not a token)",
		"https://example.com/a_b": "https://example.com/a_b",
	}
	for in, want := range cases {
		if got := Refang(in); got != want {
			t.Errorf("Refang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeIP(t *testing.T) {
	good := map[string]string{
		"1.2.3.4":                   "1.2.3.4",
		" 1.2.3.4 ":                 "1.2.3.4",
		"2001:DB8:0:0:0:0:0:1":      "2001:db8::1",
		"[2001:db8::1]":             "2001:db8::1",
		"::ffff:192.0.2.1":          "192.0.2.1",
		"2001:0db8:0000::00ff:0001": "2001:db8::ff:1",
	}
	for in, want := range good {
		a, err := NormalizeIP(in)
		if err != nil || a.String() != want {
			t.Errorf("NormalizeIP(%q) = %v, %v; want %s", in, a, err, want)
		}
	}
	bad := map[string]struct{ msg, sug string }{
		"":              {"is empty", ""},
		"10.0.0.0/8":    {"network (CIDR)", "10.0.0.0"},
		"fe80::1%eth0":  {"zone", "fe80::1"},
		"1.2.3.4:443":   {"port", "1.2.3.4"},
		"1.2.3":         {"not a valid IP", ""},
		"01.2.3.4":      {"not a valid IP", ""},
		"256.1.1.1":     {"not a valid IP", ""},
		"example.com":   {"not a valid IP", ""},
		"1.2.3.4/99":    {"not a valid IP", ""},
		"[::1]:8080/xx": {"not a valid IP", ""},
	}
	for in, want := range bad {
		_, err := NormalizeIP(in)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("NormalizeIP(%q) error = %v, want *InputError", in, err)
			continue
		}
		if !strings.Contains(ie.Error(), want.msg) || ie.Suggestion != want.sug {
			t.Errorf("NormalizeIP(%q) = %q (suggestion %q), want mention of %q and suggestion %q", in, ie.Error(), ie.Suggestion, want.msg, want.sug)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	good := map[string]string{
		"Example.COM":          "example.com",
		"example.com.":         "example.com",
		"bücher.de":            "xn--bcher-kva.de",
		"BÜCHER.de":            "xn--bcher-kva.de",
		"xn--bcher-kva.de":     "xn--bcher-kva.de",
		"例え.jp":                "xn--r8jz45g.jp",
		"_dmarc.example.com":   "_dmarc.example.com",
		"a-b.c-d.example":      "a-b.c-d.example",
		"example.com。":         "example.com",
		"sub.sub2.example.org": "sub.sub2.example.org",
	}
	for in, want := range good {
		got, err := NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	type bad struct{ msg, sug string }
	bads := map[string]bad{
		"https://Example.com/x?y=1":      {"looks like a URL — did you mean example.com?", "example.com"},
		"example.com/path":               {"looks like a URL — did you mean example.com?", "example.com"},
		"//example.com":                  {"looks like a URL", "example.com"},
		"http://1.2.3.4/x":               {"IP address 1.2.3.4", "1.2.3.4"},
		"1.2.3.4":                        {"is an IP address, not a domain", ""},
		"2001:db8::1":                    {"is an IP address, not a domain", ""},
		"jane@corp.com":                  {"email address", "corp.com"},
		"example.com:8443":               {"port — did you mean example.com?", "example.com"},
		"localhost":                      {"at least one dot", ""},
		"-bad.com":                       {"hyphen", ""},
		"bad-.com":                       {"hyphen", ""},
		"a..com":                         {"", ""},
		"ex ample.com":                   {"not allowed", ""},
		"1.2.3.999":                      {"last label is numeric", ""},
		strings.Repeat("a", 64) + ".com": {"longer than 63", ""},
		"":                               {"is empty", ""},
		"evil\x1b.com":                   {"control", ""},
	}
	for in, want := range bads {
		_, err := NormalizeDomain(in)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("NormalizeDomain(%q) error = %v, want *InputError", in, err)
			continue
		}
		if !strings.Contains(ie.Msg, want.msg) || ie.Suggestion != want.sug {
			t.Errorf("NormalizeDomain(%q): Msg %q Suggestion %q; want Msg containing %q, Suggestion %q", in, ie.Msg, ie.Suggestion, want.msg, want.sug)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	good := map[string]string{
		"Jane.Doe@Corp.COM":    "Jane.Doe@Corp.COM", // as typed: email= may be case-sensitive
		" jane+tag@corp.com ":  "jane+tag@corp.com",
		"jane@bücher.de":       "jane@bücher.de",
		"o'brien@corp.example": "o'brien@corp.example",
	}
	for in, want := range good {
		got, err := NormalizeEmail(in)
		if err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bads := map[string]string{
		"Jane <jane@corp.com>": "jane@corp.com",
		"jane@corp.com (Jane)": "jane@corp.com",
		`"jane doe"@corp.com`:  "",
		"jane":                 "",
		"jane@":                "",
		"@corp.com":            "",
		"jane@@corp.com":       "",
		"jane@corp":            "",
		"jane@1.2.3.4":         "",
		"a@b.com, c@d.com":     "",
		"":                     "",
	}
	for in, sug := range bads {
		_, err := NormalizeEmail(in)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("NormalizeEmail(%q) error = %v, want *InputError", in, err)
			continue
		}
		if ie.Suggestion != sug {
			t.Errorf("NormalizeEmail(%q) suggestion %q, want %q", in, ie.Suggestion, sug)
		}
	}
}

func TestParseASN(t *testing.T) {
	good := map[string]int{"13335": 13335, "AS13335": 13335, "as13335": 13335, "ASN 13335": 13335,
		"AS-13335": 13335, " asn13335 ": 13335, "4294967294": 4294967294, "AS00015169": 15169}
	for in, want := range good {
		if got, err := ParseASN(in); err != nil || got != want {
			t.Errorf("ParseASN(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "AS", "0", "AS0", "4294967295", "99999999999", "-5", "AS13335x", "13 335", "1.5", "+13335"} {
		if _, err := ParseASN(in); err == nil {
			t.Errorf("ParseASN(%q) accepted", in)
		} else if _, ok := err.(*InputError); !ok {
			t.Errorf("ParseASN(%q) error %T, want *InputError", in, err)
		}
	}
}

func TestDetect(t *testing.T) {
	type want struct {
		kind  Kind
		value string
		url   bool
	}
	cases := map[string]want{
		"1.2.3[.]4":              {IP, "1.2.3.4", false},
		"2001:DB8::1":            {IP, "2001:db8::1", false},
		"[2001:db8::1]":          {IP, "2001:db8::1", false},
		"evil[.]com":             {Domain, "evil.com", false},
		"Bücher.de":              {Domain, "xn--bcher-kva.de", false},
		"hxxps://evil[.]com/x":   {Domain, "evil.com", true},
		"https://1.2.3.4:8443/a": {IP, "1.2.3.4", true},
		"https://[2001:db8::1]/": {IP, "2001:db8::1", true},
		"evil.com/login.php":     {Domain, "evil.com", true},
		"user[@]Corp.com":        {Email, "user@Corp.com", false},
		"mailto:Jane@corp.com":   {Email, "Jane@corp.com", false},
		"AS13335":                {ASN, "13335", false},
		"ASN 13335":              {ASN, "13335", false},
		"13335":                  {ASN, "13335", false},
	}
	for in, w := range cases {
		ind, err := Detect(in)
		if err != nil {
			t.Errorf("Detect(%q): %v", in, err)
			continue
		}
		if ind.Kind != w.kind || ind.Value != w.value || (ind.URL != "") != w.url {
			t.Errorf("Detect(%q) = %+v, want kind %v value %q url %v", in, ind, w.kind, w.value, w.url)
		}
		if ind.Kind == ASN && ind.ASN != 13335 {
			t.Errorf("Detect(%q).ASN = %d", in, ind.ASN)
		}
		if ind.Kind == IP && ind.Addr.String() != ind.Value {
			t.Errorf("Detect(%q).Addr = %v, Value %q", in, ind.Addr, ind.Value)
		}
	}
	bads := map[string]string{
		"":             "is empty",
		"   ":          "is empty",
		"hello":        "not an IP address, domain, email address or ASN",
		"10.0.0.0/24":  "network (CIDR)",
		"fe80::1%en0":  "zone",
		"AS0":          "out of range",
		"Jane <j@x.y>": "display name",
		"ftp://":       "no host",
	}
	for in, frag := range bads {
		_, err := Detect(in)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Error(), frag) {
			t.Errorf("Detect(%q) error = %v, want *InputError mentioning %q", in, err, frag)
		}
	}
}

func TestInputErrorIsReadable(t *testing.T) {
	e := &InputError{Field: "domain", Input: "https://example.com/\x1b[2J", Msg: "looks like a URL — did you mean example.com?", Suggestion: "example.com"}
	got := e.Error()
	if strings.ContainsRune(got, 0x1b) {
		t.Fatalf("Error() leaks an escape character: %q", got)
	}
	if !strings.HasPrefix(got, `domain "https://example.com/\x1b[2J" looks like a URL`) {
		t.Fatalf("Error() = %q", got)
	}
	long := &InputError{Field: "domain", Input: strings.Repeat("a", 500), Msg: "is too long"}
	if n := utf8.RuneCountInString(long.Error()); n > 120 {
		t.Fatalf("Error() of a long input is %d runes; want it shortened", n)
	}
}

// hasControl reports characters that must never reach a terminal or a
// request from normalized output.
func hasControl(s string) bool { return strings.ContainsFunc(s, IsInvisible) }

var fuzzSeeds = []string{
	"1.2.3[.]4", "hxxps://evil[.]com/x", "evil(.)com", "user[at]corp.com", "AS13335", "2001:db8::1",
	"bücher.de", "xn--bcher-kva.de", "10.0.0.0/8", "fe80::1%eth0", "Jane <j@x.com>", "a..b", "[::1]:80",
	"\x1b]52;c;ZXZpbA==\x07evil.com", "ev\u202eil.com", "https://user:pw@host.example:8080/p?q#f",
	"ß.de", "xn--.com", "xn--a.com", "ＥＸＡＭＰＬＥ．ｃｏｍ", "\xff\xfe", "mailto:a@b.c", "a@b@c.d",
	"exa\u200bmple.com", "\ufeff1.2.3.4", "evil.com\r\n",
}

func withoutSpaceControls(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("\t\n\r\v\f", r) {
			return -1
		}
		return r
	}, s)
}

func FuzzRefang(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Refang(s)
		// Nothing invisible is dropped: it is Detect's to refuse, by name.
		if strings.ContainsFunc(withoutSpaceControls(s), IsInvisible) != hasControl(r) {
			t.Fatalf("Refang(%q) = %q drops or adds an invisible character", s, r)
		}
		if utf8.ValidString(s) != utf8.ValidString(r) {
			t.Fatalf("Refang(%q) = %q changes whether it is UTF-8", s, r)
		}
		if r != strings.TrimSpace(r) {
			t.Fatalf("Refang(%q) = %q has surrounding space", s, r)
		}
	})
}

func FuzzNormalizeDomain(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := NormalizeDomain(s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Error() == "" {
				t.Fatalf("NormalizeDomain(%q) error %T %v, want a readable *InputError", s, err, err)
			}
			if ie.Suggestion != "" {
				if again, err := NormalizeDomain(ie.Suggestion); err != nil && !strings.Contains(ie.Msg, "IP") {
					t.Fatalf("NormalizeDomain(%q) suggests %q, which is refused: %v", s, ie.Suggestion, err)
				} else if err == nil && again != ie.Suggestion {
					t.Fatalf("suggestion %q is not normalized (%q)", ie.Suggestion, again)
				}
			}
			return
		}
		if hasControl(d) || d != strings.ToLower(d) || strings.HasSuffix(d, ".") {
			t.Fatalf("NormalizeDomain(%q) = %q is not canonical", s, d)
		}
		again, err := NormalizeDomain(d)
		if err != nil || again != d {
			t.Fatalf("NormalizeDomain(%q) = %q, which re-normalizes to %q, %v", s, d, again, err)
		}
	})
}

func FuzzDetect(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ind, err := Detect(s)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Error() == "" {
				t.Fatalf("Detect(%q) error %T %v, want a readable *InputError", s, err, err)
			}
			if ind.Kind != Unknown {
				t.Fatalf("Detect(%q) returned kind %v with an error", s, ind.Kind)
			}
			return
		}
		if hasControl(ind.Value) || hasControl(ind.URL) || ind.Value == "" {
			t.Fatalf("Detect(%q) = %+v has control characters or no value", s, ind)
		}
		if strings.ContainsFunc(withoutSpaceControls(s), IsInvisible) || !utf8.ValidString(s) {
			t.Fatalf("Detect(%q) = %+v: an invisible character or invalid byte was dropped, not refused", s, ind)
		}
		switch ind.Kind {
		case IP:
			a, err := NormalizeIP(ind.Value)
			if err != nil || a != ind.Addr || a.String() != ind.Value {
				t.Fatalf("Detect(%q) IP %q does not round-trip: %v %v", s, ind.Value, a, err)
			}
		case Domain:
			if d, err := NormalizeDomain(ind.Value); err != nil || d != ind.Value {
				t.Fatalf("Detect(%q) domain %q re-normalizes to %q, %v", s, ind.Value, d, err)
			}
		case Email:
			if e, err := NormalizeEmail(ind.Value); err != nil || e != ind.Value {
				t.Fatalf("Detect(%q) email %q re-normalizes to %q, %v", s, ind.Value, e, err)
			}
		case ASN:
			if n, err := ParseASN(ind.Value); err != nil || n != ind.ASN {
				t.Fatalf("Detect(%q) ASN %q re-parses to %d, %v", s, ind.Value, n, err)
			}
		default:
			t.Fatalf("Detect(%q) succeeded with kind %v", s, ind.Kind)
		}
		if again, err := Detect(ind.Value); err != nil || again.Kind != ind.Kind || again.Value != ind.Value {
			t.Fatalf("Detect(%q) = %+v, but Detect(%q) = %+v, %v", s, ind, ind.Value, again, err)
		}
	})
}

// TestInvisibleCharactersAreRefusedNotDropped: a zero-width space inside
// a domain used to vanish ("exa\u200bmple.com" was looked up as
// example.com). Every parser now refuses it and names the character.
func TestInvisibleCharactersAreRefusedNotDropped(t *testing.T) {
	cases := map[string]string{
		"exa\u200bmple.com":           `U+200B zero width space) after "exa"`,
		"\ufeffexample.com":           "U+FEFF zero width no-break space (BOM)) at the start",
		"evil.com\u200b":              `after "evil.com"`,
		"ev\u202eil.com":              "U+202E right-to-left override",
		"hxxps://exa\u200dmple[.]com": "U+200D zero width joiner",
		"192.0.2\u200b.1":             "U+200B",
		"AS133\u200b35":               "U+200B",
		"bob\u200b@acme-corp.example": "U+200B",
		"\x1b[2Jevil.com":             "U+001B escape, a control character",
		"evil\xff.com":                "not valid UTF-8",
	}
	for in, frag := range cases {
		ind, err := Detect(in)
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Error(), frag) || !strings.Contains(ie.Error(), "retype") && !strings.Contains(ie.Error(), "UTF-8") {
			t.Errorf("Detect(%q) = %+v, %v; want a refusal naming %q", in, ind, err, frag)
		}
	}
	parsers := map[string]func(string) error{
		"NormalizeDomain": func(s string) error { _, err := NormalizeDomain(s); return err },
		"NormalizeIP":     func(s string) error { _, err := NormalizeIP(s); return err },
		"NormalizeEmail":  func(s string) error { _, err := NormalizeEmail(s); return err },
		"ParseASN":        func(s string) error { _, err := ParseASN(s); return err },
	}
	inputs := map[string]string{
		"NormalizeDomain": "exa\u200bmple.com", "NormalizeIP": "192.0.2\u200b.1",
		"NormalizeEmail": "bob@exa\u200bmple.com", "ParseASN": "13\u200b335",
	}
	for name, parse := range parsers {
		in := Refang(inputs[name]) // as the CLI calls them
		err := parse(in)
		if err == nil || !strings.Contains(err.Error(), "U+200B zero width space") {
			t.Errorf("%s(%q) = %v; want the zero width space named", name, in, err)
		}
	}
}

func TestSameEmail(t *testing.T) {
	same := [][2]string{
		{"Dana.Lee@acme-corp.example", "dana.lee@ACME-CORP.example"},
		{"jane@bücher.de", "JANE@xn--bcher-kva.de"},
		{" bob@x.example ", "bob@x.example"},
	}
	for _, p := range same {
		if !SameEmail(p[0], p[1]) {
			t.Errorf("SameEmail(%q, %q) = false", p[0], p[1])
		}
	}
	differ := [][2]string{
		{"bob@x.example", "bob.martin@x.example"},
		{"bob@x.example", "bob@x.example.com"},
		{"abob@x.example", "bob@x.example"},
		{"bob@x.example", "bob"},
	}
	for _, p := range differ {
		if SameEmail(p[0], p[1]) {
			t.Errorf("SameEmail(%q, %q) = true", p[0], p[1])
		}
	}
}
