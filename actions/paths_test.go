package actions

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"cftriage/internal/contracttest"
)

// specOps reads the contract's operations as method → path → query
// parameter names (path-level parameters included).
func specOps(t *testing.T) map[string]map[string]map[string]bool {
	t.Helper()
	p, ok := contracttest.SpecPath()
	if !ok {
		t.Skip(contracttest.SkipMessage)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	type param struct {
		In   string `json:"in"`
		Name string `json:"name"`
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	ops := map[string]map[string]map[string]bool{}
	for path, item := range doc.Paths {
		var shared []param
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Fatal(err)
			}
		}
		for method, raw := range item {
			m := strings.ToUpper(method)
			switch m {
			case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD":
			default:
				continue
			}
			var op struct {
				Parameters []param `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			q := map[string]bool{}
			for _, pr := range append(shared, op.Parameters...) {
				if pr.In == "query" {
					q[pr.Name] = true
				}
			}
			if ops[m] == nil {
				ops[m] = map[string]map[string]bool{}
			}
			ops[m][path] = q
		}
	}
	if len(ops["GET"]) == 0 {
		t.Fatalf("%s: no GET operations found", p)
	}
	return ops
}

func TestKnownPathsMatchTheContract(t *testing.T) {
	ops := specOps(t)
	seen := map[string]bool{}
	for _, k := range KnownPaths {
		id := k.Method + " " + k.Path
		if seen[id] {
			t.Errorf("%s listed twice", id)
		}
		seen[id] = true
		q, ok := ops[k.Method][k.Path]
		if !ok {
			t.Errorf("%s is not an operation of the contract", id)
			continue
		}
		if k.Summary == "" {
			t.Errorf("%s has no summary", id)
		}
		for _, name := range k.Query {
			if !q[name] {
				t.Errorf("%s: query parameter %q is not in the contract", id, name)
			}
		}
	}
	for path := range ops["GET"] {
		if !seen["GET "+path] {
			t.Errorf("the contract's GET %s is missing from KnownPaths", path)
		}
	}
}

func TestCompletePath(t *testing.T) {
	const acct = "023e105f4ecef8ad9ca31a8372d0c353"
	paths := func(ks []KnownPath) []string {
		var out []string
		for _, k := range ks {
			out = append(out, k.Path)
		}
		return out
	}
	if got := CompletePath("", acct); len(got) != len(KnownPaths) {
		t.Fatalf("empty input: %d suggestions, want all %d", len(got), len(KnownPaths))
	}
	got := paths(CompletePath("/accounts/{account_id}/intel/d", acct))
	want := []string{"/accounts/{account_id}/intel/domain", "/accounts/{account_id}/intel/dns",
		"/accounts/{account_id}/intel/domain-history", "/accounts/{account_id}/intel/domain/bulk"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("prefix completion = %v, want %v", got, want)
	}
	// The account id typed literally, upper case and a query string
	// still match the placeholder path.
	got = paths(CompletePath("/ACCOUNTS/"+acct+"/intel/whois?domain=x", acct))
	if len(got) != 1 || got[0] != "/accounts/{account_id}/intel/whois" {
		t.Fatalf("literal account id: %v", got)
	}
	// A fragment in the middle matches after the prefix matches.
	got = paths(CompletePath("subnets", acct))
	if len(got) != 1 || !strings.HasSuffix(got[0], "/intel/asn/{asn}/subnets") {
		t.Fatalf("substring completion: %v", got)
	}
	got = paths(CompletePath("/user", acct))
	if len(got) == 0 || got[0] != "/user/tokens/verify" {
		t.Fatalf("prefix first: %v", got)
	}
	if got := CompletePath("/nothing/like/this", acct); len(got) != 0 {
		t.Fatalf("no match expected, got %v", paths(got))
	}
}
