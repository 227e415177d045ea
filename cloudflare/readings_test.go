package cloudflare

// Where Cloudflare's published schema and its own docs and SDKs disagree,
// the client accepts both readings (issue 10 §1) and stays strict about
// answers that are wrong under either. Each case is a real call against a
// server that answers one body.

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// answer serves body (an envelope's result, or the whole body when whole)
// to every request.
func answer(t *testing.T, body string) *Client {
	t.Helper()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	return c
}

func env(result string) string {
	return `{"success":true,"errors":[],"messages":[],"result":` + result + `}`
}

func intp(n int) *int { return &n }

func TestASNOverviewReadings(t *testing.T) {
	for _, tc := range []struct {
		name, result string
		want         ASNInfo
	}{
		{"the contract: a number", `13335`, ASNInfo{ASN: 13335}},
		{"null", `null`, ASNInfo{ASN: 13335}},
		{"the docs: an object", `{"asn":13335,"description":"CLOUDFLARENET","country":"US","type":"isp"}`,
			ASNInfo{ASN: 13335, Description: "CLOUDFLARENET", Country: "US", Type: "isp"}},
		{"the older SDK: an array", `[{"asn":13335,"description":"CLOUDFLARENET","country":"US","type":"hosting_provider","domain_count":2,"top_domains":["a.example","b.example"]}]`,
			ASNInfo{ASN: 13335, Description: "CLOUDFLARENET", Country: "US", Type: "hosting_provider", DomainCount: intp(2), TopDomains: []string{"a.example", "b.example"}}},
		{"an array naming others first", `[{"asn":64500,"description":"OTHER"},{"asn":13335,"description":"CLOUDFLARENET","domain_count":0}]`,
			ASNInfo{ASN: 13335, Description: "CLOUDFLARENET", DomainCount: intp(0)}},
		{"an object without its number", `{"description":"CLOUDFLARENET"}`, ASNInfo{ASN: 13335, Description: "CLOUDFLARENET"}},
		{"an empty array", `[]`, ASNInfo{ASN: 13335}},
		{"an array of numbers", `[13335]`, ASNInfo{ASN: 13335}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ex, err := answer(t, env(tc.result)).ASNOverview(context.Background(), 13335)
			if err != nil {
				t.Fatalf("ASNOverview: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			if ex == nil || ex.StatusCode != 200 {
				t.Fatalf("exchange %+v", ex)
			}
		})
	}
}

func TestASNOverviewStaysStrict(t *testing.T) {
	for _, tc := range []struct{ name, result, frag string }{
		{"a string", `"13335"`, "unexpected shape"},
		{"a fraction", `13335.5`, "unexpected shape"},
		{"a bool", `true`, "unexpected shape"},
		{"a string asn in the object", `{"asn":"13335"}`, "unexpected shape"},
		{"top_domains not a list", `[{"asn":13335,"top_domains":"a.example"}]`, "unexpected shape"},
		{"about another ASN", `{"asn":64500,"description":"OTHER"}`, "about AS64500 instead"},
		{"an array about others only", `[{"asn":64500},{"asn":64501}]`, "about AS64500 instead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ex, err := answer(t, env(tc.result)).ASNOverview(context.Background(), 13335)
			e := wantKind(t, err, KindMalformed)
			if !strings.Contains(e.Message, tc.frag) || e.Exchange == nil || ex == nil {
				t.Fatalf("message %q (exchange %v), want %q", e.Message, e.Exchange, tc.frag)
			}
		})
	}
}

func TestBelongsToValueReadings(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"string (the contract)", `"13335"`, "13335"},
		{"number (the docs, the older SDK)", `13335`, "13335"},
		{"null", `null`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := env(`[{"ip":"192.0.2.1","belongs_to_ref":{"id":"x","country":"US","description":"CLOUDFLARENET","type":"isp","value":` + tc.value + `},"risk_types":[]}]`)
			infos, _, err := answer(t, body).IPOverview(context.Background(), "192.0.2.1")
			if err != nil {
				t.Fatalf("IPOverview: %v", err)
			}
			b := infos[0].BelongsTo
			if b == nil || b.Value != tc.want || b.Description != "CLOUDFLARENET" || b.Country != "US" || b.Type != "isp" || b.ID != "x" {
				t.Fatalf("belongs_to_ref %+v, want value %q", b, tc.want)
			}
		})
	}
	// Without value at all the rest still decodes.
	infos, _, err := answer(t, env(`[{"ip":"192.0.2.1","belongs_to_ref":{"description":"X"}}]`)).IPOverview(context.Background(), "192.0.2.1")
	if err != nil || infos[0].BelongsTo.Value != "" || infos[0].BelongsTo.Description != "X" {
		t.Fatalf("no value: %+v %v", infos, err)
	}
	for _, bad := range []string{`true`, `{}`, `[13335]`, `1.5`, `-3`, `1e3`} {
		body := env(`[{"ip":"192.0.2.1","belongs_to_ref":{"value":` + bad + `}}]`)
		_, _, err := answer(t, body).IPOverview(context.Background(), "192.0.2.1")
		if e := wantKind(t, err, KindMalformed); !strings.Contains(e.Message, "value") {
			t.Errorf("value %s: message %q does not name the field", bad, e.Message)
		}
	}
}

