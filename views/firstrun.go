package views

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"cftriage/cloudflare"
)

// FirstRunStep is where the console's first-run setup stands.
type FirstRunStep int

const (
	FirstRunChoose          FirstRunStep = iota // explain; paste a token or start the demo
	FirstRunToken                               // the masked token field (and the optional account id)
	FirstRunVerifying                           // token verify and account list in flight
	FirstRunAccount                             // pick the account
	FirstRunStoring                             // the keyring (or file) write in flight
	FirstRunKeyringFailed                       // the keyring refused: remedies, --insecure-storage offered
	FirstRunConfirmInsecure                     // the insecure-storage warning, to confirm
	FirstRunDemo                                // the demo is starting
)

// FirstRunVerified is what token verify said; never the token itself.
type FirstRunVerified struct {
	ID, Kind, Status, ExpiresOn string
	Masked                      string // "…abcd" at most
}

// FirstRun is the first-run screen's state as the ui hands it over. The
// token never reaches this package: TokenInput is the input field as
// already rendered with its echo mask, TokenHint a length and "…last4".
type FirstRun struct {
	Step    FirstRunStep
	Profile string
	// Problem says why no stored credential could be used (for example
	// the keyring is unavailable; the message names the remedies).
	Problem string
	// KeyringUnavailable: Problem is the keyring not answering, so a
	// token may well be stored; the screen must not say none is
	// configured.
	KeyringUnavailable bool

	TokenInput   string // rendered, masked
	TokenHint    string // e.g. "40 characters, ends …abcd"
	AccountInput string // rendered account id field
	AccountFocus bool   // the account id field has the focus
	AccountHint  string // why a key typed in the account id field was refused

	Err  string // why the last attempt failed, shown inline
	Note string // what happened that the user may not expect (where a paste went)
	Busy string // what is running

	Token    *FirstRunVerified // set once verified
	Accounts []cloudflare.Account
	Cursor   int

	StoreErr     string // the keyring's error, with its remedies
	InsecurePath string // where --insecure-storage would put the token
	Warning      string // the insecure-storage warning to confirm
}

// FirstRunWidth is the widest the first-run box gets.
const FirstRunWidth = 86

