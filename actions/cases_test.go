package actions

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// caseFixture builds the case an analyst would: a risky IP, a phishing
// domain and its URL, a user (then reset), an ASN and a note with an
// email and a name in it.
func caseFixture(t *testing.T) (*memFixture, *Session, string) {
	t.Helper()
	f := newMemFixture(t)
	s := f.session(t, CachePolicy{})
	ctx := context.Background()
	if _, err := PinLookup(ctx, s.Client, s.DB, sim.IPRiskyC2, ""); !errors.Is(err, store.ErrNoActiveCase) {
		t.Fatalf("pinning without a case: %v", err)
	}
	if f.sim.Total() != 0 {
		t.Fatal("pinning without a case sent requests")
	}
	if _, err := s.DB.CreateCase("INC-7 phishing"); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{sim.IPRiskyC2, sim.DomainPhishing, "hxxps://" + sim.DomainPhishing + "/login", sim.EmailFewEvents, "AS13335"} {
		if _, err := PinLookup(ctx, s.Client, s.DB, in, ""); err != nil {
			t.Fatalf("pin %s: %v", in, err)
		}
	}
	res, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
	if err != nil {
		t.Fatal(err)
	}
	s.Audit = store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	r := Reset(ctx, s.Writer(), ResetRequest{Email: res.Email, UserID: res.User.ID, Name: res.User.Name,
		Reason: "INC-7 creds rotated", Before: res.Risk, AccountID: sim.DemoAccountID})
	if r.Outcome != OutcomeSuccess {
		t.Fatalf("reset: %+v", r)
	}
	if _, err := AddNote(s.DB, "Reported by "+res.User.Name+" <"+sim.EmailFewEvents+">; sender was spoofing **IT**.\nSecond line."); err != nil {
		t.Fatal(err)
	}
	return f, s, s.Audit.Path()
}

func TestCaseReport(t *testing.T) {
	_, s, audit := caseFixture(t)
	r, err := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", false)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range r.Entries {
		kinds = append(kinds, e.Type+":"+e.Kind)
	}
	if strings.Join(kinds, " ") != "item:ip item:domain item:url item:user item:asn note:" {
		t.Fatalf("entries in order = %v", kinds)
	}
	ip := r.Entries[0]
	if !ip.Risky || len(ip.Facts) < 3 || ip.Facts[0].Operation != "IP overview" || ip.Facts[0].Fetched.IsZero() {
		t.Errorf("IP item = %+v", ip)
	}
	var ops []string
	for _, f := range r.Entries[1].Facts {
		ops = append(ops, f.Operation)
	}
	if !strings.Contains(strings.Join(ops, ","), "WHOIS") || !strings.Contains(strings.Join(ops, ","), "domain overview") {
		t.Errorf("domain facts come from %v, want the overview and WHOIS", ops)
	}
	if u := r.Entries[2]; u.Indicator != "https://"+sim.DomainPhishing+"/login" {
		t.Errorf("URL item indicator = %q", u.Indicator)
	}
	if len(r.Writes) != 1 || r.Writes[0].Action != "risk reset" || r.Writes[0].Outcome != "success" || r.Writes[0].Reason != "INC-7 creds rotated" || r.Writes[0].AttemptID == "" {
		t.Errorf("writes = %+v", r.Writes)
	}
	// A reset outside the case's active time is not in it.
	if _, err := s.DB.CreateCase("other"); err != nil {
		t.Fatal(err)
	}
	r2, _ := LoadCase(s.DB, "other", audit, "", false)
	if len(r2.Writes) != 0 {
		t.Errorf("a reset before the case was created is in it: %+v", r2.Writes)
	}
	if _, err := LoadCase(s.DB, "nope", audit, "", false); !errors.Is(err, store.ErrNoCase) {
		t.Errorf("unknown case: %v", err)
	}
}

