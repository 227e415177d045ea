package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The audit log is JSON Lines; each line's prev_hash is the hex SHA-256 of
// the previous line's exact bytes (without its '\n'), GenesisHash on the
// first line, so editing, deleting or reordering lines breaks the chain.
//
// A sidecar "<log>.head" file records the seq and hash of the last line
// written. A chain alone cannot show that its last lines were removed or
// that the very last line was edited; the head can. Append also continues
// the chain from the head rather than from a tampered tail, so the evidence
// survives later appends. Anyone able to rewrite both files can still forge
// a consistent log: this detects tampering, it does not prevent it.
const (
	AuditFile   = "audit.jsonl"
	GenesisHash = "genesis"
)

// Record phases, actions and outcomes.
const (
	PhaseIntent  = "intent"  // written and synced before the request is sent
	PhaseOutcome = "outcome" // written after the result is known (or not)

	ActionRiskReset = "risk_reset"
	ActionAPICall   = "api_call"

	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeUnknown = "unknown" // timeout or lost connection: the server may have acted
)

// maxAuditField bounds each string field: error messages come from the API
// (untrusted) and must not turn one record into megabytes.
const (
	maxAuditField    = 4096
	maxAuditCFErrors = 20
)

// Operator identifies who acted: the OS user and the id (never the value)
// of the API token.
type Operator struct {
	OSUser  string `json:"os_user"`
	TokenID string `json:"token_id,omitempty"`
}

// UserState is a user's risk state before or after an action.
type UserState struct {
	RiskLevel  string `json:"risk_level"`
	LastReset  string `json:"last_reset,omitempty"`
	EventCount int    `json:"event_count"`
}

