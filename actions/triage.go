package actions

// Bulk triage: every indicator of a pasted text looked up within the
// API quota. Domains go through the bulk endpoint in batches; the rest
// one by one, a bounded number at a time. The client paces every request
// to the Ratelimit headers (and the quota shared across processes), so a
// run does not cause a 429; one caused elsewhere (another tool on the
// same account) pauses the run until its Retry-After, then the same
// lookup is tried again (reads only: triage never writes).

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// Triage verdicts.
const (
	VerdictRisky   = "risky"
	VerdictClean   = "clean"
	VerdictUnknown = "unknown"
	VerdictError   = "error"
)

// TriageRecord is one indicator's result: a CSV row, an NDJSON line, an
// element of the JSON results array. Fields that do not apply are empty.
type TriageRecord struct {
	Indicator  string   `json:"indicator"` // normalized, not defanged
	Kind       string   `json:"kind"`      // ip, domain, url, email, asn
	Verdict    string   `json:"verdict"`   // risky, clean, unknown, error
	RiskScore  *float64 `json:"riskScore"`
	RiskTypes  []string `json:"riskTypes"`
	Categories []string `json:"categories"`
	ASN        string   `json:"asn"`
	Country    string   `json:"country"`
	RiskLevel  string   `json:"riskLevel"`
	Error      string   `json:"error"`
	Cached     bool     `json:"cached"`
}

// TriageProgress is how far a run is.
type TriageProgress struct {
	Done, Total int
	Requests    int
	Elapsed     time.Duration
	// PausedUntil is set while the run waits out a 429 from elsewhere.
	PausedUntil time.Time
}

// Rate is indicators done per second so far.
func (p TriageProgress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Done) / p.Elapsed.Seconds()
}

// Left estimates the time to finish at the rate so far.
func (p TriageProgress) Left() time.Duration {
	r := p.Rate()
	if r <= 0 || p.Done >= p.Total {
		return 0
	}
	return time.Duration(float64(p.Total-p.Done) / r * float64(time.Second))
}

// TriageOptions tunes a run.
type TriageOptions struct {
	// InFlight bounds the requests at once (default 4).
	InFlight int
	// Batch is how many domains one bulk request carries (default 10).
	Batch int
	// Now is the clock (tests).
	Now func() time.Time
	// Sleep waits d or until ctx ends (tests make it instant).
	Sleep func(ctx context.Context, d time.Duration) error
}

// TriageSummary is what a run did.
type TriageSummary struct {
	Records  []TriageRecord // in the order they finished
	Requests int
	Canceled bool // stopped before the end: Records holds what was done
	Elapsed  time.Duration
}

// Failed counts the records with verdict error.
func (s TriageSummary) Failed() int {
	n := 0
	for _, r := range s.Records {
		if r.Verdict == VerdictError {
			n++
		}
	}
	return n
}

// TriageLine is a run's one-line summary ("4 looked up with 1 request:
// 2 risky, 0 failed").
func TriageLine(s TriageSummary) string {
	req := "requests"
	if s.Requests == 1 {
		req = "request"
	}
	return fmt.Sprintf("%d looked up with %d %s: %d risky, %d failed", len(s.Records), s.Requests, req, s.Risky(), s.Failed())
}

// Risky counts the records with verdict risky.
func (s TriageSummary) Risky() int {
	n := 0
	for _, r := range s.Records {
		if r.Verdict == VerdictRisky {
			n++
		}
	}
	return n
}

// job is one unit of work: a batch of domains or one other indicator.
type job struct {
	items []indicator.Found
}

