package views

import (
	"reflect"
	"testing"
)

// TestFlattenDetailsAnyJSONValue: event_details may be any JSON value,
// not only an object.
func TestFlattenDetailsAnyJSONValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want []KV
	}{
		{"absent", nil, nil},
		{"string", "blocked evil.example", []KV{{Key: "value", Value: "blocked evil.example"}}},
		{"a domain string opens", "evil.example", []KV{{Key: "value", Value: "evil.example", Link: true}}},
		{"number", float64(41), []KV{{Key: "value", Value: "41"}}},
		{"bool", true, []KV{{Key: "value", Value: "true"}}},
		{"array", []any{map[string]any{"ip": "192.0.2.1"}, "x\x1b[2J"},
			[]KV{{Key: "[0].ip", Value: "192.0.2.1", Link: true}, {Key: "[1]", Value: "x"}}},
		{"empty array", []any{}, []KV{{Key: "value", Value: "[]"}}},
		{"empty object", map[string]any{}, nil},
	} {
		if got := FlattenDetails(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: FlattenDetails(%#v) = %#v, want %#v", tc.name, tc.in, got, tc.want)
		}
	}
}
