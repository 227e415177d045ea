package actions

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/store"
)

func TestExplainTurnsFileErrorsIntoSentences(t *testing.T) {
	dir := t.TempDir()
	_, errDir := store.ReadAudit(dir, 10) // the audit path is a directory
	_, errMissing := os.Open(filepath.Join(dir, "nope"))
	wrapped := fmt.Errorf("reading the log: %w", errMissing)
	for _, c := range []struct {
		err  error
		want string
	}{
		{errDir, "it is a directory"},
		{wrapped, "cannot open " + filepath.Join(dir, "nope") + ": it does not exist"},
		{context.Canceled, "canceled"},
		{fmt.Errorf("lookup: %w", context.DeadlineExceeded), "timed out"},
		{errors.New("a sentence of ours."), "a sentence of ours."},
	} {
		got := Explain(c.err)
		if !strings.Contains(got, c.want) {
			t.Errorf("Explain(%v) = %q, want it to contain %q", c.err, got, c.want)
		}
		if strings.Contains(got, "open /") && strings.Contains(got, "no such file") {
			t.Errorf("Explain(%v) kept the raw Go error: %q", c.err, got)
		}
	}
	if Explain(nil) != "" {
		t.Error("Explain(nil) is not empty")
	}
}
