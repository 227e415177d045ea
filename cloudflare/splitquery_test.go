package cloudflare

import (
	"reflect"
	"strings"
	"testing"
)

// SplitQuery is how both ResolveURL and the console's editor read a
// query typed into a path, so what the editor moves into rows is what
// would have been sent.
func TestSplitQuery(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want [][2]string
		bad  bool
	}{
		{raw: "", want: nil},
		{raw: "ipv4=1.1.1.1", want: [][2]string{{"ipv4", "1.1.1.1"}}},
		// order and repeats are kept; empty parts are skipped
		{raw: "a=1&&b=2&a=3&", want: [][2]string{{"a", "1"}, {"b", "2"}, {"a", "3"}}},
		// no = is an empty value; only the first = splits
		{raw: "flag&x=a=b", want: [][2]string{{"flag", ""}, {"x", "a=b"}}},
		// query decoding: + is a space, escapes are decoded
		{raw: "q=a+b%26c&na%6De=%E4%BE%8B", want: [][2]string{{"q", "a b&c"}, {"name", "例"}}},
		{raw: "a=%zz", bad: true},
		{raw: "a=1&%4=2", bad: true},
		{raw: "=value", bad: true},
		{raw: "a=1&=2", bad: true},
	} {
		got, err := SplitQuery(tc.raw)
		if tc.bad {
			if err == nil {
				t.Errorf("SplitQuery(%q) = %v, want an error", tc.raw, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitQuery(%q) = %v, %v; want %v", tc.raw, got, err, tc.want)
		}
	}
}

// ResolveURL refuses a path whose query SplitQuery refuses, before
// anything is sent.
func TestResolveURLRefusesWhatSplitQueryRefuses(t *testing.T) {
	c, err := New(Config{BaseURL: "https://api.cloudflare.com/client/v4", Token: "t", AccountID: "acc"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"a=%zz", "=1"} {
		_, err := c.ResolveURL("/accounts/{account_id}/intel/ip?"+q, nil)
		if e := wantKind(t, err, KindInput); !strings.Contains(e.Message, "malformed query") {
			t.Errorf("query %q: %q does not say the query is malformed", q, e.Message)
		}
	}
}
