package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/views"
)

// The Triage pane's asynchronous messages.
type (
	extractedMsg struct {
		source string
		x      indicator.Extraction
		err    error
	}
	// triageEventsMsg is a batch of a run's events; ch is where the next
	// ones come from (nil after the last).
	triageEventsMsg struct {
		ch  chan any
		evs []any
	}
	triageDoneEv struct{ sum actions.TriageSummary }
	exportedMsg  struct {
		path     string
		err      error
		filtered bool // only the filter's rows were written
		rows     int
	}
	// triagePinnedMsg is the outcome of c: the run's results pinned.
	triagePinnedMsg struct {
		pinned, failed int
		err            error
	}
)

// triageSorts are the results orders; the first is the default.
var triageSorts = []string{"severity", "kind", "indicator"}

// triageTool is the Triage pane: paste any text (or open a file), see
// what indicators it holds, look them all up within the quota, and read
// the verdicts as they arrive, most severe first.
type triageTool struct {
	source  string
	text    string
	x       *indicator.Extraction
	xErr    error
	extract part

	recs   []actions.TriageRecord
	lower  []string // per record, for the filter
	shown  []int
	sortBy int
	filter filterText
	list   pane.List

	running  bool
	stopped  bool
	ch       chan any
	prog     actions.TriageProgress
	sum      *actions.TriageSummary
	bar      progress.Model
	requests int

	prompt linePrompt // "open" or "export"
	note   string
}

func newTriageTool() *triageTool {
	return &triageTool{
		bar:    progress.New(progress.WithWidth(30), progress.WithoutPercentage(), progress.WithFillCharacters('█', '░')),
		prompt: newLinePrompt(4096),
	}
}

func (t *triageTool) Title() string                  { return "Triage" }
func (t *triageTool) Capturing() bool                { return t.filter.editing || t.prompt.open }
func (t *triageTool) Activate(*pane.Context) tea.Cmd { return nil }
func (t *triageTool) Resize(c *pane.Context)         { t.list.Fit(len(t.shown), t.rows(c)) }

// Shutdown stops a run when the console quits (reads only: nothing is
// left half done).
func (t *triageTool) Shutdown() {}

// rows is how many result rows are on screen.
func (t *triageTool) rows(c *pane.Context) int { return max(1, c.Height-8) }

// takeText extracts the indicators of a pasted or opened text, in a
// command (a megabyte takes tens of milliseconds).
func (t *triageTool) takeText(c *pane.Context, text, source string) tea.Cmd {
	if t.running {
		return pane.Status("a run is going on: esc stops it first")
	}
	t.extract.start()
	return c.Do(func(context.Context) tea.Msg {
		x, err := indicator.Extract(text)
		return extractedMsg{source: source, x: x, err: err}
	})
}

func (t *triageTool) Update(c *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if cmd, ok := t.prompt.Update(msg, c.Width); ok {
			return cmd
		}
		// Terminals paste line breaks as CR (some as CRLF): count them all.
		text := strings.ReplaceAll(strings.ReplaceAll(msg.Content, "\r\n", "\n"), "\r", "\n")
		n := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1
		return t.takeText(c, text, "pasted text ("+plural(n, "line")+")")
	case extractedMsg:
		t.extract.finish(msg.err)
		t.xErr = msg.err
		if msg.err != nil {
			return nil
		}
		x := msg.x
		t.x, t.source = &x, msg.source
		t.recs, t.lower, t.shown, t.sum, t.stopped = nil, nil, nil, nil, false
		t.list = pane.List{}
		if len(x.Found) == 0 {
			return pane.Status("no indicators found in " + msg.source)
		}
		return pane.Status(fmt.Sprintf("%d indicators found: r looks them up", len(x.Found)))
	case triageEventsMsg:
		return t.events(c, msg)
	case triagePinnedMsg:
		if msg.err != nil {
			return pane.Status("not pinned: " + caseErrText(msg.err))
		}
		return pane.Status(fmt.Sprintf("pinned %d results to the active case (%d could not be)", msg.pinned, msg.failed))
	case exportedMsg:
		if msg.err != nil {
			return pane.Status("export failed: " + errText(msg.err))
		}
		if msg.filtered {
			return pane.Status(fmt.Sprintf("written to %s: the %s the filter shows", msg.path, plural(msg.rows, "result")))
		}
		return pane.Status("written to " + msg.path)
	case tea.KeyPressMsg:
		if cmd, ok := t.prompt.Update(msg, c.Width); ok {
			return cmd
		}
		switch {
		case t.filter.editing:
			return t.filter.typed(msg, func() tea.Cmd { t.refilter(c); return nil })
		}
		t.list.Move(t.listCtx(c), msg, len(t.shown))
	}
	return nil
}

