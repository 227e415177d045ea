package actions

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/idna"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// The domain lookup, shared by `cftriage domain` and the console's Domain
// pane: the overview is the main result; WHOIS and the category history
// are secondary parts, each with its own typed error.

// DomainInput reads what the analyst gave as a domain: a domain (refanged
// and normalized to punycode), or a URL, whose host is taken as the
// console's search box does (fromURL is then the refanged URL). Anything
// else is the domain parser's *indicator.InputError.
func DomainInput(s string) (name, fromURL string, err error) {
	if ind, derr := indicator.Detect(s); derr == nil && ind.Kind == indicator.Domain {
		return ind.Value, ind.URL, nil
	}
	name, err = indicator.NormalizeDomain(indicator.Refang(s))
	return name, "", err
}

// DomainOverview is the main part of a domain lookup.
type DomainOverview struct {
	Domain   cloudflare.Domain
	Exchange *cloudflare.Exchange
}

// LookupDomainOverview reads the domain overview of name.
func LookupDomainOverview(ctx context.Context, c *cloudflare.Client, name string) (DomainOverview, error) {
	d, ex, err := c.DomainOverview(ctx, name)
	return DomainOverview{Domain: d, Exchange: ex}, err
}

// WhoisPart is the WHOIS part of a domain lookup. Record is nil when the
// call failed (Err) or the API has no record.
type WhoisPart struct {
	Record   *cloudflare.Whois
	Err      error
	Exchange *cloudflare.Exchange
	answer   cloudflare.Whois // as answered, for change detection
}

// Found reports a record.
func (p WhoisPart) Found() bool { return p.Err == nil && p.Record != nil }

// LookupWhois reads name's WHOIS. An answer that says found=false and
// carries neither a registrar nor a creation date is no record; one with
// either is kept, as some registries answer found=false with data.
func LookupWhois(ctx context.Context, c *cloudflare.Client, name string) WhoisPart {
	w, ex, err := c.Whois(ctx, name)
	if err != nil {
		return WhoisPart{Err: err, Exchange: ex}
	}
	p := WhoisPart{Exchange: ex, answer: w}
	if w.Found || w.Registrar != "" || w.CreatedDate != "" {
		p.Record = &w
	}
	return p
}

// HistoryPart is the category-history part of a domain lookup.
type HistoryPart struct {
	History []cloudflare.DomainHistory // empty: no history
	Err     error
}

// LookupHistory reads name's category history.
func LookupHistory(ctx context.Context, c *cloudflare.Client, name string) HistoryPart {
	h, _, err := c.DomainHistory(ctx, name)
	if err != nil {
		return HistoryPart{Err: err}
	}
	return HistoryPart{History: h}
}

// DomainRequest is a domain lookup: the name (normalized, see
// DomainInput) and which secondary parts to read.
type DomainRequest struct {
	Name    string
	FromURL string // the URL the name was taken from, if any
	Whois   bool
	History bool
}

// DomainResult is a domain lookup's parts; Whois and History are nil when
// not asked.
type DomainResult struct {
	Name     string
	FromURL  string
	IDN      IDN
	Overview DomainOverview
	Whois    *WhoisPart
	History  *HistoryPart
}

// Changes is the lookup's report against the answers it replaced in the
// cache (the overview and, when read, WHOIS); nil when nothing was earlier.
func (r DomainResult) Changes() *ChangeReport {
	var whoEx *cloudflare.Exchange
	var who cloudflare.Whois
	if r.Whois != nil && r.Whois.Err == nil {
		whoEx, who = r.Whois.Exchange, r.Whois.answer
	}
	return DomainLookupChanges(r.Overview.Exchange, r.Overview.Domain, whoEx, who)
}

// LookupDomain reads the overview and the asked secondary parts. The
// error is the overview's: when it fails nothing else is read.
func LookupDomain(ctx context.Context, c *cloudflare.Client, r DomainRequest) (DomainResult, error) {
	res := DomainResult{Name: r.Name, FromURL: r.FromURL, IDN: DomainIDN(r.Name)}
	ov, err := LookupDomainOverview(ctx, c, r.Name)
	res.Overview = ov
	if err != nil {
		return res, err
	}
	if r.Whois {
		w := LookupWhois(ctx, c, r.Name)
		res.Whois = &w
	}
	if r.History {
		h := LookupHistory(ctx, c, r.Name)
		res.History = &h
	}
	return res, nil
}

