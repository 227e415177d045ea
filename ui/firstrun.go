package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// firstRun is the setup screen shown when the session has no client:
// paste a token (masked), verify it, pick the account, store it in the
// keyring (or, only when the user confirms after a warning, in a 0600
// file), or start the demo. Every request and store write runs in a
// command on a detached session (see detached); results are applied in
// Update. The screen never writes the console's session: when it is done
// it hands the new connection to the root (loginMsg), which installs it
// whole in one place.
type firstRun struct {
	step    views.FirstRunStep
	token   textinput.Model
	account textinput.Model
	onAcct  bool // the account id field has the focus

	err  string // the last attempt's error, inline
	busy string
	// note says where a paste went when it was not where the focus
	// was; acctHint why a key typed in the account id field was refused.
	note, acctHint string

	// After verify: the token to store (never rendered), what verify
	// said, and the accounts to pick from. login is the flow's verified
	// token (actions.VerifyLogin), which the store step completes.
	tok      string
	verified *cloudflare.TokenStatus
	login    *actions.VerifiedToken
	accounts []cloudflare.Account
	cursor   int

	storeErr string             // the keyring's refusal, with its remedies
	demoBack views.FirstRunStep // where a demo that does not start returns
}

// firstRunKeys are the screen's own bindings (the global ones would
// fire on letters typed into the token field).
var firstRunKeys = struct {
	Token, Demo, Quit, Verify, NextField, Paste, Back, Cancel, Store, Retry, Insecure, Yes, No Binding
}{
	Token:     bind("paste a token", "t", "enter"),
	Demo:      bind("start the demo", "d"),
	Quit:      bind("quit", "q"),
	Verify:    bind("verify", "enter"),
	NextField: bind("next field", "tab", "shift+tab"),
	Paste:     bind("paste clipboard", "ctrl+v"),
	Back:      bind("back", "esc"),
	Cancel:    bind("cancel", "esc"),
	Store:     bind("store in the keyring", "enter"),
	Retry:     bind("retry the keyring", "r"),
	Insecure:  bind("store in a file", "i"),
	Yes:       bind("store in the file", "y"),
	No:        bind("go back", "n", "esc"),
}

func newFirstRun(s *actions.Session) *firstRun {
	f := &firstRun{step: views.FirstRunChoose}
	f.token = newSetupInput("")
	f.token.EchoMode = textinput.EchoPassword
	f.token.EchoCharacter = '•'
	f.token.CharLimit = 1024
	f.account = newSetupInput("32 hex characters")
	f.account.CharLimit = 64
	if s.AccountID != "" {
		// Configured without a token (profile or CLOUDFLARE_ACCOUNT_ID):
		// an account-owned token needs it to verify.
		f.account.SetValue(s.AccountID)
	}
	return f
}

func newSetupInput(placeholder string) textinput.Model { return steadyInput("› ", placeholder) }

// The first-run screen's asynchronous answers (routed by its slot: one
// that comes after a Back or a cancel is dropped by the root).
type (
	frVerifiedMsg struct {
		tok, acct string
		r         verifyResult
	}
	frStoredMsg struct {
		r        storeResult
		insecure bool
	}
	frDemoMsg struct {
		ds  *actions.Session
		err error
	}
	frClipboardMsg struct {
		text string
		err  error
	}
)

// loginMsg is the first-run screen's outcome: a connection for the root
// to install (setConn), and what to tell the analyst.
type loginMsg struct {
	sess   *actions.Session // the detached session the flow completed
	client *cloudflare.Client
	source store.Source
	demo   bool
	status string
}

func (f *firstRun) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if f.step == views.FirstRunToken {
			f.takePaste(msg.Content)
		}
		return nil, false
	case frClipboardMsg:
		if f.step != views.FirstRunToken {
			return nil, false
		}
		if msg.err != nil {
			f.err = "could not read the clipboard (" + msg.err.Error() + "); paste with the terminal instead"
			return nil, false
		}
		f.takePaste(msg.text)
		return nil, false
	case frVerifiedMsg:
		f.busy = ""
		f.applyVerify(msg.tok, msg.acct, msg.r)
		return nil, false
	case frStoredMsg:
		f.busy = ""
		return f.stored(ctx, msg.r, msg.insecure)
	case frDemoMsg:
		f.busy = ""
		if msg.err != nil {
			f.step, f.err = f.demoBack, "the demo did not start: "+errText(msg.err)
			return nil, false
		}
		f.forget()
		return pane.Emit(loginMsg{sess: msg.ds, client: msg.ds.Client, source: msg.ds.TokenSource, demo: true}), true
	case tea.KeyPressMsg:
		return f.key(ctx, msg)
	}
	return nil, false
}

