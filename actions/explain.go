package actions

import (
	"context"
	"errors"
	"io/fs"
	"syscall"
)

// Explain is the sentence shown to the analyst for an error. The client's,
// the store's and the flows' errors are already sentences; file-system
// and context errors are turned into one, so no raw Go error string
// reaches the screen.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return "cannot " + pe.Op + " " + pe.Path + ": " + fsReason(pe.Err)
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return err.Error()
}

func fsReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "it does not exist"
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is not a directory"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	}
	return "the file system refused (" + err.Error() + ")"
}