func TestExportMarkdown(t *testing.T) {
	_, s, audit := caseFixture(t)
	r, _ := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", false)
	md, err := Export(r, FormatMarkdown)
	if err != nil {
		t.Fatal(err)
	}
	out := string(md)
	for _, want := range []string{
		"# Case: INC-7 phishing", "## Summary", "| # | Indicator | Kind | Verdict | Looked up |",
		"`" + strings.ReplaceAll(sim.IPRiskyC2, ".", "[.]") + "`", "hxxps[://]", "| ip | ⚠ risky: ",
		"## Items", "| Fact | Value | From |", "IP overview, ", "WHOIS, ", "## Notes", "> Second line.",
		"## Actions taken (audit log)", "INC-7 creds rotated", "| success |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	// Indicators in the summary and item titles are never live.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| 1 |") || strings.HasPrefix(l, "### ") {
			if strings.Contains(l, sim.IPRiskyC2) || strings.Contains(l, sim.DomainPhishing) || strings.Contains(l, "https://") {
				t.Errorf("live indicator: %s", l)
			}
		}
	}
}

func TestExportJSON(t *testing.T) {
	_, s, audit := caseFixture(t)
	r, _ := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", false)
	b, err := Export(r, FormatJSON)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Format  string `json:"format"`
		Name    string `json:"name"`
		Entries []struct {
			Type    string `json:"type"`
			Facts   []Fact `json:"facts"`
			Answers []struct {
				Operation string `json:"operation"`
				Body      string `json:"body"`
			} `json:"answers"`
		} `json:"entries"`
		Writes []CaseWrite `json:"writes"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.Format != "cftriage-case" || v.Name != "INC-7 phishing" || len(v.Entries) != 6 || len(v.Writes) != 1 {
		t.Fatalf("json = %+v", v)
	}
	if a := v.Entries[0].Answers; len(a) != 2 || !json.Valid([]byte(a[0].Body)) {
		t.Errorf("IP answers = %+v", a)
	}
}

var (
	stixIDRe      = regexp.MustCompile(`^([a-z0-9-]+)--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	stixPatternRe = regexp.MustCompile(`^\[(ipv4-addr|ipv6-addr|domain-name|url):value = '(?:[^'\\]|\\.)*'\]$`)
	stixTimeRe    = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)
)

func TestExportSTIX(t *testing.T) {
	_, s, audit := caseFixture(t)
	r, _ := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", false)
	b, err := Export(r, FormatSTIX)
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatal(err)
	}
	if bundle.Type != "bundle" || !stixIDRe.MatchString(bundle.ID) || !strings.HasPrefix(bundle.ID, "bundle--") {
		t.Fatalf("bundle %q %q", bundle.Type, bundle.ID)
	}
	ids := map[string]map[string]any{}
	count := map[string]int{}
	for _, o := range bundle.Objects {
		id, _ := o["id"].(string)
		typ, _ := o["type"].(string)
		m := stixIDRe.FindStringSubmatch(id)
		if m == nil || m[1] != typ {
			t.Errorf("id %q does not match type %q", id, typ)
			continue
		}
		if u, err := uuid.Parse(m[2]); err != nil || (u.Version() != 4 && u.Version() != 5) {
			t.Errorf("id %q is not a v4/v5 UUID", id)
		}
		if ids[id] != nil {
			t.Errorf("duplicate id %s", id)
		}
		ids[id] = o
		count[typ]++
		if o["spec_version"] != "2.1" {
			t.Errorf("%s spec_version = %v", id, o["spec_version"])
		}
		sco := typ == "ipv4-addr" || typ == "ipv6-addr" || typ == "domain-name" || typ == "url" || typ == "autonomous-system" || typ == "user-account"
		if sco {
			if m[2][14] != '5' {
				t.Errorf("observable %s id is not a deterministic UUIDv5", id)
			}
			continue
		}
		for _, k := range []string{"created", "modified"} {
			v, _ := o[k].(string)
			if !stixTimeRe.MatchString(v) {
				t.Errorf("%s %s = %q", id, k, v)
			}
		}
		if typ != "identity" && o["created_by_ref"] == nil {
			t.Errorf("%s has no created_by_ref", id)
		}
		switch typ {
		case "indicator":
			p, _ := o["pattern"].(string)
			if !stixPatternRe.MatchString(p) || o["pattern_type"] != "stix" || !stixTimeRe.MatchString(o["valid_from"].(string)) {
				t.Errorf("indicator %s: pattern %q type %v valid_from %v", id, p, o["pattern_type"], o["valid_from"])
			}
			if o["x_cftriage_verdict"] == nil || o["indicator_types"] == nil {
				t.Errorf("indicator %s lacks its verdict", id)
			}
		case "observed-data":
			if o["number_observed"] != float64(1) || !stixTimeRe.MatchString(o["first_observed"].(string)) {
				t.Errorf("observed-data %s: %v", id, o)
			}
		case "note":
			if o["content"] == "" {
				t.Errorf("note %s is empty", id)
			}
		case "identity":
			if o["name"] != "Acme Corp" || o["identity_class"] != "organization" {
				t.Errorf("identity = %v", o)
			}
		}
	}
	// Every reference resolves inside the bundle.
	for id, o := range ids {
		for k, v := range o {
			switch {
			case strings.HasSuffix(k, "_ref"):
				if ids[v.(string)] == nil {
					t.Errorf("%s.%s = %v does not resolve", id, k, v)
				}
			case strings.HasSuffix(k, "_refs"):
				refs := v.([]any)
				if len(refs) == 0 {
					t.Errorf("%s.%s is empty", id, k)
				}
				for _, ref := range refs {
					if ids[ref.(string)] == nil {
						t.Errorf("%s.%s has %v, which does not resolve", id, k, ref)
					}
				}
			}
		}
	}
	// The risky IP, domain and URL are indicators; the user and the ASN
	// observed data; the note and the reset notes.
	if count["identity"] != 1 || count["indicator"] != 3 || count["observed-data"] != 2 || count["note"] != 2 || count["grouping"] != 1 {
		t.Errorf("object counts = %v", count)
	}
}

