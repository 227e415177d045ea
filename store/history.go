package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// HistoryFile is the history's name inside the state directory.
const HistoryFile = "history.jsonl"

// History limits: the file keeps the newest HistoryMaxEntries entries and
// at most historyMaxBytes; a body over historyMaxBody is not kept.
const (
	HistoryMaxEntries = 1000
	historyMaxBytes   = 8 << 20
	historyMaxBody    = 256 << 10
)

// HistoryEntry is one sent custom request. Auth headers are never kept.
type HistoryEntry struct {
	Time        time.Time   `json:"time"`
	Method      string      `json:"method"`
	Path        string      `json:"path"`
	Query       [][2]string `json:"query,omitempty"`
	Header      [][2]string `json:"header,omitempty"`
	Body        string      `json:"body,omitempty"`
	BodyOmitted bool        `json:"body_omitted,omitempty"` // body was over 256 KiB and not kept
	Status      int         `json:"status,omitempty"`       // 0: no response
}

// AppendHistory adds e to dir/history.jsonl (0600), dropping auth headers,
// then trims the oldest entries past HistoryMaxEntries. It refuses
// (ErrContainsSecret) an entry containing a token g forbids. Concurrent
// appends are serialised by a file lock.
func AppendHistory(dir string, g *Guard, e HistoryEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	e.Header = StripAuthHeaders(e.Header)
	if len(e.Body) > historyMaxBody {
		e.Body, e.BodyOmitted = "", true
	}
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if g.Contains(line) {
		return ErrContainsSecret
	}
	line = append(line, '\n')
	path := filepath.Join(dir, HistoryFile)
	return withFileLock(path+".lock", func() error {
		old, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		// A torn last line (interrupted write) stays its own, skipped, line.
		torn := len(old) > 0 && old[len(old)-1] != '\n'
		if torn {
			old = append(old, '\n')
		}
		lines := bytes.SplitAfter(old, []byte("\n"))
		if n := len(lines); n > 0 && len(lines[n-1]) == 0 {
			lines = lines[:n-1]
		}
		size := len(old) + len(line)
		if len(lines)+1 <= HistoryMaxEntries && size <= historyMaxBytes {
			f, err := openPrivate(path, os.O_WRONLY|os.O_APPEND)
			if err != nil {
				return err
			}
			if torn {
				line = append([]byte{'\n'}, line...)
			}
			_, werr := f.Write(line)
			cerr := f.Close()
			return errors.Join(werr, cerr)
		}
		// Over the cap: rewrite with the newest entries only.
		for len(lines) > 0 && (len(lines)+1 > HistoryMaxEntries || size > historyMaxBytes) {
			size -= len(lines[0])
			lines = lines[1:]
		}
		var buf bytes.Buffer
		for _, l := range lines {
			buf.Write(l)
		}
		buf.Write(line)
		return writeFileAtomic(path, buf.Bytes())
	})
}

// LoadHistory returns up to max entries (all when max <= 0), newest first.
// A missing file is an empty history; lines that do not parse are skipped
// (history is a convenience, one bad line must not hide the rest).
func LoadHistory(dir string, max int) ([]HistoryEntry, error) {
	path := filepath.Join(dir, HistoryFile)
	out, err := readNewest(path, max, func(e *HistoryEntry) bool {
		e.Header = StripAuthHeaders(e.Header)
		return e.Method != ""
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return out, nil
}