// Triage looks every indicator up. onRecord gets each result as it
// arrives and onProgress the progress after each (both from the calling
// goroutine's point of view serialized: never concurrently). Canceling
// ctx stops the run; what was done is kept.
func Triage(ctx context.Context, c *cloudflare.Client, found []indicator.Found, o TriageOptions,
	onRecord func(TriageRecord), onProgress func(TriageProgress)) TriageSummary {
	if o.InFlight <= 0 {
		o.InFlight = 4
	}
	if o.Batch <= 0 {
		o.Batch = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	start := o.Now()
	var jobs []job
	var domains []indicator.Found
	for _, f := range found {
		if f.Type == indicator.TypeDomain {
			domains = append(domains, f)
			continue
		}
		jobs = append(jobs, job{items: []indicator.Found{f}})
	}
	for i := 0; i < len(domains); i += o.Batch {
		jobs = append(jobs, job{items: domains[i:min(len(domains), i+o.Batch)]})
	}

	var (
		mu   sync.Mutex
		sum  TriageSummary
		prog = TriageProgress{Total: len(found)}
		// pausedUntil is shared: a 429 from elsewhere holds every worker.
		pausedUntil time.Time
	)
	emit := func(recs []TriageRecord, requests int) {
		mu.Lock()
		defer mu.Unlock()
		sum.Requests += requests
		prog.Requests = sum.Requests
		for _, r := range recs {
			sum.Records = append(sum.Records, r)
			prog.Done++
			if onRecord != nil {
				onRecord(r)
			}
		}
		prog.Elapsed = o.Now().Sub(start)
		prog.PausedUntil = pausedUntil
		if onProgress != nil {
			onProgress(prog)
		}
	}
	pause := func(d time.Duration) time.Time {
		mu.Lock()
		defer mu.Unlock()
		if until := o.Now().Add(d); until.After(pausedUntil) {
			pausedUntil = until
		}
		prog.PausedUntil = pausedUntil
		if onProgress != nil {
			onProgress(prog)
		}
		return pausedUntil
	}
	waitPause := func() error {
		mu.Lock()
		until := pausedUntil
		mu.Unlock()
		if d := until.Sub(o.Now()); d > 0 {
			return o.Sleep(ctx, d)
		}
		return nil
	}

	work := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < o.InFlight; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				for {
					if waitPause() != nil {
						return
					}
					recs, n, retryAfter := runJob(ctx, c, j)
					if retryAfter > 0 && ctx.Err() == nil {
						// A 429 caused elsewhere: wait it out, then try the
						// same lookup again.
						emit(nil, n)
						pause(retryAfter)
						continue
					}
					if ctx.Err() != nil {
						return // canceled: what it was doing is not a result
					}
					emit(recs, n)
					break
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	sum.Canceled = ctx.Err() != nil && len(sum.Records) < len(found)
	sum.Elapsed = o.Now().Sub(start)
	return sum
}

// runJob looks up one job: its records, the requests it sent, and the
// Retry-After of a 429 (then the records are nil).
func runJob(ctx context.Context, c *cloudflare.Client, j job) ([]TriageRecord, int, time.Duration) {
	var sentN atomic.Int64
	recs, ra := lookupJob(cloudflare.CountSent(ctx, &sentN), c, j)
	return recs, int(sentN.Load()), ra
}

// lookupJob looks one job up: its records, or the Retry-After of a 429.
func lookupJob(ctx context.Context, c *cloudflare.Client, j job) ([]TriageRecord, time.Duration) {
	f := j.items[0]
	switch f.Type {
	case indicator.TypeDomain:
		names := make([]string, len(j.items))
		for i, it := range j.items {
			names[i] = it.Value
		}
		ds, ex, err := c.BulkDomains(ctx, names)
		if ra := retryAfter(err); ra > 0 {
			return nil, ra
		}
		return domainRecords(j.items, ds, ex, err), 0
	case indicator.TypeIP:
		infos, ex, err := c.IPOverview(ctx, f.Value)
		if ra := retryAfter(err); ra > 0 {
			return nil, ra
		}
		return []TriageRecord{ipRecord(f, infos, ex, err)}, 0
	case indicator.TypeEmail:
		res, err := LookupUser(ctx, c, f.Value)
		if ra := retryAfter(err); ra > 0 {
			return nil, ra
		}
		return []TriageRecord{emailRecord(f, res, err)}, 0
	case indicator.TypeASN:
		r := TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictUnknown, ASN: "AS" + f.Value}
		return []TriageRecord{r}, 0
	case indicator.TypeURL:
		// URL intelligence judges the URL itself (its host is looked up
		// as an indicator of its own).
		u, ex, err := c.URLIntelligence(ctx, f.Value)
		if ra := retryAfter(err); ra > 0 {
			return nil, ra
		}
		return []TriageRecord{urlRecord(f, u, ex, err)}, 0
	}
	return nil, 0
}

func retryAfter(err error) time.Duration {
	var ce *cloudflare.Error
	if errors.As(err, &ce) && ce.Kind == cloudflare.KindRateLimited {
		if ce.RetryAfter > 0 {
			return ce.RetryAfter
		}
		return time.Minute
	}
	return 0
}

func errRecord(f indicator.Found, err error) TriageRecord {
	return TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictError, Error: Explain(err)}
}

