package cli

// The user side of the headless commands: `users` (the risky-users
// queue), `user <email> --context` (the identity side of a user) and the
// blast radius `reset` shows before it asks or sends.

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
)

// identityOpts are the flags of users and user --context.
type identityOpts struct {
	level   string
	csv     bool
	context bool
}

func usersFlags(fs *flag.FlagSet, o *opts) {
	fs.StringVar(&o.id.level, "level", "", "only users at `LEVEL` or above: low, medium or high")
	fs.BoolVar(&o.id.csv, "csv", false, "print CSV with a header row")
}

// withContextFlag adds --context to the user command's flags.
func withContextFlag(base func(*flag.FlagSet, *opts)) func(*flag.FlagSet, *opts) {
	return func(fs *flag.FlagSet, o *opts) {
		base(fs, o)
		fs.BoolVar(&o.id.context, "context", false, "also the identity side: last seen identity, sessions, failed logins, latest Access requests, devices")
	}
}

// contextAccessRequests is how many Access requests --context shows.
const contextAccessRequests = actions.DefaultAccessRequests

// riskyUserJSON is one user of `users --json`.
type riskyUserJSON struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	UserID       string `json:"userId"`
	MaxRiskLevel string `json:"maxRiskLevel"`
	EventCount   int    `json:"eventCount"`
	LastEvent    string `json:"lastEvent"`
}

type usersJSON struct {
	exchangeJSON
	Users []riskyUserJSON `json:"users"`
}

func runUsers(ctx context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage users [--level low|medium|high] [--json|--csv]")
	}
	if e.g.json && e.o.id.csv {
		return usageErr("--json and --csv cannot be combined; pick one")
	}
	level, err := actions.ParseLevel(e.o.id.level)
	if err != nil {
		return usageErr("--level %s: must be low, medium or high", clean(e.o.id.level))
	}
	sess, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer sess.close()
	res, err := actions.RiskyUsers(ctx, sess.Client, level)
	if err != nil {
		return err // with --json, run prints it with its exchange
	}
	switch {
	case e.g.json:
		out := usersJSON{exchangeJSON: exchangeFields(res.Exchange), Users: make([]riskyUserJSON, 0, len(res.Users))}
		for _, u := range res.Users {
			out.Users = append(out.Users, riskyUserJSON{u.Email, u.Name, u.UserID, u.MaxRiskLevel, u.EventCount, u.LastEvent})
		}
		return writeJSON(e.stdout, out)
	case e.o.id.csv:
		return writeUsersCSV(e.stdout, res.Users)
	}
	printUsers(e.stdout, res, level)
	return nil
}