func (f *firstRun) key(ctx *pane.Context, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	m := ctx
	k := firstRunKeys
	is := func(b Binding) bool { return matches(msg, b) }
	switch f.step {
	case views.FirstRunChoose:
		switch {
		case is(k.Token):
			f.step, f.err = views.FirstRunToken, ""
			f.focus(false)
		case is(k.Demo):
			return f.startDemo(m), false
		case is(k.Quit):
			return tea.Quit, false
		}

	case views.FirstRunToken:
		switch {
		case is(k.Back):
			f.token.Reset()
			f.step, f.err = views.FirstRunChoose, ""
		case is(k.NextField):
			f.focus(!f.onAcct)
		case is(k.Verify):
			return f.verify(m), false
		case is(k.Paste):
			return f.clipboardPaste(m), false
		default:
			f.edit(msg)
		}

	case views.FirstRunVerifying:
		if is(k.Cancel) {
			f.abort(m)
			f.step, f.err = views.FirstRunToken, "verification canceled"
		}

	case views.FirstRunAccount:
		switch {
		case matches(msg, m.Keys.Up):
			f.cursor = max(0, f.cursor-1)
		case matches(msg, m.Keys.Down):
			f.cursor = min(len(f.accounts)-1, f.cursor+1)
		case is(k.Store):
			return f.store(m, false), false
		case is(k.Back):
			f.forget()
			f.step, f.err = views.FirstRunToken, ""
			f.focus(false)
		}

	case views.FirstRunKeyringFailed:
		switch {
		case is(k.Retry):
			return f.store(m, false), false
		case is(k.Insecure):
			f.step, f.err = views.FirstRunConfirmInsecure, ""
		case is(k.Demo):
			return f.startDemo(m), false
		case is(k.Back):
			f.step, f.err = views.FirstRunAccount, ""
		}

	case views.FirstRunConfirmInsecure:
		switch {
		case is(k.Yes):
			return f.store(m, true), false
		case is(k.No):
			f.step = views.FirstRunKeyringFailed
		}
	}
	// Storing and starting the demo take no keys but ctrl+c (the root's).
	return nil, false
}

func matches(msg tea.KeyPressMsg, b Binding) bool {
	s := msg.String()
	for _, k := range b.Keys() {
		if s == k {
			return true
		}
	}
	return false
}

// focus moves the focus to the account field (true) or the token field.
func (f *firstRun) focus(acct bool) {
	f.onAcct, f.acctHint = acct, ""
	if acct {
		f.token.Blur()
		f.account.Focus()
	} else {
		f.account.Blur()
		f.token.Focus()
	}
}

func (f *firstRun) field() *textinput.Model {
	if f.onAcct {
		return &f.account
	}
	return &f.token
}

// acctHintText is why the account id field refused a key. It does not
// echo the key: the text being typed may be the token.
const acctHintText = "only hex digits (0-9, a-f) go here: that key was not taken"

// edit passes a key to the focused field. The account id field takes
// only hex digits, so a token typed there by mistake does not show in
// clear beyond its first non-hex character. The field's own clipboard
// binding is handled by clipboardPaste instead: its message would not
// find its way back here.
func (f *firstRun) edit(msg tea.KeyPressMsg) {
	f.err, f.note, f.acctHint = "", "", ""
	if f.onAcct && msg.Text != "" && !isHex(msg.Text) {
		f.acctHint = acctHintText
		return
	}
	in := f.field()
	*in, _ = in.Update(msg)
}

func isHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

// looksLikeAccountID: Cloudflare account ids are 32 hex characters.
func looksLikeAccountID(s string) bool { return len(s) == 32 && isHex(s) }

