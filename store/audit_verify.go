package store

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// Problem kinds reported by VerifyAudit.
const (
	ProblemUnparsable = "unparsable"      // a line is not a JSON audit record
	ProblemTruncated  = "truncated"       // the last line is incomplete
	ProblemInvalid    = "invalid"         // a record lacks required fields
	ProblemEdited     = "edited"          // a line's content no longer matches its recorded hash
	ProblemMissing    = "missing"         // records were deleted (middle, start or end)
	ProblemOrder      = "order"           // seq repeats or goes backwards
	ProblemOrphan     = "orphan_outcome"  // an outcome whose intent is not in the log
	ProblemDuplicate  = "duplicate"       // an attempt id reused by two intents or two outcomes
	ProblemHead       = "head"            // the head file is corrupt or disagrees with the log
	ProblemDangling   = "dangling_intent" // an intent without outcome: the result is unknown
	// WarningUncovered (a warning, a problem with --strict): the last
	// record is beyond the head file: cftriage crashed after writing it
	// and before updating the head, or something else appended it.
	WarningUncovered = "uncovered"
)

// Problem is one finding of VerifyAudit. Line is 1-based; a problem at the
// end of the log (trailing records removed) has Line = Lines+1.
type Problem struct {
	Line int    `json:"line"`
	Kind string `json:"kind"`
	Msg  string `json:"msg"`
}

// VerifyReport is the result of VerifyAudit. OK is true only when Problems
// is empty. Dangling intents appear both in Problems (kind
// "dangling_intent") and, as records, in Dangling. Warnings are findings
// that an honest crash can explain (a record beyond the head): they leave
// OK alone, and Strict turns them into problems. HeadChecked is false when
// there is no head file; beside a log with records that is a problem (kind
// "head"): removal of trailing records and edits of the last record could
// not be detected.
type VerifyReport struct {
	OK          bool          `json:"ok"`
	Lines       int           `json:"lines"`
	Problems    []Problem     `json:"problems,omitempty"`
	Warnings    []Problem     `json:"warnings,omitempty"`
	Dangling    []AuditRecord `json:"dangling,omitempty"`
	HeadChecked bool          `json:"head_checked"`
}

// Strict returns the report with its warnings counted as problems.
func (r VerifyReport) Strict() VerifyReport {
	if len(r.Warnings) == 0 {
		return r
	}
	r.Problems = append(append([]Problem(nil), r.Problems...), r.Warnings...)
	r.Warnings = nil
	sort.SliceStable(r.Problems, func(i, j int) bool { return r.Problems[i].Line < r.Problems[j].Line })
	r.OK = false
	return r
}

// VerifyAudit reads the whole log at path and checks that every line
// parses, the prev_hash chain, seq continuity, intent/outcome pairing and
// the head file. Problems are sorted by line; the first is the first broken
// link. A missing log with no head file is an empty, valid log. It holds
// the writers' lock while reading, so it sees a consistent log.
func VerifyAudit(path string) (VerifyReport, error) {
	_, errLog := os.Stat(path)
	_, errHead := os.Stat(path + ".head")
	if errors.Is(errLog, os.ErrNotExist) && errors.Is(errHead, os.ErrNotExist) {
		return VerifyReport{OK: true}, nil
	}
	var rep VerifyReport
	var verr error
	lockErr := withFileLock(path+".lock", func() error {
		rep, verr = verifyAudit(path)
		return nil
	})
	if lockErr != nil {
		// A read-only copy cannot be locked; verifying without the lock is
		// still meaningful (at worst a concurrent append shows up).
		rep, verr = verifyAudit(path)
	}
	return rep, verr
}

type pendingIntent struct {
	line int
	rec  AuditRecord
}