func TestExportMaskPII(t *testing.T) {
	_, s, audit := caseFixture(t)
	r, err := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", true)
	if err != nil {
		t.Fatal(err)
	}
	name := ""
	unmasked, _ := LoadCase(s.DB, "INC-7 phishing", audit, "Acme Corp", false)
	for _, e := range unmasked.Entries {
		for _, f := range e.Facts {
			if f.Label == "name" {
				name = f.Value
			}
		}
	}
	if name == "" {
		t.Fatal("the fixture's user has no name to mask")
	}
	anyEmail := regexp.MustCompile(`[A-Za-z0-9._%+-]+(@|\[@\])[A-Za-z0-9.-]+`)
	for _, format := range []string{FormatMarkdown, FormatJSON, FormatSTIX} {
		b, err := Export(r, format)
		if err != nil {
			t.Fatal(err)
		}
		out := string(b)
		if m := anyEmail.FindString(out); m != "" {
			t.Errorf("%s export with --mask-pii contains the email %q", format, m)
		}
		if strings.Contains(strings.ToLower(out), strings.ToLower(name)) {
			t.Errorf("%s export with --mask-pii contains the name %q", format, name)
		}
		if !strings.Contains(out, "user ") && !strings.Contains(out, `"user-account"`) {
			t.Errorf("%s export lost the masked user item", format)
		}
	}
}

func TestCaseNamesAndNotes(t *testing.T) {
	db := store.OpenDB(store.DBPath(t.TempDir()), store.DBOptions{})
	defer db.Close()
	for _, bad := range []string{"", "  ", "a\x1b[2Jb", "x\u202ey", strings.Repeat("n", 101)} {
		if _, err := db.CreateCase(bad); err == nil {
			t.Errorf("case name %q accepted", bad)
		}
	}
	if _, err := AddNote(db, "no case yet"); !errors.Is(err, store.ErrNoActiveCase) {
		t.Errorf("note without a case: %v", err)
	}
	a, _ := db.CreateCase("a")
	if _, err := db.CreateCase("a"); err == nil {
		t.Error("a duplicate name was accepted")
	}
	time.Sleep(2 * time.Millisecond)
	db.CreateCase("b")
	if c, _ := db.ActiveCase(); c.Name != "b" {
		t.Errorf("active = %q, want the newest", c.Name)
	}
	if _, err := db.ActivateCase("a"); err != nil {
		t.Fatal(err)
	}
	AddNote(db, "on a")
	cs, _ := db.Cases()
	if len(cs) != 2 || !cs[1].Active || cs[1].ID != a.ID || cs[1].Notes != 1 || cs[0].Active {
		t.Errorf("cases = %+v", cs)
	}
	if ps, _ := db.CasePeriods(a.ID); len(ps) != 2 || ps[0].Ended.IsZero() || !ps[1].Ended.IsZero() {
		t.Errorf("periods of a = %+v", ps)
	}
}
