package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// stixSCONamespace is STIX 2.1's namespace for deterministic cyber
// observable ids (section 2.9).
var stixSCONamespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// ExportSTIX is the case as a STIX 2.1 bundle: an identity for the
// organisation; per IP, domain or URL an indicator (risky verdict) or
// observed data (the rest) with its cyber observable; users and ASNs as
// observed data; notes and audited writes as note objects; a grouping
// of everything named after the case.
func ExportSTIX(r CaseReport) ([]byte, error) {
	r = r.sanitized()
	now := stixTime(r.Exported)
	org := r.Organisation
	if strings.TrimSpace(org) == "" {
		org = "cftriage analyst"
	}
	identity := map[string]any{
		"type": "identity", "spec_version": "2.1", "id": "identity--" + uuid.NewString(),
		"created": now, "modified": now, "name": cleanLine(org), "identity_class": "organization",
	}
	idRef := identity["id"].(string)
	objects := []map[string]any{identity}
	var itemRefs []string
	sdo := func(typ string, created time.Time) map[string]any {
		t := stixTime(created)
		return map[string]any{"type": typ, "spec_version": "2.1", "id": typ + "--" + uuid.NewString(),
			"created": t, "modified": t, "created_by_ref": idRef}
	}
	for _, e := range r.Entries {
		if e.Type != "item" {
			continue
		}
		observed := firstFactTime(e)
		sco, pattern := stixObservable(e)
		if sco == nil {
			continue
		}
		desc := e.Verdict
		for _, f := range e.Facts {
			desc += fmt.Sprintf("\n%s: %s (%s, %s)", f.Label, f.Value, f.Operation, stixTime(f.Fetched))
		}
		if e.Risky && pattern != "" {
			ind := sdo("indicator", e.Added)
			ind["name"] = cleanLine(e.Indicator)
			ind["description"] = desc
			ind["indicator_types"] = []string{"malicious-activity"}
			ind["pattern"] = pattern
			ind["pattern_type"] = "stix"
			ind["pattern_version"] = "2.1"
			ind["valid_from"] = stixTime(observed)
			ind["x_cftriage_verdict"] = e.Verdict
			objects = append(objects, ind)
			itemRefs = append(itemRefs, ind["id"].(string))
			continue
		}
		od := sdo("observed-data", e.Added)
		od["first_observed"] = stixTime(observed)
		od["last_observed"] = stixTime(observed)
		od["number_observed"] = 1
		od["object_refs"] = []string{sco["id"].(string)}
		od["x_cftriage_verdict"] = e.Verdict
		od["x_cftriage_facts"] = desc
		objects = append(objects, sco, od)
		itemRefs = append(itemRefs, od["id"].(string))
	}
	refs := itemRefs
	if len(refs) == 0 {
		refs = []string{idRef}
	}
	for _, e := range r.Entries {
		if e.Type != "note" {
			continue
		}
		n := sdo("note", e.Added)
		n["content"] = cleanLines(e.Note)
		n["object_refs"] = refs
		objects = append(objects, n)
	}
	for _, w := range r.Writes {
		n := sdo("note", w.Time)
		n["abstract"] = w.Action + ": " + w.Outcome
		n["content"] = fmt.Sprintf("%s of %s: %s (HTTP %d), reason %q, attempt %s, at %s",
			w.Action, cleanLine(w.Target), w.Outcome, w.Status, cleanLine(w.Reason), w.AttemptID, stixTime(w.Time))
		n["object_refs"] = refs
		objects = append(objects, n)
	}
	g := sdo("grouping", r.Created)
	g["modified"] = now
	g["name"] = cleanLine(r.Name)
	g["context"] = "suspicious-activity"
	var all []string
	for _, o := range objects[1:] {
		all = append(all, o["id"].(string))
	}
	if len(all) == 0 {
		all = []string{idRef}
	}
	g["object_refs"] = all
	objects = append(objects, g)

	bundle := map[string]any{"type": "bundle", "id": "bundle--" + uuid.NewString(), "objects": objects}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(bundle)
	return b.Bytes(), err
}

// stixObservable is an item's cyber observable (with its deterministic
// id) and, for IPs, domains and URLs, the STIX pattern matching it.
func stixObservable(e CaseEntry) (map[string]any, string) {
	v := cleanLine(e.Indicator)
	sco := func(typ string, props map[string]any, idProps string) map[string]any {
		props["type"], props["spec_version"] = typ, "2.1"
		props["id"] = typ + "--" + uuid.NewSHA1(stixSCONamespace, []byte(idProps)).String()
		return props
	}
	idJSON := func(k string, val any) string {
		b, _ := json.Marshal(map[string]any{k: val})
		return string(b)
	}
	switch e.Kind {
	case KindIP:
		typ := "ipv4-addr"
		if a, err := netip.ParseAddr(v); err == nil && a.Is6() {
			typ = "ipv6-addr"
		}
		return sco(typ, map[string]any{"value": v}, idJSON("value", v)), fmt.Sprintf("[%s:value = '%s']", typ, stixQuote(v))
	case KindDomain:
		return sco("domain-name", map[string]any{"value": v}, idJSON("value", v)), fmt.Sprintf("[domain-name:value = '%s']", stixQuote(v))
	case KindURL:
		return sco("url", map[string]any{"value": v}, idJSON("value", v)), fmt.Sprintf("[url:value = '%s']", stixQuote(v))
	case KindASN:
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(v), "AS"))
		if err != nil {
			return nil, ""
		}
		return sco("autonomous-system", map[string]any{"number": n}, idJSON("number", n)), ""
	case KindUser:
		props := map[string]any{}
		if strings.HasPrefix(v, "user ") { // masked: the id only
			props["user_id"] = strings.TrimPrefix(v, "user ")
		} else {
			props["user_id"] = v
			props["account_login"] = v
		}
		return sco("user-account", props, idJSON("user_id", props["user_id"])), ""
	}
	return nil, ""
}

// stixQuote escapes a pattern string literal.
func stixQuote(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `\'`)
}

// stixTime is the STIX timestamp form: UTC, milliseconds, Z.
func stixTime(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func firstFactTime(e CaseEntry) time.Time {
	first := e.Added
	for _, f := range e.Facts {
		if !f.Fetched.IsZero() && f.Fetched.Before(first) {
			first = f.Fetched
		}
	}
	return first
}