func verifyAudit(path string) (VerifyReport, error) {
	var rep VerifyReport
	add := func(line int, kind, format string, args ...any) {
		rep.Problems = append(rep.Problems, Problem{Line: line, Kind: kind, Msg: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)})
	}

	f, err := os.Open(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, err
	}
	// last two parseable records: the head may lag one behind after a crash
	var (
		prevLineHash string // hash of the previous physical line
		prevParsed   bool   // the previous physical line was a record
		last, before struct {
			ok   bool
			line int
			seq  int64
			hash string
			rec  AuditRecord
		}
		pending   = map[string]pendingIntent{}
		outcomes  = map[string]bool{}
		intentsOf = map[string]bool{}
	)
	if f != nil {
		defer f.Close()
		br := bufio.NewReaderSize(f, 64<<10)
		for n := 1; ; n++ {
			raw, rerr := br.ReadBytes('\n')
			if len(raw) == 0 && rerr == io.EOF {
				break
			}
			if rerr != nil && rerr != io.EOF {
				return rep, rerr
			}
			rep.Lines = n
			terminated := raw[len(raw)-1] == '\n'
			if terminated {
				raw = raw[:len(raw)-1]
			}
			h := lineHash(raw)
			var r AuditRecord
			perr := json.Unmarshal(raw, &r)
			switch {
			case perr != nil && !terminated:
				add(n, ProblemTruncated, "incomplete last record (no newline, does not parse): the log was cut short or a write was interrupted")
			case perr != nil && len(raw) == 0:
				add(n, ProblemUnparsable, "empty line (lines are never empty: the log was edited)")
			case perr != nil:
				add(n, ProblemUnparsable, "not a valid audit record (%v): the line was edited or corrupted", perr)
			case !terminated:
				add(n, ProblemTruncated, "the last record has no final newline: the log was edited")
			}
			if perr != nil {
				prevLineHash, prevParsed = h, false
				continue
			}
			if err := validateRecord(&r); err != nil {
				add(n, ProblemInvalid, "%v", err)
			}
			if r.Seq < 1 {
				add(n, ProblemInvalid, "seq %d is not positive", r.Seq)
			}
			if r.HeadLost {
				add(n, ProblemHead, "when this record (seq %d, %s) was written, the head file was missing or unreadable beside a log with records: records removed from the end before it cannot be ruled out (a crash right after a new log's first record leaves this too)", r.Seq, describe(r))
			}

			// The chain.
			expect := GenesisHash
			if n > 1 {
				expect = prevLineHash
			}
			hashOK := r.PrevHash == expect
			switch {
			case n == 1 && !hashOK:
				add(n, ProblemMissing, "prev_hash refers to an earlier record but this is the first line (seq %d): the beginning of the log was deleted", r.Seq)
			case n == 1 && r.Seq != 1:
				add(n, ProblemEdited, "the first record has seq %d, not 1, yet claims to start the log: it was edited", r.Seq)
			case !last.ok:
				// previous lines were all unparsable: already reported
			case r.Seq <= last.seq:
				add(n, ProblemOrder, "seq %d does not follow seq %d on line %d: lines were reordered, duplicated or edited", r.Seq, last.seq, last.line)
			case r.Seq > last.seq+1 && !hashOK:
				add(n, ProblemMissing, "seq jumps from %d (line %d) to %d and prev_hash does not match line %d: %s missing here (deleted or moved)",
					last.seq, last.line, r.Seq, n-1, seqRange(last.seq+1, r.Seq-1))
			case r.Seq > last.seq+1:
				add(n, ProblemEdited, "seq jumps from %d (line %d) to %d although prev_hash matches: this line's seq was edited", last.seq, last.line, r.Seq)
			case !hashOK && prevParsed:
				rep.Problems = append(rep.Problems, Problem{Line: n - 1, Kind: ProblemEdited,
					Msg: fmt.Sprintf("line %d: edited after it was written (its hash does not match the prev_hash recorded on line %d)", n-1, n)})
			case !hashOK:
				// the previous line is unparsable: already reported
			}

			// Intent/outcome pairing.
			if r.AttemptID != "" {
				switch r.Phase {
				case PhaseIntent:
					if intentsOf[r.AttemptID] {
						add(n, ProblemDuplicate, "a second intent for attempt %s", r.AttemptID)
					} else {
						intentsOf[r.AttemptID] = true
						if !outcomes[r.AttemptID] {
							pending[r.AttemptID] = pendingIntent{line: n, rec: r}
						}
					}
				case PhaseOutcome:
					switch {
					case outcomes[r.AttemptID]:
						add(n, ProblemDuplicate, "a second outcome for attempt %s", r.AttemptID)
					case !intentsOf[r.AttemptID]:
						add(n, ProblemOrphan, "outcome for attempt %s (%s) has no intent before it: the intent line was deleted or edited", r.AttemptID, describe(r))
					}
					outcomes[r.AttemptID] = true
					delete(pending, r.AttemptID)
				}
			}

			before = last
			last.ok, last.line, last.seq, last.hash, last.rec = true, n, r.Seq, h, r
			prevLineHash, prevParsed = h, true
		}
	}

	// The head: catches removal of trailing records and an edited last record.
	head, herr := readHead(path + ".head")
	switch {
	case herr == nil && !head.ok && rep.Lines > 0:
		add(rep.Lines+1, ProblemHead, "the head file %s.head is missing beside a log of %d line(s): it records the last record written, and without it records removed from the end cannot be detected (the next append would start a new head at this end). It was deleted, or the log was copied without it: copy both files", path, rep.Lines)
	case herr != nil:
		rep.HeadChecked = true
		add(rep.Lines+1, ProblemHead, "%v: cannot tell whether trailing records were removed", herr)
	case head.ok:
		rep.HeadChecked = true
		lastSeq := int64(0)
		if last.ok {
			lastSeq = last.seq
		}
		switch {
		case head.seq > lastSeq:
			add(rep.Lines+1, ProblemMissing, "end of log: the head file records seq %d but the last record is seq %d: %s missing from the end (removed)",
				head.seq, lastSeq, seqRange(lastSeq+1, head.seq))
		case head.seq == lastSeq && head.hash != last.hash:
			add(last.line, ProblemEdited, "edited after it was written (its hash does not match the head file)")
		case head.seq == lastSeq:
			// consistent
		case head.seq == lastSeq-1 && before.ok && before.seq == head.seq && before.hash == head.hash:
			// A crash after the record was synced and before the head was
			// updated leaves this; so does one record appended by
			// something else (a forged outcome closing a dangling
			// intent). It is named, and --strict fails on it.
			rep.Warnings = append(rep.Warnings, Problem{Line: last.line, Kind: WarningUncovered, Msg: fmt.Sprintf(
				"line %d: the last record (seq %d, %s %s) is beyond the head file, which records seq %d: cftriage crashed after writing it, or something else appended it",
				last.line, last.seq, last.rec.Phase, describeOutcome(last.rec), head.seq)})
		default:
			add(last.line, ProblemHead, "the head file records seq %d but the log goes on to seq %d: records were added by something other than cftriage, or the head file was replaced", head.seq, lastSeq)
		}
	}

	// Intents without outcomes, in log order.
	dang := make([]pendingIntent, 0, len(pending))
	for _, p := range pending {
		dang = append(dang, p)
	}
	sort.Slice(dang, func(i, j int) bool { return dang[i].line < dang[j].line })
	for _, p := range dang {
		add(p.line, ProblemDangling, "intent attempt %s (%s) has no outcome: the result is unknown (check the target's current state)", p.rec.AttemptID, describe(p.rec))
		rep.Dangling = append(rep.Dangling, p.rec)
	}

	sort.SliceStable(rep.Problems, func(i, j int) bool { return rep.Problems[i].Line < rep.Problems[j].Line })
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