// takePaste puts pasted text in a field. What is pasted here is almost
// always the token, so anything that is not an account id goes to the
// masked Token field whichever field has the focus: pasted into the
// account id field it would be shown in clear.
func (f *firstRun) takePaste(s string) {
	// A pasted line break would only end up as spaces inside the token.
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	f.err, f.note, f.acctHint = "", "", ""
	if f.onAcct && looksLikeAccountID(s) {
		f.account.Reset()
		f.account.SetValue(s)
		return
	}
	if f.onAcct {
		f.focus(false)
		f.note = "That paste is not an account id (32 hex characters), so it went into the Token field, masked."
	}
	// A token is never pasted in pieces: a paste replaces what is there
	// (the masked field cannot be checked by eye).
	f.token.Reset()
	f.token.SetValue(s)
}

// readClipboard is the system clipboard; tests replace it.
var readClipboard = clipboard.ReadAll

// clipboardPaste reads the system clipboard off the Update loop.
func (f *firstRun) clipboardPaste(ctx *pane.Context) tea.Cmd {
	return ctx.Do(func(context.Context) tea.Msg {
		text, err := readClipboard() // I/O
		return frClipboardMsg{text, err}
	})
}

// abort drops the step in flight: a new slot generation cancels its
// request, and its answer, when it comes, is dropped.
func (f *firstRun) abort(ctx *pane.Context) {
	ctx.Restart()
	f.busy = ""
}

// forget drops the verified token and what came with it.
func (f *firstRun) forget() {
	f.tok, f.verified, f.login, f.accounts, f.cursor, f.storeErr = "", nil, nil, nil, 0, ""
}

// detached is a session for work off the Update loop: it carries what
// NewClient, StartDemo and SaveLogin read, copied now, so a command
// never touches the console's session while View reads it.
func detached(s *actions.Session) *actions.Session {
	return &actions.Session{
		Profile: s.Profile, BaseURL: s.BaseURL, LoginBaseURL: s.LoginBaseURL, Timeout: s.Timeout, Tune: s.Tune,
		Audit: s.Audit, Config: s.Config.Clone(), ConfigDir: s.ConfigDir,
		Keyring: s.Keyring, FileSecrets: s.FileSecrets, TokenSource: store.SourceNone, Guard: s.Guard,
	}
}

// verifyResult is what the verify command found.
type verifyResult struct {
	login *actions.VerifiedToken
	err   error
}

// verify checks the pasted token with the login flow `auth login` uses
// (actions.VerifyLogin): the endpoint its prefix names (user, then
// account for a token without one), then the accounts it can see.
func (f *firstRun) verify(m *pane.Context) tea.Cmd {
	tok := strings.TrimSpace(f.token.Value())
	acct := strings.TrimSpace(f.account.Value())
	if tok == "" {
		f.err = "paste the token first"
		f.focus(false)
		return nil
	}
	f.abort(m)
	f.step, f.err, f.busy = views.FirstRunVerifying, "", "Verifying the token…"
	ds := detached(m.Session)
	return m.Do(func(ctx context.Context) tea.Msg {
		var r verifyResult
		r.login, r.err = ds.VerifyLogin(ctx, tok, acct)
		return frVerifiedMsg{tok, acct, r}
	})
}

// applyVerify applies a verify result: back to the token field with the
// reason, or on to the account choice.
func (f *firstRun) applyVerify(tok, acct string, r verifyResult) {
	f.step = views.FirstRunToken
	if r.err != nil {
		f.verifyFailed(tok, acct, r.err)
		return
	}
	ch, err := r.login.Choices(acct)
	var le *actions.AccountListError
	switch {
	case errors.As(err, &le):
		f.err = "the token verified, but listing its accounts failed: " + errText(le.Err) + " Enter the account id."
		f.focus(true)
		return
	case errors.Is(err, actions.ErrNoAccounts):
		f.err = "the token verified but sees no accounts: enter the account id"
		f.focus(true)
		return
	case err != nil:
		f.err = errText(err)
		return
	}
	st := r.login.Status
	f.tok, f.verified, f.login, f.accounts, f.cursor = tok, &st, r.login, ch.Accounts, ch.Selected
	f.step, f.err = views.FirstRunAccount, ""
	// The field is not needed any more; the token lives in f.tok until
	// it is stored or dropped.
	f.token.Reset()
}