func printUsers(w io.Writer, res actions.RiskyUsersResult, level string) {
	if len(res.Users) == 0 {
		if level != "" && res.Total > 0 {
			fmt.Fprintf(w, "no risky users at %s or above (%d in the summary)\n", level, res.Total)
		} else {
			fmt.Fprintln(w, "no risky users")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LEVEL\tEVENTS\tLAST EVENT\tNAME\tEMAIL")
	for _, u := range res.Users {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", actions.LevelWord(clean(u.MaxRiskLevel)), u.EventCount, actions.Stamp(u.LastEvent), orNone(clean(u.Name)), clean(u.Email))
	}
	tw.Flush()
	if level != "" {
		fmt.Fprintf(w, "%d of %d users (at %s or above)\n", len(res.Users), res.Total, level)
	} else {
		fmt.Fprintf(w, "%d users\n", len(res.Users))
	}
}

// writeUsersCSV writes a header row and one row per user. Cells are
// sanitized like human output, and a cell a spreadsheet would take for a
// formula (starting with = + - @, tab or CR) gets a leading ' — the API's
// text is untrusted.
func writeUsersCSV(w io.Writer, users []cloudflare.RiskyUser) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"email", "name", "userId", "maxRiskLevel", "eventCount", "lastEvent"}}
	for _, u := range users {
		rows = append(rows, []string{csvCell(u.Email), csvCell(u.Name), csvCell(u.UserID), csvCell(u.MaxRiskLevel),
			strconv.Itoa(u.EventCount), csvCell(u.LastEvent)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func csvCell(s string) string {
	s = clean(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// runUserCommand is `user`: as before without --context (the same output
// and the same two requests), with it the identity side too.
func runUserCommand(ctx context.Context, e *env) error {
	if !e.o.id.context {
		return runUser(ctx, e)
	}
	email, sess, err := lookupArg(ctx, e, "cftriage user <email> [--user-id ID] [--context]", indicator.NormalizeEmail)
	if err != nil {
		return err
	}
	defer sess.close()
	res, err := e.lookupUser(ctx, sess.Client, email)
	if err != nil {
		return err
	}
	uc := actions.LoadUserContext(ctx, sess.Client, res.User.ID, res.Email, contextAccessRequests)
	if e.o.userID != "" {
		fmt.Fprintln(e.stderr, "note: Access requests and devices are matched by email: those of other users with the same email are listed too")
	}
	if uc.DevicesErr == nil && uc.Devices.Truncated {
		fmt.Fprintf(e.stderr, "warning: the user has more devices than the %d pages read; the list is incomplete\n", uc.Devices.Pages)
	}
	now := time.Now()
	cached := cachedParts(res, uc, now)
	if e.g.json {
		return writeJSON(e.stdout, userContextJSON{userJSON: newUserJSON(res.Exchange, res.Email, res.User.Name, res.Risk), Context: newContextJSON(uc), Cached: cached})
	}
	printUser(e.stdout, res)
	if c, ok := cached[partRiskScore]; ok {
		label(e.stdout, "risk score", c.text())
	}
	printContext(e.stdout, uc, cached)
	return nil
}

// partRiskScore names the user's risk score beside the context parts in
// what --context says came from the cache.
const partRiskScore = "riskScore"

// cachedJSON is one part that came from the cache: when the API gave it
// and how old it was (whole seconds).
type cachedJSON struct {
	Fetched    time.Time `json:"fetched"`
	AgeSeconds int64     `json:"ageSeconds"`
}

// text is the console's label: "cached 3m ago".
func (c cachedJSON) text() string {
	return "cached " + agoText(time.Duration(c.AgeSeconds)*time.Second)
}

// cachedParts says which parts of a --context lookup came from the
// cache (a fresh part is absent): the risk score and each context part
// are read on their own, so one may be fresh while another is minutes
// old (or older with --max-age).
func cachedParts(res actions.UserResult, u actions.UserContext, now time.Time) map[string]cachedJSON {
	out := map[string]cachedJSON{}
	add := func(part string, fetched time.Time) {
		age := max(now.Sub(fetched), 0)
		out[part] = cachedJSON{Fetched: fetched.UTC(), AgeSeconds: int64(age / time.Second)}
	}
	if res.Exchange != nil && res.Exchange.Cache.Hit {
		add(partRiskScore, res.Exchange.Cache.Fetched)
	}
	for _, p := range actions.ContextParts {
		if t, ok := u.FromCache(p); ok {
			add(p, t)
		}
	}
	return out
}

// cachedNote is what a part's line adds when it came from the cache.
func cachedNote(cached map[string]cachedJSON, part string) string {
	if c, ok := cached[part]; ok {
		return "  (" + c.text() + ")"
	}
	return ""
}

// userContextJSON is `user --context --json`: the connector's keys and a
// context object beside them.
type userContextJSON struct {
	userJSON
	Context contextJSON `json:"context"`
	// Cached names the parts (riskScore and the context's) that came
	// from the cache, with their age; {} when all were fetched fresh.
	Cached map[string]cachedJSON `json:"cached"`
}

// contextJSON holds each part's data, or {"error": …} when it failed.
type contextJSON struct {
	LastSeen       any `json:"lastSeen"`
	Sessions       any `json:"sessions"`
	FailedLogins   any `json:"failedLogins"`
	AccessRequests any `json:"accessRequests"`
	Devices        any `json:"devices"`
}

type partErrorJSON struct {
	Error string `json:"error"`
}

func partJSON(data any, err error) any {
	if err != nil {
		return partErrorJSON{Error: actions.Explain(err)}
	}
	return data
}

func newContextJSON(u actions.UserContext) contextJSON {
	return contextJSON{
		LastSeen:       partJSON(u.LastSeen, u.LastSeenErr),
		Sessions:       partJSON(u.Sessions, u.SessionsErr),
		FailedLogins:   partJSON(u.FailedLogins, u.FailedLoginsErr),
		AccessRequests: partJSON(u.AccessRequests, u.AccessRequestsErr),
		Devices:        partJSON(u.Devices.Devices, u.DevicesErr),
	}
}

func unavailable(err error) string { return "unavailable (" + clean(actions.Explain(err)) + ")" }

// stampUnix shows a Unix time to the minute, or — when none was given.
func stampUnix(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return actions.Stamp(t.Format(time.RFC3339))
}

// label prints one line of the context, its label aligned with printUser's.
func label(w io.Writer, name, text string) {
	fmt.Fprintf(w, "  %-16s %s\n", name+":", text)
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func printContext(w io.Writer, u actions.UserContext, cached map[string]cachedJSON) {
	deviceNames := map[string]string{}
	for _, d := range u.Devices.Devices {
		deviceNames[d.ID] = d.Name
	}
	if u.LastSeenErr != nil {
		label(w, "last seen", unavailable(u.LastSeenErr))
	} else {
		l := u.LastSeen
		where := orNone(clean(l.IP))
		if l.Geo.Country != "" {
			where += " (" + clean(l.Geo.Country) + ")"
		}
		if l.IdP.Type != "" {
			where += " via " + clean(l.IdP.Type)
		}
		label(w, "last seen", stampUnix(l.IAT.Time())+" from "+where+cachedNote(cached, actions.PartLastSeen))
		device := clean(deviceNames[l.DeviceID])
		if device == "" {
			device = clean(l.DeviceID)
		}
		label(w, "device", fmt.Sprintf("%s; WARP %s, Gateway %s", orNone(device), onOff(l.IsWARP), onOff(l.IsGateway)))
		if len(l.DevicePosture) > 0 {
			label(w, "device posture", posture(l.DevicePosture))
		}
	}

	switch {
	case u.SessionsErr != nil:
		label(w, "active sessions", unavailable(u.SessionsErr))
	case len(u.Sessions) == 0:
		label(w, "active sessions", "none"+cachedNote(cached, actions.PartSessions))
	default:
		label(w, "active sessions", strconv.Itoa(len(u.Sessions))+cachedNote(cached, actions.PartSessions))
		for _, s := range u.Sessions {
			var apps []string
			for _, a := range s.AppList() {
				name := orNone(clean(a.Name))
				if a.Hostname != "" {
					name += " (" + clean(a.Hostname) + ")"
				}
				apps = append(apps, name)
			}
			fmt.Fprintf(w, "    %s  until %s\n", orNone(strings.Join(apps, ", ")), stampUnix(s.ExpiresAt()))
		}
	}

	switch {
	case u.FailedLoginsErr != nil:
		label(w, "failed logins", unavailable(u.FailedLoginsErr))
	case len(u.FailedLogins) == 0:
		label(w, "failed logins", "none"+cachedNote(cached, actions.PartFailedLogins))
	default:
		label(w, "failed logins", strconv.Itoa(len(u.FailedLogins))+cachedNote(cached, actions.PartFailedLogins))
		for _, f := range u.FailedLogins {
			line := fmt.Sprintf("    %s  %s", actions.Stamp(f.When()), orNone(clean(f.AppName())))
			if ray := f.RayID(); ray != "" {
				line += "  ray " + clean(ray)
			}
			fmt.Fprintln(w, line)
		}
	}

	switch {
	case u.AccessRequestsErr != nil:
		label(w, "Access requests", unavailable(u.AccessRequestsErr))
	case len(u.AccessRequests) == 0:
		label(w, "Access requests", "none"+cachedNote(cached, actions.PartAccessRequests))
	default:
		label(w, "Access requests", fmt.Sprintf("latest %d", len(u.AccessRequests))+cachedNote(cached, actions.PartAccessRequests))
		for _, r := range u.AccessRequests {
			verdict := "blocked"
			if r.Allowed {
				verdict = "allowed"
			}
			fmt.Fprintf(w, "    %s  %-7s  %s  %s\n", actions.Stamp(r.CreatedAt), verdict, orNone(clean(r.AppDomain)), orNone(clean(r.IPAddress)))
		}
	}

	switch {
	case u.DevicesErr != nil:
		label(w, "devices", unavailable(u.DevicesErr))
	case len(u.Devices.Devices) == 0:
		label(w, "devices", "none"+cachedNote(cached, actions.PartDevices))
	default:
		label(w, "devices", strconv.Itoa(len(u.Devices.Devices))+cachedNote(cached, actions.PartDevices))
		for _, d := range u.Devices.Devices {
			os := strings.TrimSpace(clean(d.DeviceType) + " " + clean(d.OSVersion))
			seen := "never seen"
			if d.LastSeenAt != "" {
				seen = "last seen " + actions.Stamp(d.LastSeenAt)
			}
			extra := ""
			if d.ActiveRegistrations == 0 {
				extra = "  (no active registration)"
			}
			fmt.Fprintf(w, "    %s  %s  %s%s\n", orNone(clean(d.Name)), orNone(os), seen, extra)
		}
	}
}

// posture lists the posture results: "Disk encryption failed (BitLocker
// is off), Firewall enabled ok", sorted by rule name.
func posture(m map[string]cloudflare.PostureResult) string {
	var parts []string
	for id, p := range m {
		name := clean(p.RuleName)
		if name == "" {
			name = clean(id)
		}
		switch {
		case p.Success == nil:
			name += " unknown"
		case *p.Success:
			name += " ok"
		default:
			name += " failed"
			if p.Error != "" {
				name += " (" + clean(p.Error) + ")"
			}
		}
		parts = append(parts, name)
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// showBlastRadius reads and prints (on stderr, beside the review) what a
// reset of the user will touch. Each part that cannot be read says so;
// the reset can still go ahead.
func (e *env) showBlastRadius(ctx context.Context, c *cloudflare.Client, userID string, before *cloudflare.RiskScore) actions.BlastRadius {
	b := actions.LoadBlastRadius(ctx, c, userID, before)
	fmt.Fprintln(e.stderr, "What the reset touches:")
	for _, l := range b.Lines() {
		fmt.Fprintln(e.stderr, "  "+clean(l))
	}
	return b
}
