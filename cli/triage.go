package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	"golang.org/x/term"

	"cftriage/actions"
	"cftriage/indicator"
)

// Triage exit codes (beside the package's 0-6).
const (
	// ExitTriageIncomplete: some lookups failed, or the run was stopped
	// (ctrl+c) before the end; the output holds what was done.
	ExitTriageIncomplete = 7
	// ExitTriageRisky: with --fail-on risky, at least one indicator is
	// risky (takes precedence over 7).
	ExitTriageRisky = 8
)

// runTriage is `cftriage triage [FILE|-]`: every indicator in a text
// (an alert, an email body, log lines, a CSV) looked up within the
// quota, most severe first, in the format asked for.
func runTriage(ctx context.Context, e *env) error {
	format := e.o.format
	if format == "" {
		format = "table"
		if e.g.json {
			format = "json"
		}
	}
	if !validFormat(format) {
		return usageErr("--format %q: use one of %s", format, strings.Join(actions.TriageFormats, ", "))
	}
	switch e.o.failOn {
	case "", "risky":
	default:
		return usageErr("--fail-on %q: the only value is risky", e.o.failOn)
	}
	text, err := e.triageInput()
	if err != nil {
		return err
	}
	x, err := indicator.Extract(text)
	if err != nil {
		return usageErr("%v", err)
	}
	e.describeExtraction(x)
	// The -o file is created before any request: a path that cannot be
	// written costs no quota and loses no results.
	out, err := e.triageOutput()
	if err != nil {
		return err
	}
	defer out.discard()
	if len(x.Found) == 0 {
		return out.write(format, actions.NewTriageReport(actions.TriageSummary{}, x, time.Now()))
	}
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()

	bar := e.progressBar()
	var mu sync.Mutex
	sum := actions.Triage(ctx, sess.Client, x.Found, actions.TriageOptions{}, nil, func(p actions.TriageProgress) {
		mu.Lock()
		defer mu.Unlock()
		bar(p)
	})
	bar(actions.TriageProgress{}) // clears the line
	if sum.Canceled {
		fmt.Fprintf(e.stderr, "stopped: %d of %d looked up; the output holds those\n", len(sum.Records), len(x.Found))
	}
	if err := out.write(format, actions.NewTriageReport(sum, x, time.Now())); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, actions.TriageLine(sum))
	switch {
	case e.o.failOn == "risky" && sum.Risky() > 0:
		return errSilent(ExitTriageRisky)
	case sum.Canceled || sum.Failed() > 0:
		return errSilent(ExitTriageIncomplete)
	}
	return nil
}

func validFormat(f string) bool {
	for _, v := range actions.TriageFormats {
		if v == f {
			return true
		}
	}
	return false
}

// triageInput reads FILE, "-" (stdin), or stdin when it is piped; at
// most 1 MiB.
func (e *env) triageInput() (string, error) {
	const usage = "usage: cftriage triage [FILE|-] [--format table|csv|json|ndjson|md] [-o FILE] [--fail-on risky]"
	var r io.Reader
	name := "stdin"
	switch {
	case len(e.args) > 1:
		return "", usageErr("%s", usage)
	case len(e.args) == 1 && e.args[0] != "-":
		f, err := os.Open(e.args[0])
		if err != nil {
			return "", usageErr("cannot read %s: %v", e.args[0], actions.Explain(err))
		}
		defer f.Close()
		r, name = f, e.args[0]
	case len(e.args) == 0 && e.isTerminal():
		return "", usageErr("give a file, or pipe the text in (cftriage triage - reads stdin)\n%s", usage)
	default:
		r = e.stdin
	}
	b, err := io.ReadAll(io.LimitReader(r, indicator.MaxText+1))
	if err != nil {
		return "", usageErr("cannot read %s: %v", name, actions.Explain(err))
	}
	if len(b) > indicator.MaxText {
		return "", usageErr("%s is over 1 MiB: one run takes at most 1 MiB of text — split it into several runs", name)
	}
	return string(b), nil
}

// describeExtraction says on stderr what was found and what was skipped.
func (e *env) describeExtraction(x indicator.Extraction) {
	c := x.Counts()
	var parts []string
	for _, k := range indicator.PresentTypes(c) {
		parts = append(parts, fmt.Sprintf("%d %s", c[k], k))
	}
	if len(parts) == 0 {
		fmt.Fprintln(e.stderr, "no indicators found")
	} else {
		fmt.Fprintf(e.stderr, "found %d indicators: %s\n", len(x.Found), strings.Join(parts, ", "))
	}
	if x.Over > 0 {
		fmt.Fprintf(e.stderr, "%d more not taken: one run takes at most %d indicators\n", x.Over, indicator.MaxIndicators)
	}
	if n := len(x.Skipped); n > 0 {
		by := map[string][]string{}
		for _, s := range x.Skipped {
			by[s.Reason] = append(by[s.Reason], s.Text)
		}
		reasons := make([]string, 0, len(by))
		for r := range by {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		fmt.Fprintf(e.stderr, "skipped %d:\n", n)
		for _, r := range reasons {
			ts := by[r]
			shown := ts
			if len(shown) > 5 {
				shown = shown[:5]
			}
			more := ""
			if len(ts) > len(shown) {
				more = fmt.Sprintf(" and %d more", len(ts)-len(shown))
			}
			fmt.Fprintf(e.stderr, "  %s: %s%s\n", r, clean(strings.Join(shown, ", ")), more)
		}
	}
}

// triageSink is where the report goes: stdout, or the -o file created
// up front (removed again if the run ends before writing it).
type triageSink struct {
	w       io.Writer
	f       *os.File
	written bool
}

func (e *env) triageOutput() (*triageSink, error) {
	if e.o.output == "" {
		return &triageSink{w: e.stdout}, nil
	}
	f, err := createOutput(e.o.output)
	if err != nil {
		return nil, err
	}
	return &triageSink{w: f, f: f}, nil
}

func (s *triageSink) write(format string, rep actions.TriageReport) error {
	s.written = true
	err := actions.WriteTriage(s.w, format, rep)
	if s.f != nil {
		if cerr := s.f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("writing %s: %w", s.f.Name(), cerr)
		}
	}
	return err
}

// discard removes an -o file the run never wrote.
func (s *triageSink) discard() {
	if s.f != nil && !s.written {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}

// progressBar returns the headless progress line on stderr when stderr
// is a terminal (Bubbles' progress bar, drawn in place); a no-op
// otherwise, so a pipe or a log file gets no carriage returns.
func (e *env) progressBar() func(actions.TriageProgress) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func(actions.TriageProgress) {}
	}
	bar := progress.New(progress.WithWidth(30), progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))
	last := time.Time{}
	return func(p actions.TriageProgress) {
		if p.Total == 0 {
			fmt.Fprint(f, "\r\x1b[2K")
			return
		}
		if now := time.Now(); now.Sub(last) < 100*time.Millisecond && p.Done < p.Total {
			return
		}
		last = time.Now()
		line := fmt.Sprintf("%s %d/%d · %.1f/s", bar.ViewAs(float64(p.Done)/float64(p.Total)), p.Done, p.Total, p.Rate())
		if l := p.Left(); l > 0 {
			line += " · " + l.Round(time.Second).String() + " left"
		}
		if d := time.Until(p.PausedUntil); d > 0 {
			line += " · paused by a rate limit, " + d.Round(time.Second).String()
		}
		fmt.Fprint(f, "\r\x1b[2K"+line)
	}
}