// verifyFailed says why the token did not verify.
func (f *firstRun) verifyFailed(tok, acct string, err error) {
	var ce *cloudflare.Error
	var inactive *actions.InactiveTokenError
	authErr := errors.As(err, &ce) && (ce.Kind == cloudflare.KindAuth || ce.Kind == cloudflare.KindPermission)
	switch {
	case errors.As(err, &inactive):
		f.err = fmt.Sprintf("the token is %s (expires %s), not active: nothing was stored; create or roll a token and paste it",
			views.Sanitize(inactive.Status), orNever(inactive.ExpiresOn))
		f.token.Reset()
		f.focus(false)
	case ce != nil && ce.Kind == cloudflare.KindInput && ce.Op == cloudflare.OpVerifyToken:
		// An account API token (cfat_) and no account id: nothing sent.
		f.err = "This is an account API token (cfat_…): it verifies under its account — enter the account id here and press enter."
		f.focus(true)
	case authErr && acct == "" && cloudflare.TokenKind(tok) == "user":
		f.err = "Cloudflare rejected this user API token (invalid, expired or revoked): paste another." + apiSaid(ce)
		f.focus(false)
	case authErr && acct == "":
		// Only the user endpoint could be asked; the token may be an
		// account-owned one. The focus stays on the token field: the
		// next thing pasted is most likely another token, and the
		// account id field shows what it holds.
		f.err = "Cloudflare rejected this token (invalid, expired or revoked): paste another, " +
			"or press tab to give its account id if it is an account-owned token." + apiSaid(ce)
		f.focus(false)
	case authErr:
		// Both endpoints refused: the token or the account id is
		// wrong. Both stay for the user to fix (a paste replaces the
		// token).
		f.err = "Cloudflare rejected this token, also for account " + acct +
			" (invalid, expired or revoked, or not that account's): paste another token, or check the account id." + apiSaid(ce)
	default:
		f.err = "the token did not verify: " + errText(err)
	}
}