func riskNames(ts []cloudflare.RiskType) []string {
	out := []string{}
	for _, t := range ts {
		if n := strings.TrimSpace(t.Name); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func ipRecord(f indicator.Found, infos []cloudflare.IPInfo, ex *cloudflare.Exchange, err error) TriageRecord {
	if err != nil {
		return errRecord(f, err)
	}
	r := TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictUnknown, RiskTypes: []string{}, Categories: []string{}}
	r.Cached = cachedExchange(ex)
	if len(infos) == 0 {
		return r
	}
	in := infos[0]
	r.RiskTypes = riskNames(in.RiskTypes)
	if b := in.BelongsTo; b != nil {
		if n, err := indicator.ParseASN(b.Value); err == nil {
			r.ASN = "AS" + strconv.Itoa(n)
		}
		r.Country = b.Country
	}
	switch {
	case len(r.RiskTypes) > 0:
		r.Verdict = VerdictRisky
	case isSpecialPurpose(f.Addr):
		r.Verdict = VerdictUnknown // Cloudflare's intel cannot know it
	default:
		r.Verdict = VerdictClean
	}
	return r
}

func domainRecords(items []indicator.Found, ds []cloudflare.Domain, ex *cloudflare.Exchange, err error) []TriageRecord {
	out := make([]TriageRecord, 0, len(items))
	if err != nil {
		for _, f := range items {
			out = append(out, errRecord(f, err))
		}
		return out
	}
	by := map[string]cloudflare.Domain{}
	for _, d := range ds {
		by[strings.ToLower(strings.TrimSuffix(d.Domain, "."))] = d
	}
	for _, f := range items {
		r := TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictUnknown, RiskTypes: []string{}, Categories: []string{}}
		r.Cached = cachedExchange(ex)
		d, ok := by[f.Value]
		if !ok {
			out = append(out, r)
			continue
		}
		score := d.RiskScore
		r.RiskScore = &score
		r.RiskTypes = riskNames(append(append([]cloudflare.RiskType(nil), d.RiskTypes...), d.InheritedRiskTypes...))
		r.Categories = riskNames(append(append([]cloudflare.RiskType(nil), d.ContentCategories...), d.InheritedContentCategories...))
		switch {
		case len(r.RiskTypes) > 0 || d.RiskScore >= 0.7:
			r.Verdict = VerdictRisky
		case len(r.Categories) > 0 || d.PopularityRank > 0 || d.RiskScore > 0:
			r.Verdict = VerdictClean
		}
		out = append(out, r)
	}
	return out
}

func urlRecord(f indicator.Found, u cloudflare.URLIntel, ex *cloudflare.Exchange, err error) TriageRecord {
	if err != nil {
		return errRecord(f, err)
	}
	r := TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictUnknown, Cached: cachedExchange(ex),
		RiskTypes: riskNames(u.RiskType), Categories: riskNames(u.ContentCategories)}
	switch {
	case len(r.RiskTypes) > 0:
		r.Verdict = VerdictRisky
	case len(r.Categories) > 0:
		r.Verdict = VerdictClean
	}
	return r
}

func emailRecord(f indicator.Found, res UserResult, err error) TriageRecord {
	r := TriageRecord{Indicator: f.Value, Kind: string(f.Type), Verdict: VerdictUnknown}
	switch {
	case errors.Is(err, ErrUserNotFound):
		r.Cached = cachedExchange(res.Exchange)
		return r
	case err != nil:
		return errRecord(f, err)
	case res.Ambiguous():
		r.Error = "several Zero Trust users have this email: look it up to pick one"
		return r
	}
	r.Cached = cachedExchange(res.Exchange)
	r.RiskLevel = strings.ToLower(res.Risk.RiskLevel)
	switch r.RiskLevel {
	case "high", "medium":
		r.Verdict = VerdictRisky
	default:
		r.Verdict = VerdictClean
	}
	return r
}

// cachedExchange reports an answer served from the local cache.
func cachedExchange(ex *cloudflare.Exchange) bool {
	return ex != nil && ex.Cache.Hit
}

// verdictRank orders verdicts most severe first.
var verdictRank = map[string]int{VerdictRisky: 0, VerdictError: 1, VerdictUnknown: 2, VerdictClean: 3}

// SortTriage orders records most severe first: risky (highest score
// first), errors, unknown, clean; then by kind and indicator.
func SortTriage(rs []TriageRecord) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if verdictRank[a.Verdict] != verdictRank[b.Verdict] {
			return verdictRank[a.Verdict] < verdictRank[b.Verdict]
		}
		sa, sb := score(a), score(b)
		if sa != sb {
			return sa > sb
		}
		if len(a.RiskTypes) != len(b.RiskTypes) {
			return len(a.RiskTypes) > len(b.RiskTypes)
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Indicator < b.Indicator
	})
}

func score(r TriageRecord) float64 {
	if r.RiskScore == nil {
		return -1
	}
	return *r.RiskScore
}
