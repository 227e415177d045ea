package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// QuotaDir is the subdirectory of the state directory that holds one
// quota file per profile.
const QuotaDir = "quota"

// maxQuotaFile bounds what is read: the state is a few hundred bytes.
const maxQuotaFile = 1 << 20

// QuotaPath is where profile's shared quota state lives under stateDir:
// stateDir/quota/<profile>.json (the demo passes its own state dir).
func QuotaPath(stateDir, profile string) string {
	return filepath.Join(stateDir, QuotaDir, profile+".json")
}

// QuotaFile is the API quota state shared by every cftriage process of a
// profile (it implements cloudflare.QuotaStore; the client owns the
// format). Each Update holds an exclusive lock on path+".lock", taken
// by goroutines and processes alike, so a loop of processes reads and
// counts one quota. It holds no secret: quota counts and times only.
type QuotaFile struct{ path string }

// OpenQuota returns the quota file at path; nothing is touched until
// the first Update.
func OpenQuota(path string) *QuotaFile { return &QuotaFile{path: path} }

// Path is the file's location.
func (q *QuotaFile) Path() string { return q.path }

// Update calls fn with the file's content (nil when absent) under the
// lock and replaces the file with what fn returns, unless that is nil.
// The replacement is a rename, so a crash leaves the old or the new
// state; it is not synced, since losing it costs one answer's worth of
// pacing, not data.
func (q *QuotaFile) Update(fn func(state []byte) []byte) error {
	if q == nil || q.path == "" {
		return errors.New("no quota file")
	}
	return withFileLock(q.path+".lock", func() error {
		old, err := readCapped(q.path, maxQuotaFile)
		if err != nil {
			return err
		}
		data := fn(old)
		if data == nil {
			return nil
		}
		return writeFileVia(q.path, data, false) // rewritten often: not synced
	})
}

// readCapped reads at most limit bytes of path; an absent file is nil.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
}