// IDN is what an internationalized name looks like to a person. Unicode
// is "" for a plain ASCII name; Warnings flags labels that may imitate
// another name.
type IDN struct {
	Unicode  string
	Warnings []LabelWarning
}

// LabelWarning is one suspicious label of a name.
type LabelWarning struct {
	Label   string   // the label in Unicode
	Scripts []string // the scripts of its letters, sorted
	// LooksLike is the Latin name the label imitates when every letter
	// is a Latin lookalike of another script ("аррӏе" → "apple").
	LooksLike string
}

// Text is the warning as a sentence.
func (w LabelWarning) Text() string {
	if w.LooksLike != "" {
		return "label " + w.Label + " is written in " + strings.Join(w.Scripts, " and ") + " letters that look Latin: it imitates " + w.LooksLike
	}
	return "label " + w.Label + " mixes " + strings.Join(w.Scripts, " and ") + " letters: a lookalike?"
}

// unicodeProfile turns a punycode name back into Unicode for display.
var unicodeProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// DomainIDN describes name (normalized, punycode) for display: its
// Unicode form when it has xn-- labels, and warnings for labels that mix
// scripts (beyond the combinations Japanese, Chinese and Korean names
// use, as Unicode's "highly restrictive" level allows) or that are
// written entirely in Cyrillic or Greek letters imitating Latin ones.
func DomainIDN(name string) IDN {
	if !strings.Contains(name, "xn--") {
		return IDN{}
	}
	u, err := unicodeProfile.ToUnicode(name)
	if err != nil || u == name {
		return IDN{}
	}
	out := IDN{Unicode: u}
	for _, label := range strings.Split(u, ".") {
		if w, bad := checkLabel(label); bad {
			out.Warnings = append(out.Warnings, w)
		}
	}
	return out
}

// scriptOrder lists the scripts worth naming first; any other script of
// the unicode package is found by a full search.
var scriptOrder = []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo", "Arabic", "Hebrew", "Armenian", "Georgian", "Thai", "Devanagari", "Cherokee"}

func scriptOf(r rune) string {
	for _, name := range scriptOrder {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name != "Common" && name != "Inherited" && unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return ""
}

// cjkSets are the script mixes UTS #39 "highly restrictive" allows.
var cjkSets = [][]string{
	{"Latin", "Han", "Hiragana", "Katakana"},
	{"Latin", "Han", "Bopomofo"},
	{"Latin", "Han", "Hangul"},
}

func checkLabel(label string) (LabelWarning, bool) {
	seen := map[string]bool{}
	for _, r := range label {
		if !unicode.IsLetter(r) {
			continue
		}
		if s := scriptOf(r); s != "" {
			seen[s] = true
		}
	}
	scripts := make([]string, 0, len(seen))
	for s := range seen {
		scripts = append(scripts, s)
	}
	sort.Strings(scripts)
	w := LabelWarning{Label: label, Scripts: scripts}
	if len(scripts) > 1 {
		for _, set := range cjkSets {
			if subset(scripts, set) {
				return w, false
			}
		}
		return w, true
	}
	if len(scripts) == 1 && (scripts[0] == "Cyrillic" || scripts[0] == "Greek") {
		if latin, ok := latinSkeleton(label); ok {
			w.LooksLike = latin
			return w, true
		}
	}
	return w, false
}

func subset(a, set []string) bool {
	for _, s := range a {
		found := false
		for _, t := range set {
			found = found || s == t
		}
		if !found {
			return false
		}
	}
	return true
}

// latinLookalikes maps Cyrillic and Greek letters to the Latin letter
// they are drawn like (lowercase, as domain names are).
var latinLookalikes = map[rune]rune{
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'к': 'k', 'ӏ': 'l',
	'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'г': 'r', 'ѕ': 's', 'т': 't', 'ц': 'u', 'ѵ': 'v',
	'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y', 'ѡ': 'w', 'ɡ': 'g', 'ԍ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u',
	'χ': 'x', 'γ': 'y', 'η': 'n', 'ω': 'w',
}

// latinSkeleton is the Latin name label imitates when every one of its
// letters has a Latin lookalike.
func latinSkeleton(label string) (string, bool) {
	var b strings.Builder
	letters := 0
	for _, r := range label {
		if !unicode.IsLetter(r) {
			b.WriteRune(r)
			continue
		}
		l, ok := latinLookalikes[r]
		if !ok {
			return "", false
		}
		letters++
		b.WriteRune(l)
	}
	return b.String(), letters > 0
}
