package store

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerifyAudit: VerifyAudit never panics on arbitrary bytes, and a
// valid log written by Append, with one byte changed, is never reported
// OK unless the byte is unchanged.
func FuzzVerifyAudit(f *testing.F) {
	// A valid log of two attempts (four lines), with its head file.
	validPath := filepath.Join(f.TempDir(), AuditFile)
	a := OpenAudit(validPath)
	for _, email := range []string{"a@corp", "b@corp"} {
		r := resetRecord(email)
		id, err := a.Intent(r)
		if err != nil {
			f.Fatal(err)
		}
		r.Outcome, r.HTTPStatus = OutcomeSuccess, 200
		r.After = &UserState{RiskLevel: "low", LastReset: "2026-02-02T00:00:00Z"}
		if err := a.Outcome(id, r); err != nil {
			f.Fatal(err)
		}
	}
	valid, err := os.ReadFile(validPath)
	if err != nil {
		f.Fatal(err)
	}
	head, err := os.ReadFile(validPath + ".head")
	if err != nil {
		f.Fatal(err)
	}

	lines := bytes.SplitAfter(valid, []byte("\n"))
	seeds := [][]byte{
		valid, nil, []byte("\n"), []byte("{}\n"), []byte("null\n"), []byte("[]\n{\n"),
		valid[:len(valid)-1],                            // no final newline
		valid[:len(valid)/2],                            // cut mid-record
		bytes.Join([][]byte{lines[1], lines[0]}, nil),   // reordered
		append(append([]byte{}, valid...), lines[3]...), // duplicated last line
		[]byte(`{"seq":1,"phase":"outcome","attempt_id":"x","prev_hash":"genesis"}` + "\n"), // orphan outcome
		[]byte(`{"seq":-9223372036854775808,"prev_hash":1}` + "\n"),
		[]byte(`{"seq":9223372036854775807,"phase":"intent","attempt_id":"x","action":"risk_reset","prev_hash":"genesis"}` + "\n"),
		bytes.Repeat([]byte("x"), 70<<10), // a line longer than the reader's buffer
		[]byte("\xff\xfe\x00\n\r\n"),
	}
	for i, s := range seeds {
		f.Add(s, uint32(i*37), byte(i))
	}
	f.Add(valid, uint32(0), byte('['))
	f.Add(valid, uint32(len(valid)-1), byte(' ')) // the final newline
	f.Add(valid, uint32(len(lines[0])-1), byte('x'))
	f.Add(valid, uint32(len(lines[0])), valid[len(lines[0])]) // a no-op
	// One byte inside each line's reason text (the last line is checked
	// against the head, the others by the next line's prev_hash).
	off := 0
	for _, l := range lines {
		if j := bytes.Index(l, []byte("INC-42")); j >= 0 {
			f.Add(valid, uint32(off+j+4), byte('7'))
		}
		off += len(l)
	}

	f.Fuzz(func(t *testing.T, data []byte, pos uint32, b byte) {
		dir := t.TempDir()

		// Arbitrary bytes as the log, without a head and with the valid
		// log's head: a report or an error, never a panic.
		p := filepath.Join(dir, "any", AuditFile)
		writeFile(t, p, data)
		if rep, err := VerifyAudit(p); err == nil && rep.OK != (len(rep.Problems) == 0) {
			t.Fatalf("OK %v with problems %v", rep.OK, rep.Problems)
		}
		writeFile(t, p+".head", head)
		VerifyAudit(p)
		// Arbitrary bytes as the head of the valid log.
		q := filepath.Join(dir, "head", AuditFile)
		writeFile(t, q, valid)
		writeFile(t, q+".head", data)
		VerifyAudit(q)

		// The valid log with one byte set to b.
		i := int(pos % uint32(len(valid)))
		mut := bytes.Clone(valid)
		mut[i] = b
		m := filepath.Join(dir, "mutated", AuditFile)
		writeFile(t, m, mut)
		writeFile(t, m+".head", head)
		rep, err := VerifyAudit(m)
		if err != nil {
			t.Fatalf("VerifyAudit: %v", err)
		}
		if noop := valid[i] == b; rep.OK != noop {
			t.Fatalf("byte %d %q → %q: OK = %v, want %v; problems %v", i, valid[i], b, rep.OK, noop, rep.Problems)
		}
	})
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