// RenderFirstRun renders the first-run dialog as a box of at most
// width×height (to be laid over the screen with Overlay).
func RenderFirstRun(f FirstRun, width, height int, th Theme) string {
	bw := min(width-2, FirstRunWidth)
	inner := bw - 4
	if inner < 10 || height < 5 {
		return block([]string{fit("cftriage: setup needs a larger window", max(width, 0))}, max(width, 0), max(height, 0))
	}
	para := func(st func(string) string, s string) []string {
		var out []string
		for _, p := range strings.Split(SanitizeMultiline(s), "\n") {
			for _, l := range frWrapWords(p, inner) {
				out = append(out, st(l))
			}
		}
		return out
	}
	plain := func(s string) string { return s }
	muted := func(s string) string { return paint(th.Muted, s) }
	errSt := func(s string) string { return paint(th.Error, s) }
	warn := func(s string) string { return paint(th.Warn, s) }
	choice := func(keys, desc string) string {
		return "  " + paint(th.Key, fit(keys, 9)) + " " + paint(th.Desc, desc)
	}
	choices := func(cs ...[2]string) []string {
		var out []string
		for _, c := range cs {
			// Long descriptions wrap under themselves, not under the key.
			ls := frWrapWords(c[1], max(inner-12, 10))
			out = append(out, choice(c[0], ls[0]))
			for _, l := range ls[1:] {
				out = append(out, strings.Repeat(" ", 12)+paint(th.Desc, l))
			}
		}
		return out
	}
	verified := func() []string {
		if f.Token == nil {
			return nil
		}
		t := f.Token
		s := "✓ Token " + frOrDash(Sanitize(t.Masked)) + " verified: "
		if k := Sanitize(t.Kind); k != "" {
			s += k + " token, "
		}
		s += frOrDash(Sanitize(t.Status)) + ", expires " + frExpires(t.ExpiresOn)
		out := para(func(l string) string { return paint(th.OK, l) }, s)
		return append(out, para(muted, "  token id "+frOrDash(Sanitize(t.ID)))...)
	}
	var lines []string
	add := func(ls ...string) { lines = append(lines, ls...) }
	addErr := func() {
		if f.Err != "" {
			add("")
			add(para(errSt, "✗ "+f.Err)...)
		}
	}
	title := "Set up cftriage"
	if p := Sanitize(f.Profile); p != "" {
		title += " — profile " + p
	}

	switch f.Step {
	case FirstRunChoose, FirstRunDemo:
		paste := "paste an API token: it is verified, then kept in the OS keyring"
		perms := "The token needs Intel Read, Access: Audit Logs Read and Zero Trust: PII Read; resets also need Zero Trust Write."
		if f.KeyringUnavailable {
			// A token may be stored: the keyring did not answer. The
			// reason and its remedies (in Problem) come first.
			add(para(warn, "The API token stored for this profile could not be read: the OS keyring cannot be reached.")...)
			paste = "paste an API token: it is verified, then stored in the OS keyring once it answers, or, if you confirm, in a 0600 file"
		} else {
			add(para(plain, "No Cloudflare API token is configured for this profile, so there is nothing to look up with yet.")...)
			perms += " Or quit and set CLOUDFLARE_API_TOKEN, or run `cftriage auth login`."
		}
		var tail []string
		tail = append(tail, "")
		tail = append(tail, choices(
			[2]string{"t, enter", paste},
			[2]string{"d", "start the demo: the built-in simulator, no token needed"},
			[2]string{"q", "quit"},
		)...)
		tail = append(tail, "")
		tail = append(tail, para(muted, perms)...)
		if f.Step == FirstRunDemo {
			tail = append(tail, "", paint(th.Accent, frOrDash(Sanitize(f.Busy))))
		}
		if f.Err != "" {
			tail = append(tail, "")
			tail = append(tail, para(errSt, "✗ "+f.Err)...)
		}
		if f.Problem != "" {
			add("")
			if !f.KeyringUnavailable {
				add(para(warn, "The stored credentials could not be used:")...)
			}
			// The choices matter more than the whole message when the
			// window is short.
			add(frSqueeze(para(plain, f.Problem), height-2-len(lines)-len(tail), th)...)
		}
		add(tail...)

	case FirstRunToken, FirstRunVerifying:
		add(para(plain, "Paste the API token. It is never shown: only its length and last four characters.")...)
		add("")
		label := func(s string, focus bool) string {
			if focus && f.Step == FirstRunToken {
				return paint(th.Key, fit(s, 12))
			}
			return paint(th.Label, fit(s, 12))
		}
		add(label("Token", !f.AccountFocus) + clip(f.TokenInput, inner-12))
		if f.TokenHint != "" {
			add(strings.Repeat(" ", 12) + paint(th.Muted, clip(Sanitize(f.TokenHint), inner-12)))
		}
		add(label("Account id", f.AccountFocus) + clip(f.AccountInput, inner-12))
		if f.AccountHint != "" {
			add(strings.Repeat(" ", 12) + paint(th.Warn, clip(Sanitize(f.AccountHint), inner-12)))
		} else {
			add(strings.Repeat(" ", 12) + paint(th.Muted, clip("only needed for account-owned tokens", inner-12)))
		}
		if f.Step == FirstRunVerifying {
			add("", paint(th.Accent, frOrDash(Sanitize(f.Busy))))
		}
		if f.Note != "" {
			add("")
			add(para(warn, f.Note)...)
		}
		addErr()

	case FirstRunAccount, FirstRunStoring:
		add(verified()...)
		add("")
		add(para(plain, "Pick the account to investigate in:")...)
		var tail []string
		if f.Step == FirstRunStoring {
			tail = append(tail, "", paint(th.Accent, frOrDash(Sanitize(f.Busy))))
		}
		if f.Err != "" {
			tail = append(tail, "")
			tail = append(tail, para(errSt, "✗ "+f.Err)...)
		}
		rows := max(1, height-2-len(lines)-len(tail))
		add(frAccountRows(f.Accounts, f.Cursor, rows, inner, th)...)
		add(tail...)

	case FirstRunKeyringFailed:
		add(verified()...)
		add("")
		add(para(errSt, "✗ The token could not be stored in the OS keyring.")...)
		tail := []string{""}
		tail = append(tail, choices(
			[2]string{"r", "try the keyring again (after starting or unlocking it)"},
			[2]string{"i", "store the token in a plain file instead (--insecure-storage); you confirm after a warning"},
			[2]string{"d", "start the demo instead"},
			[2]string{"esc", "back to the accounts"},
		)...)
		if f.Err != "" {
			tail = append(tail, "")
			tail = append(tail, para(errSt, "✗ "+f.Err)...)
		}
		add(frSqueeze(para(plain, f.StoreErr), height-2-len(lines)-len(tail), th)...)
		add(tail...)

	case FirstRunConfirmInsecure:
		add(para(warn, f.Warning)...)
		add("")
		add(para(plain, "The token would be written to "+f.InsecurePath+".")...)
		add("")
		add(choices(
			[2]string{"y", "yes, store it in that file"},
			[2]string{"n, esc", "no, go back"},
		)...)
		addErr()
	}
	// One width for every step, so the box does not jump as it changes.
	for i, l := range lines {
		lines[i] = fit(l, inner)
	}
	return box(title, lines, bw, min(height, len(lines)+2), th)
}

