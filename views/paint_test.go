package views

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestPaintMatchesRender: paint is a fast path of Style.Render and must
// produce the same terminal result for every style of every theme.
func TestPaintMatchesRender(t *testing.T) {
	texts := []string{"x", "evil.example", "two words here", "✗ RISKY — Phishing", "例え"}
	for _, th := range []Theme{NewTheme(true, false), NewTheme(false, false), NewTheme(true, true), PlainTheme()} {
		v := reflect.ValueOf(th)
		for i := 0; i < v.NumField(); i++ {
			st, ok := v.Field(i).Interface().(lipgloss.Style)
			if !ok {
				continue
			}
			name := v.Type().Field(i).Name
			for _, s := range texts {
				got, want := paint(st, s), st.Render(s)
				if got != want && !sameCells(got, want) {
					t.Errorf("%s: paint(%q) = %q, Render = %q", name, s, got, want)
				}
			}
		}
	}
	// Layout styles fall back to Render.
	pad := lipgloss.NewStyle().Padding(0, 2).Bold(true)
	if got := paint(pad, "x"); got != pad.Render("x") {
		t.Errorf("padded style: %q vs %q", got, pad.Render("x"))
	}
}

// sameCells compares two styled strings cell by cell: the same text with
// the same set of SGR attributes in effect. (Render styles underlined text
// character by character and repeats the underline code; bold on a space
// is invisible.)
func sameCells(a, b string) bool {
	return reflect.DeepEqual(cells(a), cells(b))
}

func cells(s string) []string {
	var out []string
	attrs := map[string]bool{}
	p := ansi.NewParser()
	state := byte(0)
	for len(s) > 0 {
		seq, w, n, newState := ansi.DecodeSequence(s, state, p)
		state = newState
		switch {
		case w > 0:
			var keys []string
			for k := range attrs {
				if seq == " " && k == "1" {
					continue
				}
				keys = append(keys, k)
			}
			sort.Strings(keys)
			out = append(out, strings.Join(keys, ",")+"|"+seq)
		case strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m"):
			params := strings.Split(seq[2:len(seq)-1], ";")
			for i := 0; i < len(params); i++ {
				switch q := params[i]; q {
				case "", "0":
					attrs = map[string]bool{}
				case "38", "48", "58":
					k := 2 // 5;n
					if i+1 < len(params) && params[i+1] == "2" {
						k = 4 // 2;r;g;b
					}
					end := min(len(params), i+1+k)
					attrs[strings.Join(params[i:end], ";")] = true
					i = end - 1
				default:
					attrs[q] = true
				}
			}
		}
		s = s[n:]
	}
	return out
}