func (t *triageTool) listCtx(c *pane.Context) *pane.Context {
	lc := *c
	lc.ListHeight = t.rows(c)
	return &lc
}

// run starts the lookups. The engine runs in a goroutine of its own
// command; its results stream back through ch in batches, each batch a
// result routed by the tool's slot.
func (t *triageTool) run(c *pane.Context) tea.Cmd {
	found := t.x.Found
	t.recs, t.lower, t.shown, t.sum, t.stopped = nil, nil, nil, nil, false
	t.list = pane.List{}
	t.running = true
	t.prog = actions.TriageProgress{Total: len(found)}
	ch := make(chan any, 256)
	return c.Go(func(ctx context.Context, cl *cloudflare.Client) tea.Msg {
		go func() {
			sum := actions.Triage(ctx, cl, found, actions.TriageOptions{},
				func(r actions.TriageRecord) { ch <- r },
				func(p actions.TriageProgress) { ch <- p })
			ch <- triageDoneEv{sum}
			close(ch)
		}()
		return nextEvents(ch)
	})
}

// nextEvents waits for the run's next event and takes whatever else is
// ready (up to a batch), so a fast run does not flood Update.
func nextEvents(ch chan any) tea.Msg {
	ev, ok := <-ch
	if !ok {
		return triageEventsMsg{}
	}
	evs := []any{ev}
	for len(evs) < 200 {
		select {
		case ev, ok := <-ch:
			if !ok {
				return triageEventsMsg{evs: evs}
			}
			evs = append(evs, ev)
		default:
			return triageEventsMsg{ch: ch, evs: evs}
		}
	}
	return triageEventsMsg{ch: ch, evs: evs}
}

func (t *triageTool) events(c *pane.Context, msg triageEventsMsg) tea.Cmd {
	added := false
	var status tea.Cmd
	for _, ev := range msg.evs {
		switch ev := ev.(type) {
		case actions.TriageRecord:
			t.recs = append(t.recs, ev)
			t.lower = append(t.lower, strings.ToLower(ev.Indicator+"\x00"+ev.Kind+"\x00"+ev.Verdict+"\x00"+strings.Join(ev.RiskTypes, " ")+"\x00"+strings.Join(ev.Categories, " ")))
			added = true
		case actions.TriageProgress:
			t.prog = ev
		case triageDoneEv:
			s := ev.sum
			t.sum, t.running, t.stopped = &s, false, s.Canceled
			status = pane.Status(actions.TriageLine(s))
		}
	}
	if added {
		t.reindex(c)
	}
	if msg.ch == nil {
		return status
	}
	ch := msg.ch
	return tea.Batch(status, c.Go(func(context.Context, *cloudflare.Client) tea.Msg { return nextEvents(ch) }))
}

var triageVerdictRank = map[string]int{actions.VerdictRisky: 0, actions.VerdictError: 1, actions.VerdictUnknown: 2, actions.VerdictClean: 3}

// reindex rebuilds the sorted, filtered view (on results, a sort or a
// filter change; never on a cursor move).
func (t *triageTool) reindex(c *pane.Context) {
	f := strings.ToLower(t.filter.text)
	t.shown = t.shown[:0]
	for i := range t.recs {
		if f == "" || strings.Contains(t.lower[i], f) {
			t.shown = append(t.shown, i)
		}
	}
	rs, by := t.recs, triageSorts[t.sortBy]
	sort.SliceStable(t.shown, func(x, y int) bool {
		a, b := rs[t.shown[x]], rs[t.shown[y]]
		switch by {
		case "kind":
			if a.Kind != b.Kind {
				return a.Kind < b.Kind
			}
		case "indicator":
			return a.Indicator < b.Indicator
		}
		if triageVerdictRank[a.Verdict] != triageVerdictRank[b.Verdict] {
			return triageVerdictRank[a.Verdict] < triageVerdictRank[b.Verdict]
		}
		sa, sb := -1.0, -1.0
		if a.RiskScore != nil {
			sa = *a.RiskScore
		}
		if b.RiskScore != nil {
			sb = *b.RiskScore
		}
		if sa != sb {
			return sa > sb
		}
		if len(a.RiskTypes) != len(b.RiskTypes) {
			return len(a.RiskTypes) > len(b.RiskTypes)
		}
		return a.Indicator < b.Indicator
	})
	t.list.Fit(len(t.shown), t.rows(c))
}

func (t *triageTool) refilter(c *pane.Context) {
	t.list = pane.List{}
	t.reindex(c)
}

func (t *triageTool) current() (actions.TriageRecord, bool) {
	if len(t.shown) == 0 {
		return actions.TriageRecord{}, false
	}
	return t.recs[t.shown[t.list.Cursor]], true
}

