package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"cftriage/actions"
)

// withChanges adds "changes" to a connector object (after its own keys,
// which keep their order); v unchanged when there is nothing earlier.
func withChanges(v any, rep *actions.ChangeReport) any {
	if rep == nil {
		return v
	}
	obj, err := json.Marshal(v)
	if err != nil || len(obj) < 2 || obj[len(obj)-1] != '}' {
		return v
	}
	ch, err := json.Marshal(rep.Changes)
	if err != nil {
		return v
	}
	var b bytes.Buffer
	b.Write(obj[:len(obj)-1])
	if len(bytes.TrimSpace(obj[1:len(obj)-1])) > 0 {
		b.WriteByte(',')
	}
	b.WriteString(`"changes":`)
	b.Write(ch)
	b.WriteByte('}')
	return json.RawMessage(b.Bytes())
}

// printChanges is the human "changed since" block; nothing when there
// was nothing earlier to compare with.
func printChanges(w io.Writer, rep *actions.ChangeReport) {
	if rep == nil {
		return
	}
	when := sinceLabel(rep.Since, time.Now())
	if len(rep.Changes) == 0 {
		fmt.Fprintf(w, "  unchanged since %s\n", when)
		return
	}
	fmt.Fprintf(w, "  changed since %s:\n", when)
	for _, c := range rep.Changes {
		fmt.Fprintf(w, "    %s\n", clean(c.Describe()))
	}
}

// sinceLabel is "2026-05-01 14:03 (3h ago)".
func sinceLabel(t, now time.Time) string {
	return t.Local().Format("2006-01-02 15:04") + " (" + agoText(now.Sub(t)) + ")"
}

// agoText is a short age: "just now", "3m ago", "5h ago", "3d ago".
func agoText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}