// apiSaid is what Cloudflare itself said about a refused token, without
// the client's generic advice (cloudflare.AuthMessage names the
// environment variable and `auth login`, which do not apply to a paste).
func apiSaid(ce *cloudflare.Error) string {
	var parts []string
	for i, e := range ce.Errors {
		if i == 3 {
			break
		}
		switch {
		case e.Message != "" && e.Code != 0:
			parts = append(parts, fmt.Sprintf("%q (code %d)", e.Message, e.Code))
		case e.Message != "":
			parts = append(parts, fmt.Sprintf("%q", e.Message))
		case e.Code != 0:
			parts = append(parts, fmt.Sprintf("code %d", e.Code))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " Cloudflare said: " + strings.Join(parts, "; ") + "."
}

func orNever(s string) string {
	if s == "" {
		return "never"
	}
	return views.Sanitize(s)
}

// storeResult is what the store command did.
type storeResult struct {
	err    error
	client *cloudflare.Client
	sess   *actions.Session // the detached session the login updated
}

// store saves the verified token for the chosen account with the login
// flow (actions.CompleteLogin): the keyring, or the file when insecure
// (only after the user confirmed the warning), and the profile — with
// --base-url when one was given, as `auth login` does.
func (f *firstRun) store(m *pane.Context, insecure bool) tea.Cmd {
	if f.tok == "" || f.login == nil || f.cursor < 0 || f.cursor >= len(f.accounts) {
		return nil
	}
	f.abort(m)
	acct, login := f.accounts[f.cursor], f.login
	f.step, f.err = views.FirstRunStoring, ""
	f.busy = "Storing the token in the OS keyring…"
	if insecure {
		f.busy = "Storing the token in " + insecurePath(m.Session) + "…"
	}
	ds := detached(m.Session)
	return m.Do(func(context.Context) tea.Msg {
		var r storeResult
		r.client, r.err = ds.CompleteLogin(login, acct, insecure)
		r.sess = ds
		return frStoredMsg{r, insecure}
	})
}

func (f *firstRun) stored(ctx *pane.Context, r storeResult, insecure bool) (tea.Cmd, bool) {
	var ku *store.KeyringUnavailableError
	switch {
	case r.err != nil && !insecure && errors.As(r.err, &ku):
		f.step, f.storeErr = views.FirstRunKeyringFailed, errText(r.err)
		return nil, false
	case r.err != nil:
		f.step, f.err = views.FirstRunAccount, "storing the token failed: "+errText(r.err)
		return nil, false
	}
	src, where := store.SourceKeyring, "the OS keyring"
	if insecure {
		src, where = store.SourceFile, insecurePath(ctx.Session)
	}
	status := fmt.Sprintf("token %s stored in %s for profile %s", store.MaskToken(f.tok), where, r.sess.Profile)
	f.forget()
	return pane.Emit(loginMsg{sess: r.sess, client: r.client, source: src, status: status}), true
}

func insecurePath(s *actions.Session) string {
	return filepath.Join(store.CredentialsDir(s.ConfigDir), s.Profile)
}

// startDemo switches the console to the built-in simulator.
func (f *firstRun) startDemo(m *pane.Context) tea.Cmd {
	f.abort(m)
	f.demoBack = f.step
	f.step, f.err, f.busy = views.FirstRunDemo, "", "Starting the demo…"
	ds := detached(m.Session)
	return m.Do(func(context.Context) tea.Msg {
		err := ds.StartDemo() // listens on loopback: I/O
		return frDemoMsg{ds, err}
	})
}

func (f *firstRun) View(ctx *pane.Context) string {
	w, h := ctx.Width, ctx.Height
	sess := ctx.Session
	v := views.FirstRun{
		Step:         f.step,
		Profile:      sess.Profile,
		Err:          f.err,
		Note:         f.note,
		AccountHint:  f.acctHint,
		Busy:         f.busy,
		Accounts:     f.accounts,
		Cursor:       f.cursor,
		AccountFocus: f.onAcct,
		StoreErr:     f.storeErr,
		InsecurePath: insecurePath(sess),
		Warning:      store.InsecureStorageWarning,
	}
	if sess.CredentialErr != nil {
		v.Problem = sess.CredentialErr.Error()
		var ku *store.KeyringUnavailableError
		v.KeyringUnavailable = errors.As(sess.CredentialErr, &ku)
	}
	fieldW := max(8, min(w-2, views.FirstRunWidth)-4-12-3)
	tok, acct := f.token, f.account // copies: render changes nothing
	tok.SetWidth(fieldW)
	acct.SetWidth(fieldW)
	v.TokenInput, v.AccountInput = tok.View(), acct.View()
	v.TokenHint = tokenHint(f.token.Value())
	if f.verified != nil {
		v.Token = &views.FirstRunVerified{ID: f.verified.ID, Kind: f.verified.Kind, Status: f.verified.Status,
			ExpiresOn: f.verified.ExpiresOn, Masked: store.MaskToken(f.tok)}
	}
	// The whole area between the header and the footer (whose hints
	// are this screen's keys): the welcome text behind names keys that
	// do nothing here.
	return views.RenderFirstRunScreen(v, w, max(h-2, 0), ctx.Theme)
}

// tokenHint describes the pasted token without revealing it: its length
// and at most the last four characters.
func tokenHint(tok string) string {
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return ""
	}
	n := utf8.RuneCountInString(tok)
	h := fmt.Sprintf("%d characters", n)
	if m := store.MaskToken(tok); m != "…" {
		h += ", ends " + m
	}
	return h
}

func (f *firstRun) Bindings(ctx *pane.Context) []Binding {
	k := firstRunKeys
	quit := ctx.Keys.ForceQuit
	switch f.step {
	case views.FirstRunChoose:
		return []Binding{k.Token, k.Demo, k.Quit, quit}
	case views.FirstRunToken:
		return []Binding{k.Verify, k.NextField, k.Paste, k.Back, quit}
	case views.FirstRunVerifying:
		return []Binding{k.Cancel, quit}
	case views.FirstRunAccount:
		return []Binding{ctx.Keys.Up, ctx.Keys.Down, k.Store, k.Back, quit}
	case views.FirstRunKeyringFailed:
		return []Binding{k.Retry, k.Insecure, k.Demo, k.Back, quit}
	case views.FirstRunConfirmInsecure:
		return []Binding{k.Yes, k.No, quit}
	}
	return []Binding{quit}
}
