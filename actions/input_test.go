package actions

import "testing"

func TestUnfilledPlaceholder(t *testing.T) {
	for path, want := range map[string]string{
		"/accounts/{account_id}/intel/ip":                        "",
		"/accounts/{ACCOUNT_ID}/intel/ip":                        "",
		"/accounts/%7Baccount_id%7D/intel/ip":                    "",
		"/accounts/{account_id}/zt_risk_scoring/<user_id>/reset": "<user_id>",
		"/accounts/{account_id}/zt_risk_scoring/{user_id}/reset": "{user_id}",
		"/accounts/{account_id}/intel/asn/%7basn%7d/subnets":     "%7basn%7d",
		"/zones/%3Czone_id%3E/dns_records":                       "%3Czone_id%3E",
		"/accounts/{account_id}/intel/ip?ipv4=1.2.3.4":           "",
		"/a<b": "", // not a placeholder: the client refuses the '<'
	} {
		if got := UnfilledPlaceholder(path); got != want {
			t.Errorf("UnfilledPlaceholder(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestJSONError(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"  \n":          "",
		`{"a": 1}`:      "",
		"{\"a\":\n1,,}": "invalid JSON at 2:3: invalid character ',' looking for beginning of object key string",
		`{"a":`:         "invalid JSON at 1:6: unexpected end of JSON input",
		"{\"é\": x}":    "invalid JSON at 1:7: invalid character 'x' looking for beginning of value", // columns count characters
		"{} x":          "invalid JSON at 1:4: invalid character 'x' after top-level value",
	} {
		if got := JSONError(in); got != want {
			t.Errorf("JSONError(%q) = %q, want %q", in, got, want)
		}
	}
}
