package redact

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const tok = "cfut_Tok3nValue0123456789abcdefghijWXYZ"

func TestMask(t *testing.T) {
	if got := Mask(tok); got != "…WXYZ" {
		t.Fatalf("Mask = %q, want …WXYZ", got)
	}
	if got := String("short", "abc"); got != "short" {
		t.Fatalf("a secret under %d characters was masked: %q", MinLen, got)
	}
}

func TestBytes(t *testing.T) {
	spelled := func(s string) string { // every character as a \u escape
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	cases := []struct{ name, in string }{
		{"raw in JSON", `{"errors":[{"code":1000,"message":"invalid token ` + tok + `"}]}`},
		{"spelled with escapes", `{"errors":[{"code":1000,"message":"token ` + spelled(tok) + ` refused"}]}`},
		{"partly escaped", `{"a":"` + tok[:5] + `\u0054` + tok[6:] + `"}`},
		{"escaped slash", `{"a":"x\/` + tok + `"}`},
		{"twice", tok + " and " + tok},
		{"not JSON", "<html>" + tok + "</html>"},
	}
	for _, c := range cases {
		got := Bytes([]byte(c.in), tok)
		if strings.Contains(string(got), tok) {
			t.Errorf("%s: the token is still there: %s", c.name, got)
		}
		var decoded any
		if json.Unmarshal([]byte(c.in), &decoded) == nil {
			if err := json.Unmarshal(got, &decoded); err != nil {
				t.Errorf("%s: valid JSON became invalid: %v\n%s", c.name, err, got)
			}
			if b, _ := json.Marshal(decoded); strings.Contains(string(b), tok) {
				t.Errorf("%s: the decoded value still holds the token", c.name)
			}
		}
		if !strings.Contains(string(got), "WXYZ") {
			t.Errorf("%s: the mask (… and the last four) is missing: %s", c.name, got)
		}
		if !Contains([]byte(c.in), tok) {
			t.Errorf("%s: Contains missed it", c.name)
		}
	}
	clean := []byte(`{"result":{"id":"abc\u0041"}}`)
	if got := Bytes(clean, tok); &got[0] != &clean[0] {
		t.Error("data without the token was copied")
	}
	if Contains(clean, tok) {
		t.Error("Contains found a token that is not there")
	}
}

// BenchmarkBytes masks a 1 MiB answer of 10,000 records, every one with
// an escape, which is what the client does to every body it reads.
func BenchmarkBytes(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"success":true,"result":[`)
	for i := range 10000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"hostname":"host-%d.example\/path","first_seen":"2026-01-01","last_seen":"2026-02-01","note":"caf\u00e9 %d"}`, i, i)
	}
	sb.WriteString(`]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if got := Bytes(body, tok); len(got) != len(body) {
			b.Fatal("a body without the token changed")
		}
	}
}
