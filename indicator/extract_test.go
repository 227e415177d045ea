package indicator

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

func values(e Extraction) []string {
	var out []string
	for _, f := range e.Found {
		out = append(out, string(f.Type)+":"+f.Value)
	}
	return out
}

func has(e Extraction, want string) bool {
	for _, v := range values(e) {
		if v == want {
			return true
		}
	}
	return false
}

func TestExtractFromAnAlert(t *testing.T) {
	text := `ALERT 2026-11-29T10:22:01Z beacon from 203.0.113[.]66:443 to hxxps://evil[.]example/x?id=7
user[@]corp.example clicked; also seen 192.0.2.10,198.51.100.7;  cdn-update(.)test
attachment report.pdf dropped setup.exe, ran script.py (v2.4.1, build 1.2.3)
origin AS64500 and ASN 13335; v6 2001:db8::1 and [2001:db8::2]; net 203.0.113.0/24
mail from "Eve" <eve@phish.example> re: popular-news.example. Twice: 192.0.2.10
`
	e, err := Extract(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ip:203.0.113.66", "url:https://evil.example/x?id=7", "domain:evil.example",
		"email:user@corp.example", "ip:192.0.2.10", "ip:198.51.100.7", "domain:cdn-update.test",
		"asn:64500", "asn:13335", "ip:2001:db8::1", "ip:2001:db8::2",
		"email:eve@phish.example", "domain:popular-news.example",
	} {
		if !has(e, want) {
			t.Errorf("missing %s in %v", want, values(e))
		}
	}
	for _, noise := range []string{"domain:report.pdf", "domain:setup.exe", "domain:script.py", "domain:2.4.1",
		"domain:1.2.3", "ip:203.0.113.0", "domain:corp.example"} {
		if has(e, noise) {
			t.Errorf("noise %s extracted: %v", noise, values(e))
		}
	}
	n := 0
	for _, v := range values(e) {
		if v == "ip:192.0.2.10" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("192.0.2.10 found %d times, want duplicates merged", n)
	}
	reasons := map[string]string{}
	for _, s := range e.Skipped {
		reasons[s.Text] = s.Reason
	}
	if !strings.Contains(reasons["203.0.113.0/24"], "network") {
		t.Errorf("CIDR not reported as skipped: %v", e.Skipped)
	}
	if !strings.Contains(reasons["script.py"], "file name") {
		t.Errorf("script.py not reported as a file name: %v", e.Skipped)
	}
	c := e.Counts()
	if c[TypeIP] != 5 || c[TypeASN] != 2 || c[TypeEmail] != 2 || c[TypeURL] != 1 {
		t.Errorf("counts %v", c)
	}
}

