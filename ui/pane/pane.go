// Package pane is the contract between the console's root model and its
// components (investigation panes, tools, dialogs). A component gets a
// Context — theme, keys, size, a read-only view of the connection — and
// returns commands and typed messages; it never sees the root model.
//
// Asynchronous work runs through Context.Go, which tags its result with
// the component's id and generation (its Slot). The root routes every
// Result in one place and drops those whose generation has passed: one
// stale-result rule for every pane, tool and dialog.
package pane

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

// Conn is the connection as components may see it: read-only. The root
// replaces it whole (ConnMsg) when the analyst logs in or starts the
// demo; nothing patches it field by field.
type Conn struct {
	Client         *cloudflare.Client // nil before login
	Profile        string
	AccountID      string
	AccountName    string
	Demo           bool
	ReadOnly       bool
	ReadOnlyReason string
	Suggestions    []string
}

// ReadOnlyWhy is the reason shown on disabled writes in read-only mode.
func (c Conn) ReadOnlyWhy() string {
	if c.ReadOnlyReason != "" {
		return "read-only mode: " + c.ReadOnlyReason
	}
	return "read-only mode"
}

// Context is what a component is given on every call.
type Context struct {
	Theme         views.Theme
	Keys          *KeyMap
	Width, Height int // the component's area
	ListHeight    int // rows a list may show (paging keys move by it)
	Focused       bool
	Conn          Conn
	// Session holds what never changes while the console runs (audit
	// writer, directories, keyring); writes go through actions with it.
	Session *actions.Session
	Now     func() time.Time
	// Busy reports requests in flight for this component.
	Busy bool
	// Verdicts are the intel verdicts known this session, by
	// VerdictKey: what lists show beside the IPs and domains they name
	// (ask for more with WantVerdictsMsg). Read-only.
	Verdicts map[string]string
	// TrailsOf lists the earlier trails of drill-downs this session,
	// newest first, each as its breadcrumb (bring one back with
	// OpenTrailMsg). A function: only the History pane asks, and building
	// them on every call of every component would cost each frame.
	TrailsOf func() []string
	// Fresh is set by the root for a reload (ctrl+r): the requests Go
	// starts during that call bypass the cache (cloudflare.WithFresh).
	Fresh bool

	slot *Slot
}

// WithSlot returns c bound to a component's slot (the root does this
// before every call).
func (c Context) WithSlot(s *Slot) *Context {
	c.slot = s
	if s != nil {
		c.Busy = s.Pending > 0
	}
	return &c
}

// Slot is a component's routing identity: its id, its generation, the
// context its requests run under, and how many are in flight. The root
// creates it and routes by it; a component reaches it only through its
// Context.
type Slot struct {
	ID      int
	Gen     int
	Pending int
	ctx     context.Context
	cancel  context.CancelFunc
}

