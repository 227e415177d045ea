package cloudflare

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	cases := map[string]time.Time{
		"2024-05-01T10:20:30Z":           time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		"2024-05-01T10:20:30.123456789Z": time.Date(2024, 5, 1, 10, 20, 30, 123456789, time.UTC),
		"2024-05-01T12:20:30+02:00":      time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		"2024-05-01 10:20:30":            time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		"2024-05-01":                     time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		" 2024-05-01T10:20:30Z ":         time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		"2024-05-01T10:20:30":            time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		"2024-05-01 10:20:30.5":          time.Date(2024, 5, 1, 10, 20, 30, 500000000, time.UTC),
	}
	for in, want := range cases {
		got, ok := ParseTime(in)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "yesterday", "2024-13-01", "01/05/2024", "2024-05-01T25:00:00Z"} {
		if _, ok := ParseTime(in); ok {
			t.Errorf("ParseTime(%q) accepted", in)
		}
	}
}