// triageKeys are the pane's own bindings.
var triageKeys = struct{ Open, Run, Filter, Sort, Export, Stop, Pin Binding }{
	Pin:    bind("add the run to the active case", "c"),
	Open:   bind("open a file", "o"),
	Run:    bind("look them up", "r"),
	Filter: bind("filter", "/"),
	Sort:   bind("sort", "s"),
	Export: bind("export", "e"),
	Stop:   bind("stop the run", "esc"),
}

func (t *triageTool) Bindings(c *pane.Context) []Binding {
	k := c.Keys
	if t.prompt.open {
		return t.prompt.Bindings(k, t.prompt.For, func() tea.Cmd { return t.submitPrompt(c) })
	}
	refilter := func() tea.Cmd { t.refilter(c); return nil }
	if t.filter.editing {
		return t.filter.bindings(k, refilter)
	}
	var bs []Binding
	if t.running {
		bs = append(bs, triageKeys.Stop.Does(func() tea.Cmd { c.Cancel(); return pane.Status("stopping: what is done is kept") }))
	}
	open := k.Open.As("open in its pane").Does(func() tea.Cmd {
		r, _ := t.current()
		v := r.Indicator
		if r.Kind == "asn" {
			v = "AS" + v
		}
		return pane.Emit(pane.OpenMsg{Text: v, Want: indicator.Unknown, NewTrail: true, Return: t.Title()})
	})
	if _, ok := t.current(); !ok {
		open.Why = "no result here"
	}
	runB := triageKeys.Run.Does(func() tea.Cmd { return t.run(c) })
	switch {
	case t.running:
		runB.Why = "a run is going on"
	case t.x == nil || len(t.x.Found) == 0:
		runB.Why = "paste a text or open a file first"
	case c.Conn.Client == nil:
		runB.Why = "no API token configured"
	}
	if t.sum != nil {
		runB = runB.As("look them up again")
	}
	openFile := triageKeys.Open.Does(func() tea.Cmd { t.prompt.Open("open", "open file:", ""); return nil })
	if t.running {
		openFile.Why = "a run is going on"
	}
	filter := t.filter.start(triageKeys.Filter)
	srt := triageKeys.Sort.As("sort by " + triageSorts[(t.sortBy+1)%len(triageSorts)]).Does(func() tea.Cmd {
		t.sortBy = (t.sortBy + 1) % len(triageSorts)
		t.reindex(c)
		return nil
	})
	export := triageKeys.Export.Does(func() tea.Cmd {
		t.prompt.Open("export", "export to (.md .csv .json .ndjson .txt):", "triage-"+c.Now().Format("20060102-150405")+".md")
		return nil
	})
	if len(t.recs) == 0 {
		filter.Why, srt.Why, export.Why = "no results yet", "no results yet", "no results yet"
	}
	cp := k.Copy.As("copy indicator").Does(func() tea.Cmd { r, _ := t.current(); return pane.Copy(r.Indicator) })
	if _, ok := t.current(); !ok {
		cp.Why = "no result here"
	}
	if len(t.recs) > 0 {
		bs = append(bs, k.Up, k.Down, k.PageUp.Hidden(), k.PageDown.Hidden(), k.Top.Hidden(), k.Bottom.Hidden())
	}
	pin := triageKeys.Pin.Does(func() tea.Cmd { return t.pinRun(c) })
	switch {
	case t.running:
		pin.Why = "a run is going on"
	case len(t.recs) == 0:
		pin.Why = "no results yet"
	case c.Session == nil || c.Session.DB == nil:
		pin.Why = "no local database: cases are not kept"
	}
	bs = append(bs, open, runB, openFile, filter, srt, export, pin, cp)
	if t.filter.text != "" && !t.running {
		bs = append(bs, t.filter.clear(k, refilter))
	}
	return bs
}