// CFError is one Cloudflare API error from a failed call.
type CFError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// AuditRecord is one line of the audit log. Seq, PrevHash and (if zero)
// Time are set by Append.
type AuditRecord struct {
	Seq          int64     `json:"seq"`
	Time         time.Time `json:"time"` // UTC
	Phase        string    `json:"phase"`
	AttemptID    string    `json:"attempt_id"` // links an intent to its outcome
	AccountID    string    `json:"account_id"`
	Operator     Operator  `json:"operator"`
	Action       string    `json:"action"`
	TargetUserID string    `json:"target_user_id,omitempty"`
	TargetEmail  string    `json:"target_email,omitempty"`
	Method       string    `json:"method,omitempty"` // api_call
	URL          string    `json:"url,omitempty"`    // api_call
	// The body an api_call sent (intent): the text with any token masked,
	// cut at 4 KiB (BodyTruncated), and the SHA-256 and size of the whole
	// body exactly as sent, so what was changed can be told.
	Body          string     `json:"body,omitempty"`
	BodyTruncated bool       `json:"body_truncated,omitempty"`
	BodySHA256    string     `json:"body_sha256,omitempty"`
	BodySize      int        `json:"body_size,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	Before        *UserState `json:"before,omitempty"`
	Outcome       string     `json:"outcome,omitempty"` // outcome phase only
	HTTPStatus    int        `json:"http_status,omitempty"`
	CFErrors      []CFError  `json:"cf_errors,omitempty"`
	ErrorMessage  string     `json:"error_message,omitempty"`
	After         *UserState `json:"after,omitempty"`
	// HeadLost is set by Append on the record it wrote while the head
	// file was missing beside a log with records: verify keeps
	// reporting that records may have been removed from the end before
	// it, instead of a new head making the truncated log look whole.
	HeadLost bool   `json:"head_lost,omitempty"`
	PrevHash string `json:"prev_hash"`
	// Integrations (risk_reset) were active when the reset was sent.
	Integrations *AuditIntegrations `json:"integrations,omitempty"`
	// Revoke (revoke_sessions): devices, sessions before and after, result.
	Revoke *AuditRevoke `json:"revoke,omitempty"`
}

// Audit appends to one audit log file. It is safe for concurrent use, and
// separate processes appending to the same file are serialised by an
// exclusive lock on "<path>.lock".
type Audit struct {
	path  string
	mu    sync.Mutex
	guard *Guard
}

// OpenAudit returns the audit log at path. Nothing is touched until the
// first Append; the directory is created 0700 then.
func OpenAudit(path string) *Audit { return &Audit{path: path} }

// DefaultAuditPath is $XDG_STATE_HOME/cftriage/audit.jsonl.
func DefaultAuditPath() (string, error) {
	d, err := StateDir()
	if err != nil {
		return "", err
	}
	return AuditPath(d), nil
}

// AuditPath is the audit log in the state directory dir.
func AuditPath(dir string) string { return filepath.Join(dir, AuditFile) }

// Path returns the log's path.
func (a *Audit) Path() string { return a.path }

// SetGuard gives the log the session's guard: every token it forbids is
// masked (redact.Mask) in each record before it is written. A record is
// never refused for holding a token: the outcome of a write that was sent
// must be on record whatever the server echoed back.
func (a *Audit) SetGuard(g *Guard) {
	a.mu.Lock()
	a.guard = g
	a.mu.Unlock()
}

// NewAttemptID returns a random id linking an intent to its outcome.
func NewAttemptID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Intent appends r as the intent of a new attempt (generating AttemptID
// when empty) and returns the attempt id. The record is on disk (fsync)
// when it returns; only then may the request be sent.
func (a *Audit) Intent(r AuditRecord) (string, error) {
	r.Phase = PhaseIntent
	if r.AttemptID == "" {
		r.AttemptID = NewAttemptID()
	}
	if _, err := a.Append(r); err != nil {
		return "", err
	}
	return r.AttemptID, nil
}

// Outcome appends r as the outcome of attemptID. Fill the same account,
// operator, action and target as the intent, plus Outcome and the result.
func (a *Audit) Outcome(attemptID string, r AuditRecord) error {
	r.Phase = PhaseOutcome
	r.AttemptID = attemptID
	_, err := a.Append(r)
	return err
}

// validateRecord checks what Append and VerifyAudit both require.
func validateRecord(r *AuditRecord) error {
	switch {
	case r.Phase != PhaseIntent && r.Phase != PhaseOutcome:
		return fmt.Errorf("phase %q is not %q or %q", r.Phase, PhaseIntent, PhaseOutcome)
	case r.AttemptID == "":
		return errors.New("attempt_id is empty")
	case r.Action == "":
		return errors.New("action is empty")
	case r.Phase == PhaseIntent && r.Outcome != "":
		return errors.New("an intent has no outcome")
	case r.Phase == PhaseOutcome && r.Outcome != OutcomeSuccess && r.Outcome != OutcomeFailure && r.Outcome != OutcomeUnknown:
		return fmt.Errorf("outcome %q is not success, failure or unknown", r.Outcome)
	}
	return nil
}

// Append writes r as one line: it takes the file lock, reads the tail to
// set Seq and PrevHash, writes the line with a single write, fsyncs and
// updates the head file. It returns the record as written. Forbidden
// tokens are masked; strings longer than 4 KiB are cut (marked
// "…[truncated]").
func (a *Audit) Append(r AuditRecord) (AuditRecord, error) {
	if err := validateRecord(&r); err != nil {
		return r, fmt.Errorf("audit record refused: %w", err)
	}
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	r.Time = r.Time.UTC()

	a.mu.Lock()
	defer a.mu.Unlock()
	copyRecord(&r) // the caller's slices and states are never changed
	for _, p := range r.texts() {
		*p = a.guard.Redact(*p)
	}
	clipRecord(&r)
	err := withFileLock(a.path+".lock", func() error {
		f, err := openPrivate(a.path, os.O_RDWR|os.O_APPEND)
		if err != nil {
			return err
		}
		defer f.Close()
		t, err := readAuditTail(f)
		if err != nil {
			return fmt.Errorf("reading the end of %s: %w", a.path, err)
		}
		head, headErr := readHead(a.path + ".head")
		r.Seq, r.PrevHash = t.lastSeq+1, t.tailHash
		// No readable head beside a log with records: it was deleted or
		// overwritten, maybe with records from the end. Writing a new
		// head would make that truncated log look whole, so this record
		// says it.
		r.HeadLost = t.size > 0 && (headErr != nil || !head.ok)
		// The head knows what this program last wrote. If the file no
		// longer ends with it (trailing lines removed, last record
		// edited), chain onto the head so the gap stays visible.
		if headErr == nil && head.ok && (head.seq > t.lastSeq || head.seq == t.lastSeq && head.hash != t.lastRecHash) {
			r.Seq, r.PrevHash = head.seq+1, head.hash
		}
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if a.guard.Contains(line) {
			// Every text field was masked; a token can only be left
			// across fields. Keep the record, without its texts.
			line, err = redactedLine(r)
			if err != nil {
				return err
			}
		}
		buf := make([]byte, 0, len(line)+2)
		if t.torn {
			buf = append(buf, '\n') // end the interrupted line; verify reports it
		}
		buf = append(append(buf, line...), '\n')
		if _, err := f.Write(buf); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		if t.size == 0 {
			syncDir(filepath.Dir(a.path)) // a new file's directory entry must be durable too
		}
		if err := writeHead(a.path+".head", r.Seq, lineHash(line)); err != nil {
			return fmt.Errorf("record %d written, but updating %s.head failed: %w", r.Seq, a.path, err)
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("audit log %s: %w", a.path, err)
	}
	return r, nil
}

func lineHash(line []byte) string {
	s := sha256.Sum256(line)
	return hex.EncodeToString(s[:])
}

// auditTail is what Append needs from the end of the file.
type auditTail struct {
	size        int64
	torn        bool   // the file does not end with '\n'
	tailHash    string // hash of the last line, GenesisHash if none
	lastSeq     int64  // seq of the last parseable record, 0 if none
	lastRecHash string // hash of that record's line
}

// readAuditTail reads backwards from the end: normally only the last line.
// Past unparseable lines (an interrupted write) it keeps going until it
// finds a record.
func readAuditTail(f *os.File) (auditTail, error) {
	fi, err := f.Stat()
	if err != nil {
		return auditTail{}, err
	}
	t := auditTail{size: fi.Size(), tailHash: GenesisHash}
	if t.size == 0 {
		return t, nil
	}
	var last [1]byte
	if _, err := f.ReadAt(last[:], t.size-1); err != nil {
		return t, err
	}
	t.torn = last[0] != '\n'
	first := true
	err = reverseLines(f, t.size, func(l []byte) bool {
		h := lineHash(l)
		if first {
			t.tailHash, first = h, false
		}
		var r AuditRecord
		if json.Unmarshal(l, &r) == nil && r.Seq > 0 {
			t.lastSeq, t.lastRecHash = r.Seq, h
			return false
		}
		return true
	})
	return t, err
}

// The head file: one fixed-width line "<seq, 20 digits> <hash>\n", rewritten
// in place so a crash leaves either the old or the new content.
type headInfo struct {
	ok   bool
	seq  int64
	hash string
}

const headLen = 20 + 1 + 64 + 1

func readHead(path string) (headInfo, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return headInfo{}, nil
	}
	if err != nil {
		return headInfo{}, err
	}
	f := strings.Fields(string(b))
	if len(f) != 2 || len(f[1]) != 64 {
		return headInfo{}, fmt.Errorf("%s is corrupt", path)
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if _, herr := hex.DecodeString(f[1]); err != nil || herr != nil || seq < 1 {
		return headInfo{}, fmt.Errorf("%s is corrupt", path)
	}
	return headInfo{ok: true, seq: seq, hash: f[1]}, nil
}

func writeHead(path string, seq int64, hash string) error {
	f, err := openPrivate(path, os.O_RDWR)
	if err != nil {
		return err
	}
	defer f.Close()
	b := fmt.Appendf(nil, "%020d %s\n", seq, hash)
	if len(b) != headLen {
		return fmt.Errorf("internal error: head line is %d bytes", len(b))
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		return err
	}
	if err := f.Truncate(headLen); err != nil {
		return err
	}
	return f.Sync()
}

func clip(s string) string {
	if len(s) <= maxAuditField {
		return s
	}
	const mark = "…[truncated]"
	cut := maxAuditField - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

// copyRecord gives r its own CFErrors and user states, so masking and
// clipping never change the caller's.
func copyRecord(r *AuditRecord) {
	if len(r.CFErrors) > maxAuditCFErrors {
		r.CFErrors = r.CFErrors[:maxAuditCFErrors]
	}
	if r.CFErrors != nil {
		r.CFErrors = append([]CFError(nil), r.CFErrors...)
	}
	for _, st := range []**UserState{&r.Before, &r.After} {
		if *st != nil {
			c := **st
			*st = &c
		}
	}
	if r.Integrations != nil {
		c := *r.Integrations
		c.Active = append([]AuditIntegration(nil), c.Active...)
		r.Integrations = &c
	}
	r.Revoke = r.Revoke.copy()
}

// texts are the record's free-text fields (after copyRecord).
func (r *AuditRecord) texts() []*string {
	p := []*string{&r.AttemptID, &r.AccountID, &r.Operator.OSUser, &r.Operator.TokenID,
		&r.Action, &r.TargetUserID, &r.TargetEmail, &r.Method, &r.URL, &r.Body, &r.Reason, &r.ErrorMessage}
	for i := range r.CFErrors {
		p = append(p, &r.CFErrors[i].Message)
	}
	for _, st := range []*UserState{r.Before, r.After} {
		if st != nil {
			p = append(p, &st.RiskLevel, &st.LastReset)
		}
	}
	if in := r.Integrations; in != nil {
		p = append(p, &in.Unknown)
		for i := range in.Active {
			p = append(p, &in.Active[i].ID, &in.Active[i].Type, &in.Active[i].TenantURL)
		}
	}
	return p
}

func clipRecord(r *AuditRecord) {
	body := r.Body
	for _, p := range r.texts() {
		*p = clip(*p)
	}
	if r.Body != body {
		r.BodyTruncated = true
	}
}

// redactedLine is r without the texts a token could hide in (what was
// done, to whom and the outcome stay).
func redactedLine(r AuditRecord) ([]byte, error) {
	const gone = "[removed: it held the API token]"
	for _, p := range []*string{&r.TargetEmail, &r.URL, &r.Body, &r.Reason, &r.ErrorMessage} {
		if *p != "" {
			*p = gone
		}
	}
	for i := range r.CFErrors {
		r.CFErrors[i].Message = gone
	}
	return json.Marshal(r)
}