func TestExtractCSVAndCommaList(t *testing.T) {
	e, _ := Extract("203.0.113.66,192.0.2.10\nindicator,kind\nlogin-micros0ft-support.example,domain\n")
	want := []string{"ip:203.0.113.66", "ip:192.0.2.10", "domain:login-micros0ft-support.example"}
	if got := values(e); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestExtractNormalizesLikeSingleLookups(t *testing.T) {
	e, _ := Extract("EVIL.Example. ::ffff:192.0.2.1 2001:DB8:0:0::1 HTTPS://Evil.EXAMPLE/A#frag")
	for _, want := range []string{"domain:evil.example", "ip:192.0.2.1", "ip:2001:db8::1", "url:https://evil.example/A"} {
		if !has(e, want) {
			t.Errorf("missing %s in %v", want, values(e))
		}
	}
	if c := e.Counts(); c[TypeDomain] != 1 {
		t.Errorf("the URL's host and the bare domain are one domain: %v", values(e))
	}
}

func TestExtractRejectsNonAddresses(t *testing.T) {
	e, _ := Extract("at 12:30:45 mac aa:bb:cc:dd:ee:ff 999.1.1.1 ftp://files.example/a file.zip https://x.example/file.zip")
	if has(e, "ip:999.1.1.1") || has(e, "domain:file.zip") {
		t.Errorf("noise extracted: %v", values(e))
	}
	if !has(e, "domain:files.example") || !has(e, "domain:x.example") {
		t.Errorf("hosts missing: %v", values(e))
	}
	for _, v := range values(e) {
		if strings.HasPrefix(v, "ip:") {
			t.Errorf("%s extracted from times and MACs", v)
		}
	}
}

func TestExtractLimits(t *testing.T) {
	if _, err := Extract(strings.Repeat("a", MaxText+1)); err == nil || !strings.Contains(err.Error(), "at most 1 MiB") {
		t.Fatalf("over 1 MiB: %v", err)
	}
	var b strings.Builder
	for i := 0; i < MaxIndicators+25; i++ {
		fmt.Fprintf(&b, "10.%d.%d.%d\n", i>>16&255, i>>8&255, i&255)
	}
	e, err := Extract(b.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Found) != MaxIndicators || e.Over != 25 {
		t.Fatalf("found %d, over %d; want %d and 25", len(e.Found), e.Over, MaxIndicators)
	}
}

// mixedText is about n bytes of log-like text with indicators in it.
func mixedText(n int) string {
	r := rand.New(rand.NewSource(1))
	words := []string{"GET", "/index.html", "200", "user", "login", "failed", "report.pdf", "from", "to", "v1.2.3",
		"session", "ok", "Mozilla/5.0", "2026-11-29T10:22:01Z", "deny", "allow", "setup.exe"}
	var b strings.Builder
	for b.Len() < n {
		switch r.Intn(8) {
		case 0:
			fmt.Fprintf(&b, "203.0.%d.%d ", r.Intn(256), r.Intn(256))
		case 1:
			fmt.Fprintf(&b, "host%d.evil[.]example ", r.Intn(5000))
		case 2:
			fmt.Fprintf(&b, "hxxps://x%d.test/p?q=%d ", r.Intn(3000), r.Intn(9))
		case 3:
			fmt.Fprintf(&b, "u%d@corp.example ", r.Intn(500))
		default:
			b.WriteString(words[r.Intn(len(words))])
			b.WriteByte(' ')
		}
		if r.Intn(12) == 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()[:n]
}

func BenchmarkExtract(b *testing.B) {
	text := mixedText(MaxText)
	e, err := Extract(text)
	if err != nil || len(e.Found) < 1000 {
		b.Fatalf("found %d (%v): the benchmark text must hold indicators", len(e.Found), err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Extract(text); err != nil {
			b.Fatal(err)
		}
	}
}

// fastDomain must agree with the full normalization wherever it vouches
// for a name.
func TestFastDomainAgreesWithNormalizeDomain(t *testing.T) {
	for _, n := range []string{"evil.example", "a-b.c-d.example.", "x.test", "1.2.example", "a--b.example",
		"-a.example", "a-.example", "Evil.Example", "xn--e1afmkfd.xn--p1ai", "a..b", strings.Repeat("a", 64) + ".example",
		"über.example", "a_b.example", "a.b"} {
		fd, ok := fastDomain(n)
		nd, err := NormalizeDomain(n)
		if ok && (err != nil || fd != nd) {
			t.Errorf("%q: fast %q, full %q (%v)", n, fd, nd, err)
		}
	}
}

func TestDefangReadsBack(t *testing.T) {
	cases := []struct {
		k       Type
		in, out string
	}{
		{TypeIP, "203.0.113.66", "203.0.113[.]66"},
		{TypeDomain, "evil.example", "evil[.]example"},
		{TypeEmail, "user@corp.example", "user[@]corp[.]example"},
		{TypeURL, "https://evil.example/x?a=1", "hxxps://evil[.]example/x?a=1"},
		{TypeIP, "2001:db8::1", "2001:db8::1"},
	}
	for _, c := range cases {
		got := Defang(c.k, c.in)
		if !strings.HasPrefix(got, strings.SplitN(c.out, "?", 2)[0]) {
			t.Errorf("Defang(%s, %q) = %q, want %q", c.k, c.in, got, c.out)
		}
		if strings.Count(got, "[.]") != strings.Count(c.out, "[.]") {
			t.Errorf("Defang(%s, %q) = %q, want %q", c.k, c.in, got, c.out)
		}
		e, _ := Extract(got)
		if !has(e, string(c.k)+":"+c.in) {
			t.Errorf("defanged %q does not read back as %s:%s: %v", got, c.k, c.in, values(e))
		}
	}
}