// NewSlot makes a slot with a live context.
func NewSlot(id int) *Slot {
	s := &Slot{ID: id}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// Restart cancels what is in flight and starts a new generation: results
// of the old one are dropped when they arrive.
func (s *Slot) Restart() {
	s.Cancel()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.Gen++
	s.Pending = 0
}

// Cancel cancels the requests in flight (their results still arrive, as
// errors, and are delivered: the component decides what a canceled part
// shows). Use Restart to drop them instead.
func (s *Slot) Cancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

// Revive gives a slot whose context was canceled a live one, keeping its
// generation (a page brought back by a tab key).
func (s *Slot) Revive() {
	if s.ctx == nil || s.ctx.Err() != nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
}

// Result is an asynchronous answer addressed to a component: the root
// delivers Msg to the component with slot ID when Gen is still current.
type Result struct {
	ID, Gen int
	Quota   cloudflare.Quota
	Msg     tea.Msg
}

// Go runs work off the Update loop under the component's context and
// client, and routes its message back to the component. Work must only
// do I/O and return data: applying it happens in the component's Update.
func (c *Context) Go(work func(ctx context.Context, cl *cloudflare.Client) tea.Msg) tea.Cmd {
	s := c.slot
	s.Pending++
	ctx, cl, id, gen := s.ctx, c.Conn.Client, s.ID, s.Gen
	if c.Fresh {
		ctx = cloudflare.WithFresh(ctx)
	}
	return func() tea.Msg {
		msg := work(ctx, cl)
		r := Result{ID: id, Gen: gen, Msg: msg}
		if cl != nil {
			r.Quota = cl.Quota()
		}
		return r
	}
}

// Do runs work that needs no client (files: the audit log, the request
// history) and routes its message back like Go.
func (c *Context) Do(work func(ctx context.Context) tea.Msg) tea.Cmd {
	return c.Go(func(ctx context.Context, _ *cloudflare.Client) tea.Msg { return work(ctx) })
}

// ID is the component's slot id (what a dialog names as its opener).
func (c *Context) ID() int {
	if c.slot == nil {
		return 0
	}
	return c.slot.ID
}

// Component is what the root routes to. Update receives the keys no
// binding took, pastes, and the component's own results; Bindings are
// its keys as data.
type Component interface {
	Update(ctx *Context, msg tea.Msg) tea.Cmd
	View(ctx *Context) string
	Bindings(ctx *Context) []Binding
	// Capturing reports that the component is taking typed text: the
	// global single-letter keys must not fire.
	Capturing() bool
}

// Page is an investigation pane of the drill-down stack.
type Page interface {
	Component
	// Kind names the pane's tab ("IP", "Domain", "User", "ASN").
	Kind() Kind
	// Start (re)starts the page's requests (the root restarted its slot).
	Start(ctx *Context) tea.Cmd
	// Crumb is the breadcrumb label, e.g. "ip 203.0.113.7".
	Crumb() string
	// Escape undoes something of the page's own (a filter) before Esc
	// means Back; it reports whether it did.
	Escape(ctx *Context) bool
	// StopLoading marks what is still loading as canceled; it reports
	// whether the page has its main result and so stays on screen.
	StopLoading() bool
	// Failed reports that the main result is an error: a page brought
	// back by a tab key is looked up again rather than show an old one.
	Failed() bool
	// Resize keeps cursors inside the data after a size change.
	Resize(ctx *Context)
}

// Kind is an investigation pane kind.
type Kind int

// The investigation pane kinds, in tab order.
const (
	KindIP Kind = iota
	KindDomain
	KindUser
	KindASN
)

// Tool is a pane outside the drill-down stack (Request, Audit): it owns
// the body area while its tab is active, the search and breadcrumb rows
// included.
type Tool interface {
	Component
	Title() string
	// Activate is called when the tab is switched to.
	Activate(ctx *Context) tea.Cmd
	// Resize relayouts after a size or theme change.
	Resize(ctx *Context)
	// Shutdown cancels what may be canceled when the console quits.
	Shutdown()
}

// Dialog is an overlay that takes every key while it is open. Update
// reports whether the dialog is done (it is then closed at once, before
// the next key: a second Enter cannot reach it).
type Dialog interface {
	Update(ctx *Context, msg tea.Msg) (cmd tea.Cmd, done bool)
	View(ctx *Context) string
	Bindings(ctx *Context) []Binding
}

// Starter is a dialog that loads something when it opens (a review's
// fresh read): the root calls Start once, with the dialog's own slot, as
// soon as it is pushed.
type Starter interface {
	Start(ctx *Context) tea.Cmd
}

// How the root routes a key (the contract components rely on):
//  1. ctrl+c quits, always.
//  2. An open dialog takes every key (Dialog.Update).
//  3. The focused component's Bindings are matched first: a binding with
//     Why set shows "<desc>: <why>" instead of acting; one with Do runs
//     Do; one with neither is help only and falls through.
//  4. A component that is Capturing gets every other key in Update.
//  5. Otherwise the global bindings (q, ?, /, esc/backspace Back, tabs
//     1-9, ctrl+r, c pin) act; a key none of them takes goes to Update.

// Restart starts a new generation of the component's slot: answers
// still on their way are dropped when they arrive.
func (c *Context) Restart() {
	if c.slot != nil {
		c.slot.Restart()
		c.Busy = false
	}
}

// Context is the context the slot's requests run under.
func (s *Slot) Context() context.Context { return s.ctx }

// Cancel cancels the component's requests in flight but keeps its
// generation: their answers (errors, or a long run's last word) still
// arrive. Restart drops them instead.
func (c *Context) Cancel() {
	if c.slot != nil {
		c.slot.Cancel()
	}
}

// VerdictKey is the key of an indicator's verdict ("ip 192.0.2.1").
func VerdictKey(kind, value string) string { return kind + " " + value }

// Verdict is the known verdict of an indicator ("risky", "clean",
// "unknown", "error"), "" when not known yet.
func (c *Context) Verdict(kind, value string) string {
	if c == nil || c.Verdicts == nil {
		return ""
	}
	return c.Verdicts[VerdictKey(kind, value)]
}

// Trails are the earlier trails of drill-downs (see TrailsOf).
func (c *Context) Trails() []string {
	if c == nil || c.TrailsOf == nil {
		return nil
	}
	return c.TrailsOf()
}