// describeOutcome is describe with the outcome and attempt of a record.
func describeOutcome(r AuditRecord) string {
	s := describe(r)
	if r.Outcome != "" {
		s += " → " + r.Outcome
	}
	if r.AttemptID != "" {
		s += ", attempt " + r.AttemptID
	}
	return s
}

// describe names an attempt for messages: "risk_reset user@corp".
func describe(r AuditRecord) string {
	switch {
	case r.Method != "" || r.URL != "":
		return fmt.Sprintf("%s %s %s", r.Action, r.Method, r.URL)
	case r.TargetEmail != "":
		return r.Action + " " + r.TargetEmail
	case r.TargetUserID != "":
		return r.Action + " " + r.TargetUserID
	}
	return r.Action
}

func seqRange(from, to int64) string {
	if from == to {
		return fmt.Sprintf("record seq %d is", from)
	}
	return fmt.Sprintf("%d records (seq %d-%d) are", to-from+1, from, to)
}

// ReadAudit returns up to limit records (all when limit <= 0), newest
// first, reading backwards from the end of the file. Lines that do not
// parse are skipped: integrity is VerifyAudit's job. A missing file is an
// empty log.
func ReadAudit(path string, limit int) ([]AuditRecord, error) {
	return readNewest(path, limit, func(r *AuditRecord) bool { return r.Seq > 0 })
}

// readNewest decodes up to limit JSON lines (all when limit <= 0) from
// the end of path, newest first, keeping those keep accepts; lines that
// do not parse are skipped. A missing file is empty.
func readNewest[T any](path string, limit int, keep func(*T) bool) ([]T, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var out []T
	err = reverseLines(f, fi.Size(), func(l []byte) bool {
		var v T
		if json.Unmarshal(l, &v) == nil && keep(&v) {
			out = append(out, v)
		}
		return limit <= 0 || len(out) < limit
	})
	return out, err
}