func TestEventDetailsAnyJSONValue(t *testing.T) {
	for _, tc := range []struct {
		name, details string
		want          any
	}{
		{"object (the contract)", `{"src_ip":"192.0.2.1","n":3}`, map[string]any{"src_ip": "192.0.2.1", "n": float64(3)}},
		{"array", `[{"src_ip":"192.0.2.1"},"x"]`, []any{map[string]any{"src_ip": "192.0.2.1"}, "x"}},
		{"string", `"blocked cdn-update.test"`, "blocked cdn-update.test"},
		{"number", `41`, float64(41)},
		{"bool", `false`, false},
		{"null", `null`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := env(`{"email":"a@b.example","name":"A","risk_level":"high","last_reset_time":null,"events":[` +
				`{"id":"1","name":"e","risk_level":"low","timestamp":"2026-03-14T10:00:00Z","event_details":` + tc.details + `}]}`)
			rs, _, err := answer(t, body).RiskScore(context.Background(), "f174e90a-fafe-4643-bbbc-4a0ed4fc8415")
			if err != nil {
				t.Fatalf("RiskScore: %v", err)
			}
			if len(rs.Events) != 1 || !reflect.DeepEqual(rs.Events[0].Details, tc.want) {
				t.Fatalf("details %#v, want %#v", rs.Events, tc.want)
			}
		})
	}
}

func TestPassiveDNSResultInfoAndDates(t *testing.T) {
	ctx := context.Background()
	recs := `"reverse_records":[{"hostname":"a.example","first_seen":"2026-03-01T08:10:00Z","last_seen":"2026-03-14"}]`
	// count and result_info side by side, as the docs show.
	body := `{"success":true,"errors":[],"messages":[],"result":{"count":275,"page":2,"per_page":100,` + recs + `},` +
		`"result_info":{"page":2,"per_page":100,"count":1,"total_count":275,"total_pages":3}}`
	p, _, err := answer(t, body).PassiveDNS(ctx, "192.0.2.1", 2, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := &ResultInfo{Page: 2, PerPage: 100, Count: 1, TotalCount: 275, TotalPages: 3}
	if p.Count != 275 || p.Page != 2 || !reflect.DeepEqual(p.ResultInfo, want) || len(p.ReverseRecords) != 1 {
		t.Fatalf("passive DNS %+v (result_info %+v)", p, p.ResultInfo)
	}
	// Dates and date-times both read as times.
	for _, s := range []string{p.ReverseRecords[0].FirstSeen, p.ReverseRecords[0].LastSeen} {
		if _, ok := ParseTime(s); !ok {
			t.Errorf("%q does not parse", s)
		}
	}
	// Only result_info knows the total: it stands in for count.
	body = `{"success":true,"errors":[],"messages":[],"result":{` + recs + `},"result_info":{"page":1,"per_page":20,"count":1,"total_count":41,"total_pages":3}}`
	if p, _, err = answer(t, body).PassiveDNS(ctx, "192.0.2.1", 1, 20); err != nil || p.Count != 41 || p.Page != 1 || p.PerPage != 20 {
		t.Fatalf("count from result_info: %+v %v", p, err)
	}
	// No result_info, a null one, or one that is not an object: nil, and
	// the lookup still works.
	for _, ri := range []string{``, `,"result_info":null`, `,"result_info":"x"`, `,"result_info":[1]`} {
		body = `{"success":true,"errors":[],"messages":[],"result":{"count":1,` + recs + `}` + ri + `}`
		if p, _, err = answer(t, body).PassiveDNS(ctx, "192.0.2.1", 1, 20); err != nil || p.ResultInfo != nil || p.Count != 1 {
			t.Fatalf("result_info %q: %+v %v", ri, p, err)
		}
	}
}

// TestDatesAndOpenSpans: WHOIS dates as dates, history spans as
// date-times, the current span without end: all decode, none is lost.
func TestDatesAndOpenSpans(t *testing.T) {
	ctx := context.Background()
	w, _, err := answer(t, env(`{"domain":"a.example","found":true,"registrar":"R","registrant":"X","created_date":"2009-02-17","updated_date":"2024-01-09T16:45:28.000Z","expiration_date":"2033-02-17","nameservers":[],"dnssec":false,"extension":"example","punycode":"a.example"}`)).Whois(ctx, "a.example")
	if err != nil || w.CreatedDate != "2009-02-17" || w.ExpirationDate != "2033-02-17" {
		t.Fatalf("whois %+v %v", w, err)
	}
	h, _, err := answer(t, env(`[{"domain":"a.example","categorizations":[{"categories":[{"id":155,"name":"Technology"}],"start":"2021-04-01T00:00:00Z","end":"2021-04-30T00:00:00Z"},{"categories":[{"id":83,"name":"C2"}],"start":"2021-04-30"}]}]`)).DomainHistory(ctx, "a.example")
	if err != nil || len(h) != 1 || len(h[0].Categorizations) != 2 || h[0].Categorizations[1].End != "" || h[0].Categorizations[1].Start != "2021-04-30" {
		t.Fatalf("history %+v %v", h, err)
	}
}

// FuzzASNOverview: any result decodes to the ASN asked about or fails as
// a judged *Error; nothing panics.
func FuzzASNOverview(f *testing.F) {
	for _, s := range []string{`13335`, `{"asn":13335,"description":"X"}`, `[{"asn":13335,"domain_count":2,"top_domains":["a"]}]`,
		`[]`, `null`, `"13335"`, `[{"asn":1},{"asn":13335}]`, `[13335, {"asn": 2}]`, `{"asn":1e30}`} {
		f.Add(s)
	}
	c := decodeClient(f)
	f.Fuzz(func(t *testing.T, result string) {
		var out asnOverview
		err := c.DecodeResponse(OpASNOverview, 200, hdr("Content-Type", "application/json"), []byte(env(result)), false, &out)
		if err != nil {
			asError(t, err)
			return
		}
		if info, ok := out.pick(13335); ok && info.ASN != 13335 {
			t.Fatalf("picked %+v for AS13335", info)
		}
	})
}