// submitPrompt opens the file or writes the export the prompt names.
func (t *triageTool) submitPrompt(c *pane.Context) tea.Cmd {
	path := t.prompt.Take()
	if path == "" {
		return pane.Status("no path given")
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	if t.prompt.For == "open" {
		return c.Do(func(context.Context) tea.Msg {
			st, err := os.Stat(path)
			if err == nil && st.Size() > indicator.MaxText {
				return extractedMsg{source: path, err: &indicator.TooLongError{Size: int(st.Size())}}
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return extractedMsg{source: path, err: err}
			}
			x, err := indicator.Extract(string(b))
			return extractedMsg{source: path, x: x, err: err}
		})
	}
	format := map[string]string{".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".md": "md", ".txt": "table"}[strings.ToLower(filepath.Ext(path))]
	if format == "" {
		return pane.Status("export: name the file .md, .csv, .json, .ndjson or .txt")
	}
	// What the table shows is what goes out: with a filter, its rows only
	// (the status says so).
	recs := make([]actions.TriageRecord, 0, len(t.shown))
	for _, i := range t.shown {
		recs = append(recs, t.recs[i])
	}
	filtered := len(recs) < len(t.recs)
	sum := actions.TriageSummary{Records: recs}
	if t.sum != nil {
		sum.Requests, sum.Canceled = t.sum.Requests, t.sum.Canceled
	}
	rep := actions.NewTriageReport(sum, *t.x, c.Now())
	return c.Do(func(context.Context) tea.Msg {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return exportedMsg{path: path, err: err}
		}
		err = actions.WriteTriage(f, format, rep)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return exportedMsg{path: path, err: err, filtered: filtered, rows: len(recs)}
	})
}

func (t *triageTool) View(c *pane.Context) string {
	p := views.TriagePane{Source: t.source, Sort: triageSorts[t.sortBy] + " ↓", Filter: t.filter.text, Editing: t.filter.editing,
		Cursor: t.list.Cursor, Offset: t.list.Offset, Focused: true, Total: len(t.recs), Running: t.running}
	if t.extract.loading {
		p.Source = "reading…"
	}
	if t.xErr != nil {
		p.InputErr = errText(t.xErr)
	}
	if x := t.x; x != nil {
		cs := x.Counts()
		var parts []string
		for _, k := range indicator.PresentTypes(cs) {
			parts = append(parts, fmt.Sprintf("%d %s", cs[k], k))
		}
		p.Counts = strings.Join(parts, ", ")
		if p.Counts == "" {
			p.Counts = "nothing"
		}
		for i, s := range x.Skipped {
			if i == 6 {
				p.Skipped = append(p.Skipped, fmt.Sprintf("+%d more", len(x.Skipped)-6))
				break
			}
			p.Skipped = append(p.Skipped, s.Text+": "+s.Reason)
		}
		p.Over = x.Over
	}
	if t.prompt.open {
		p.PromptLabel = t.prompt.Label
		p.Prompt = t.prompt.View(c.Width)
	}
	if t.running {
		pr := t.prog
		pct := 0.0
		if pr.Total > 0 {
			pct = float64(pr.Done) / float64(pr.Total)
		}
		p.Bar = t.bar.ViewAs(pct)
		p.Progress = fmt.Sprintf("%d/%d · %.1f/s", pr.Done, pr.Total, pr.Rate())
		if l := pr.Left(); l > 0 {
			p.Progress += " · " + l.Round(time.Second).String() + " left"
		}
		if d := pr.PausedUntil.Sub(c.Now()); d > 0 {
			p.Progress += " · paused by a rate limit for " + d.Round(time.Second).String()
		}
		p.Progress += " · esc stops"
	} else if s := t.sum; s != nil {
		p.Summary = actions.TriageLine(*s)
		if s.Canceled {
			p.Summary = "stopped — " + p.Summary + " (r runs them all again)"
		}
	}
	p.N, p.Row = len(t.shown), t.row
	return views.RenderTriage(p, c.Width, c.Height, c.Theme)
}

// row is result i of the sorted, filtered view as the table shows it.
func (t *triageTool) row(i int) views.TriageRow {
	r := t.recs[t.shown[i]]
	what := strings.Join(r.RiskTypes, ", ")
	if what == "" {
		what = strings.Join(r.Categories, ", ")
	}
	score := ""
	if r.RiskScore != nil {
		score = fmt.Sprintf("%.2f", *r.RiskScore)
	}
	return views.TriageRow{Indicator: r.Indicator, Kind: r.Kind, Verdict: r.Verdict, Score: score, What: what,
		ASN: r.ASN, Country: r.Country, Level: r.RiskLevel, Error: r.Error, Cached: r.Cached}
}

// pinRun pins every result that has an answer to the active case, each
// looked up as the Case pane would (the cache makes the run's own
// answers free; WHOIS and passive DNS may be read).
func (t *triageTool) pinRun(c *pane.Context) tea.Cmd {
	db := c.Session.DB
	var inds []string
	for _, r := range t.recs {
		if r.Verdict == actions.VerdictError {
			continue
		}
		v := r.Indicator
		if r.Kind == "asn" {
			v = "AS" + v
		}
		inds = append(inds, v)
	}
	return c.Go(func(ctx context.Context, cl *cloudflare.Client) tea.Msg {
		if _, err := db.ActiveCase(); err != nil {
			return triagePinnedMsg{err: err}
		}
		var m triagePinnedMsg
		for _, v := range inds {
			if ctx.Err() != nil {
				break
			}
			if _, err := actions.PinLookup(ctx, cl, db, v, ""); err != nil {
				m.failed++
			} else {
				m.pinned++
			}
		}
		return m
	})
}

// plural is "1 line" / "2 lines".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
