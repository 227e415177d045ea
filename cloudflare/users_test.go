package cloudflare

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestFindUsersSendsTheAddressAsTyped: email= carries the address exactly
// as given (it used to be lowercased; Cloudflare does not say email= is
// case-insensitive), and only exact matches come back.
func TestFindUsersSendsTheAddressAsTyped(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		users := []map[string]string{
			{"id": "1", "email": "Dana.Lee@Acme-Corp.example"},
			{"id": "2", "email": "dana.lee@acme-corp.example"},
			{"id": "3", "email": "xdana.lee@acme-corp.example"}, // a substring hit of search=
			{"id": "4", "email": "dana.lee@acme-corp.example.org"},
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": users,
			"result_info": map[string]int{"page": 1, "per_page": 1000, "count": len(users), "total_count": len(users), "total_pages": 1}})
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	for _, call := range []struct {
		f    func(context.Context, string) ([]AccessUser, *Exchange, error)
		want string
	}{
		{c.FindUsers, "email=Dana.Lee%40Acme-Corp.example&per_page=1000"},
		{c.SearchUsers, "search=Dana.Lee%40Acme-Corp.example&per_page=1000&page=1"},
	} {
		mu.Lock()
		queries = nil
		mu.Unlock()
		got, _, err := call.f(context.Background(), " Dana.Lee@Acme-Corp.example ")
		if err != nil {
			t.Fatal(err)
		}
		if len(queries) != 1 || queries[0] != call.want {
			t.Errorf("queries %q, want [%q]", queries, call.want)
		}
		if len(got) != 2 || got[0].ID != "1" || got[1].ID != "2" {
			t.Errorf("kept %+v; want the two exact matches, ignoring case", got)
		}
	}
}

func testClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: url + "/client/v4", Token: "test-token-abcdef", AccountID: "023e105f4ecef8ad9ca31a8372d0c353", RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.BaseURL(), "http://127.0.0.1") {
		t.Fatalf("base %s", c.BaseURL())
	}
	return c
}