// RenderFirstRunScreen is the first-run dialog on a blank width×height
// area, the box centred: laid over the body with Overlay it hides what
// is behind (the welcome text's keys do not work during setup).
func RenderFirstRunScreen(f FirstRun, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	return Overlay(block(nil, width, height), RenderFirstRun(f, width, height, th), width, height)
}

// frSqueeze keeps at most n lines (at least one), the last one saying
// that the rest was cut.
func frSqueeze(lines []string, n int, th Theme) []string {
	n = max(n, 1)
	if len(lines) <= n {
		return lines
	}
	return append(lines[:n-1:n-1], paint(th.Muted, ellipsis+" (widen the window for the rest)"))
}

// frAccountRows lists the accounts with the cursor, scrolled to keep it
// in view within rows lines.
func frAccountRows(accts []cloudflare.Account, cursor, rows, inner int, th Theme) []string {
	if len(accts) == 0 {
		return []string{paint(th.Muted, "  (no accounts)")}
	}
	cursor = clamp(cursor, 0, len(accts)-1)
	name := func(a cloudflare.Account) string {
		if n := Sanitize(a.Name); n != "" {
			return n
		}
		return "(unnamed)"
	}
	nameW := 0
	for _, a := range accts {
		nameW = max(nameW, width(name(a)))
	}
	nameW = min(nameW, max(inner-2-2-32, 8))
	off := ScrollOffset(cursor, 0, rows, len(accts))
	var out []string
	for i := off; i < min(len(accts), off+rows); i++ {
		a := accts[i]
		name := name(a)
		row := fit(name, nameW) + "  " + Sanitize(a.ID)
		if i == cursor {
			out = append(out, paint(th.Selected, fit("▸ "+row, inner)))
		} else {
			out = append(out, "  "+paint(th.Value, fit(name, nameW))+"  "+paint(th.Muted, Sanitize(a.ID)))
		}
	}
	return out
}

func frOrDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func frExpires(s string) string {
	if s = Sanitize(s); s == "" {
		return "never"
	}
	return s
}

// frWrapWords wraps plain text at spaces only, so flags and names with
// hyphens ("--insecure-storage") stay whole; a word longer than w is cut.
func frWrapWords(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := ansi.StringWidth(word)
		for ww > w {
			if lw > 0 {
				out = append(out, line)
				line, lw = "", 0
			}
			head := ansi.Cut(word, 0, w)
			out = append(out, head)
			word = ansi.Cut(word, w, ww)
			ww = ansi.StringWidth(word)
		}
		switch {
		case lw == 0:
			line, lw = word, ww
		case lw+1+ww <= w:
			line, lw = line+" "+word, lw+1+ww
		default:
			out = append(out, line)
			line, lw = word, ww
		}
	}
	if lw > 0 || len(out) == 0 {
		out = append(out, line)
	}
	return out
}
