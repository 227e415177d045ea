package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// writeFileAtomic replaces path with data via a temp file in the same
// directory and a rename, so readers see the old or the new file, never a
// half-written one. The result has mode 0600 whatever the umask.
func writeFileAtomic(path string, data []byte) error {
	return writeFileVia(path, data, true)
}

// writeFileVia is writeFileAtomic; durable syncs the file and the
// directory, without it a crash may lose the write (never half of it).
func writeFileVia(path string, data []byte, durable bool) (err error) {
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(fileMode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if durable {
		if err = tmp.Sync(); err != nil {
			return err
		}
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if durable {
		syncDir(dir)
	}
	return nil
}

// syncDir makes a rename durable. Best effort: some filesystems refuse
// fsync on directories and the data itself is already synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// openPrivate opens path for appending (creating it 0600) and tightens the
// mode if something else created it wider.
func openPrivate(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|os.O_CREATE, fileMode)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm() != fileMode {
		if err := f.Chmod(fileMode); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// reverseLines calls fn with each line of r (size bytes) from the last to
// the first, without its '\n', stopping when fn returns false. It reads
// backwards in chunks, so finding the last line of a large file costs one
// or two small reads. A final '\n' does not produce an empty last line.
// The slice passed to fn is only valid during the call.
func reverseLines(r io.ReaderAt, size int64, fn func(line []byte) bool) error {
	const chunk = 8 << 10
	end := size
	if size > 0 {
		var last [1]byte
		if _, err := r.ReadAt(last[:], size-1); err != nil {
			return err
		}
		if last[0] == '\n' {
			end = size - 1
		}
	}
	var line []byte // bytes of the current line seen so far (its tail)
	pos := end
	buf := make([]byte, chunk)
	for pos > 0 {
		n := int64(chunk)
		if pos < n {
			n = pos
		}
		pos -= n
		b := buf[:n]
		if _, err := r.ReadAt(b, pos); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		for {
			i := bytes.LastIndexByte(b, '\n')
			if i < 0 {
				line = append(append(make([]byte, 0, len(b)+len(line)), b...), line...)
				break
			}
			full := append(append(make([]byte, 0, len(b)-i-1+len(line)), b[i+1:]...), line...)
			line = nil
			if !fn(full) {
				return nil
			}
			b = b[:i]
		}
	}
	if size > 0 { // the first line (possibly empty, as in a file holding just "\n")
		fn(line)
	}
	return nil
}

// processLocks serialises writers within this process before they compete
// for the file lock: Go's mutex is fair, polling a file lock is not.
var processLocks sync.Map // absolute lock path -> *sync.Mutex

const lockWait = 30 * time.Second

// withFileLock runs fn while holding an exclusive lock on lockPath (created
// 0600), shared with other goroutines and other processes. It gives up after
// lockWait rather than hang an action forever behind a stuck process.
func withFileLock(lockPath string, fn func() error) error {
	abs, err := filepath.Abs(lockPath)
	if err != nil {
		return err
	}
	mu, _ := processLocks.LoadOrStore(abs, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	if err := ensureDir(filepath.Dir(abs)); err != nil {
		return err
	}
	fl := flock.New(abs, flock.SetPermissions(fileMode))
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, 5*time.Millisecond)
	if err != nil || !ok {
		if errors.Is(err, context.DeadlineExceeded) || err == nil {
			return fmt.Errorf("%s is locked by another process (waited %s)", abs, lockWait)
		}
		return fmt.Errorf("locking %s: %w", abs, err)
	}
	defer fl.Close()
	return fn()
}
