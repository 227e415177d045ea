package views

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// UserPick is the pick list shown when several users match an email.
type UserPick struct {
	Users  []cloudflare.AccessUser
	Cursor int
}

// UserPage is everything the User pane shows.
type UserPage struct {
	Email   string
	User    *cloudflare.AccessUser
	Risk    *cloudflare.RiskScore
	Loading bool
	Err     string

	Pick *UserPick

	Events     Table  // built by the ui over its sorted/filtered index (name, level, time)
	Sort       string // "time ↓" / "level ↓"
	Filter     string
	Filtering  bool
	EventCount int // total, before the filter

	ReadOnly  bool
	ResetHint string // "R reset risk" or "reset disabled: read-only mode"

	// The identity section: where and from what device the user was last
	// seen (loaded with the user), and the part below the events' place
	// (Section: 0 risk events, then sessions, failed logins, Access
	// requests, devices — each loaded when first shown).
	LastSeen        *cloudflare.LastSeenIdentity
	LastSeenNote    string // loading / why it failed
	LastSeenVerdict string // the last seen IP's intel verdict, once known
	Section         int
	SectionNote     string // the shown part's loading / error text
	Part            Table  // the shown part when it is not the events
}

// UserSections names the User pane's lower sections in order.
var UserSections = []string{"Risk events", "Sessions", "Failed logins", "Access requests", "Devices"}

// VerdictMark is a short intel verdict for an indicator shown beside it:
// "risky", "clean" or "unknown"; "" while not known.
func VerdictMark(v string, th Theme) string {
	switch v {
	case "":
		return ""
	case "risky":
		return paint(th.SevHigh, "✗ risky")
	case "clean":
		return paint(th.OK, "✓ clean")
	case "error":
		return paint(th.Muted, "? error")
	}
	return paint(th.Muted, "? unknown")
}

// identityLines is the last seen identity, in a few label/value lines.
func identityLines(p UserPage, lw, width int, th Theme) []string {
	if p.LastSeen == nil {
		if p.LastSeenNote == "" {
			return nil
		}
		return kv("Last seen", paint(th.Muted, Sanitize(p.LastSeenNote)), lw, width, th)
	}
	l := p.LastSeen
	var out []string
	where := []string{}
	if ip := Sanitize(l.IP); ip != "" {
		w := paint(th.Value, ip)
		if m := VerdictMark(p.LastSeenVerdict, th); m != "" {
			w += " " + m
		}
		where = append(where, w)
	}
	if c := Sanitize(l.Geo.Country); c != "" {
		where = append(where, paint(th.Value, c))
	}
	if !l.IAT.IsZero() {
		where = append(where, paint(th.Muted, l.IAT.Time().UTC().Format("2006-01-02 15:04 UTC")))
	}
	if len(where) == 0 {
		where = append(where, paint(th.Muted, "no sign-in recorded"))
	}
	out = append(out, kv("Last seen", strings.Join(where, paint(th.Muted, " · ")), lw, width, th)...)
	var dev []string
	if d := Sanitize(l.DeviceID); d != "" {
		dev = append(dev, paint(th.Value, d))
	}
	switch {
	case l.IsWARP && l.IsGateway:
		dev = append(dev, paint(th.Value, "WARP + Gateway"))
	case l.IsWARP:
		dev = append(dev, paint(th.Value, "WARP"))
	case l.IsGateway:
		dev = append(dev, paint(th.Value, "Gateway"))
	default:
		dev = append(dev, paint(th.Muted, "no WARP"))
	}
	if len(l.DevicePosture) > 0 {
		ok, failed := 0, []string{}
		keys := make([]string, 0, len(l.DevicePosture))
		for k := range l.DevicePosture {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			r := l.DevicePosture[k]
			if r.Success != nil && *r.Success {
				ok++
			} else {
				n := Sanitize(r.RuleName)
				if n == "" {
					n = Sanitize(k)
				}
				failed = append(failed, n)
			}
		}
		post := fmt.Sprintf("posture %d/%d passed", ok, len(l.DevicePosture))
		if len(failed) > 0 {
			post += " — failing: " + strings.Join(failed, ", ")
			dev = append(dev, paint(th.Warn, post))
		} else {
			dev = append(dev, paint(th.OK, post))
		}
	}
	out = append(out, kv("Device", strings.Join(dev, paint(th.Muted, " · ")), lw, width, th)...)
	if t := Sanitize(l.IdP.Type); t != "" || Sanitize(l.IdP.ID) != "" {
		idp := paint(th.Value, t)
		if id := Sanitize(l.IdP.ID); id != "" {
			idp += " " + paint(th.Muted, id)
		}
		out = append(out, kv("Identity", idp, lw, width, th)...)
	}
	return out
}

// userSectionTabs is the row that names the lower sections.
func userSectionTabs(sel, width int, th Theme) string {
	parts := make([]string, len(UserSections))
	for i, n := range UserSections {
		if i == sel {
			parts[i] = paint(th.TabActive, "["+n+"]")
		} else {
			parts[i] = paint(th.Tab, " "+n+" ")
		}
	}
	return fit(strings.Join(parts, " "), width)
}

// RenderUser draws the User pane into exactly width×height.
func RenderUser(p UserPage, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Pick != nil {
		return renderPick(p, width, height, th)
	}
	if p.User == nil && p.Risk == nil {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	var lines []string
	name, email, id := "", Sanitize(p.Email), ""
	if p.User != nil {
		name, id = Sanitize(p.User.Name), Sanitize(p.User.ID)
		if e := Sanitize(p.User.Email); e != "" {
			email = e
		}
	}
	level := ""
	if p.Risk != nil {
		level = p.Risk.RiskLevel
		if name == "" {
			name = Sanitize(p.Risk.Name)
		}
	}
	head := ""
	if p.Risk != nil {
		head = RiskBadge(level, th) + "  "
	}
	if name != "" {
		head += paint(th.Title, name) + "  "
	}
	head += paint(th.Value, email)
	lines = append(lines, clip(head, width))

	lw := min(labelW, max(width/4, 1))
	if id != "" {
		lines = append(lines, kv("User ID", paint(th.Value, id), lw, width, th)...)
	}
	if p.User != nil && p.User.LastSuccessfulLogin != "" {
		lines = append(lines, kv("Last login", paint(th.Value, stamp(p.User.LastSuccessfulLogin)), lw, width, th)...)
	}
	switch {
	case p.Risk == nil && p.Err != "":
		lines = append(lines, "")
		lines = append(lines, splitLines(ErrorBox("Risk score unavailable", p.Err, width, th))...)
		return block(lines, width, height)
	case p.Risk == nil:
		lines = append(lines, "", paint(th.Muted, "Loading risk score…"))
		return block(lines, width, height)
	}
	reset := paint(th.Muted, "never")
	if p.Risk.LastResetTime != nil && *p.Risk.LastResetTime != "" {
		reset = paint(th.Value, stamp(*p.Risk.LastResetTime))
	}
	lines = append(lines, kv("Last reset", reset, lw, width, th)...)
	lines = append(lines, kv("Events", paint(th.Value, thousands(p.EventCount)), lw, width, th)...)
	if p.ResetHint != "" {
		st := th.Muted
		if p.ReadOnly {
			st = th.Warn
		}
		lines = append(lines, clip(paint(st, Sanitize(p.ResetHint)), width))
	}
	if p.Err != "" {
		lines = append(lines, splitLines(ErrorBox("Error", p.Err, width, th))...)
	}
	lines = append(lines, identityLines(p, lw, width, th)...)
	lines = append(lines, "", userSectionTabs(p.Section, width, th))
	if p.Section > 0 && p.Section < len(UserSections) {
		title := paint(th.Title, UserSections[p.Section])
		if p.SectionNote != "" {
			title += "  " + paint(th.Muted, Sanitize(p.SectionNote))
		} else {
			title += "  " + paint(th.Muted, thousands(p.Part.N))
		}
		lines = append(lines, fit(title, width))
		if avail := height - len(lines); avail > 0 {
			lines = append(lines, splitLines(p.Part.Render(width, avail, th))...)
		}
		return block(lines, width, height)
	}

	// Events title: counts, sort and filter.
	info := []string{}
	if p.Filter != "" || p.Filtering {
		info = append(info, thousands(p.Events.N)+" of "+thousands(p.EventCount))
	} else {
		info = append(info, thousands(p.EventCount))
	}
	if p.Sort != "" {
		info = append(info, "sort "+Sanitize(p.Sort))
	}
	title := paint(th.Title, "Risk events") + "  " + paint(th.Muted, strings.Join(info, " · "))
	if p.Filtering || p.Filter != "" {
		f := Sanitize(p.Filter)
		if p.Filtering {
			title += "  " + paint(th.InputFocused, "/"+f) + paint(th.Cursor, " ")
		} else {
			title += "  " + paint(th.Accent, "filter: "+f)
		}
	}
	lines = append(lines, fit(title, width))
	if avail := height - len(lines); avail > 0 {
		ev := p.Events
		if ev.Empty == "" {
			ev.Empty = "no risk events"
			if p.Filter != "" {
				ev.Empty = "no event matches the filter"
			}
		}
		lines = append(lines, splitLines(ev.Render(width, avail, th))...)
	}
	return block(lines, width, height)
}

// PickColumns are the pick list's columns. The email goes last: every
// match has the searched address (up to case), so on a narrow screen it is
// the column to drop, while the id tells the users apart.
var PickColumns = []Column{
	{Title: "Name", Min: 16},
	{Title: "ID", Width: 36},
	{Title: "Last login (UTC)", Width: 16},
	{Title: "Email", Min: 10},
}

func renderPick(p UserPage, width, height int, th Theme) string {
	us := p.Pick.Users
	lines := []string{
		fit(paint(th.Warn, strconv.Itoa(len(us))+" users match ")+paint(th.Value, Sanitize(p.Email))+paint(th.Muted, " — pick one"), width),
		"",
	}
	t := Table{
		Columns: PickColumns,
		N:       len(us),
		Row: func(i int) []string {
			u := us[i]
			login := "never"
			if u.LastSuccessfulLogin != "" {
				login = minute(u.LastSuccessfulLogin)
			}
			return []string{u.Name, u.ID, login, u.Email}
		},
		Cursor:  p.Pick.Cursor,
		Focused: true,
		Empty:   "no users",
	}
	if avail := height - len(lines); avail > 0 {
		lines = append(lines, splitLines(t.Render(width, avail, th))...)
	}
	return block(lines, width, height)
}

// RiskBadge renders a risk level (low/medium/high, anything else is
// none) as a short badge.
func RiskBadge(level string, th Theme) string {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "high":
		return paint(th.BadgeHigh, " HIGH ")
	case "medium":
		return paint(th.BadgeMedium, " MEDIUM ")
	case "low":
		return paint(th.BadgeLow, " LOW ")
	}
	return paint(th.Badge, " NONE ")
}

// LevelStyle is the style of a risk level's text (for Table.Style).
func LevelStyle(level string, th Theme) lipgloss.Style {
	return sevStyle(actions.LevelSeverity(level), th)
}

// EventColumns are the events table's columns (name, level, time).
var EventColumns = []Column{
	{Title: "Event", Min: 12},
	{Title: "Level", Width: 7},
	{Title: "Time", Width: 20},
}

// EventRow is the cells of an event in EventColumns order.
func EventRow(ev cloudflare.RiskEvent) []string {
	return []string{ev.Name, ev.RiskLevel, stamp(ev.Timestamp)}
}

// EventDetails renders an event's details as a dialog box of at most
// width×height: name, level and time, then the key/values with the
// cursor on one row and links marked.
// verdicts holds, per detail, the intel verdict of the IP or domain it
// links to ("" while unknown or not a link).
func EventDetails(ev cloudflare.RiskEvent, kvs []actions.Detail, verdicts []string, cursor int, width, height int, th Theme) string {
	bw := min(width, 96)
	inner := bw - 4
	if inner < 1 || height < 3 {
		return block(nil, max(width, 0), max(height, 0))
	}
	head := []string{
		RiskBadge(ev.RiskLevel, th) + "  " + paint(th.Value, stamp(ev.Timestamp)),
	}
	if id := Sanitize(ev.ID); id != "" {
		head = append(head, paint(th.Muted, "id "+id))
	}
	head = append(head, "")
	rows := height - 2 - len(head)
	if len(kvs) == 0 {
		head = append(head, paint(th.Muted, "No details."))
		return box(Sanitize(ev.Name), head, bw, min(height, len(head)+2), th)
	}
	if rows < 1 {
		head, rows = head[:0], height-2
	}
	kw := 0
	for _, k := range kvs {
		kw = max(kw, ansi.StringWidth(Sanitize(k.Key)))
	}
	kw = min(kw, max(inner/3, 1))
	cursor = clamp(cursor, 0, len(kvs)-1)
	off := ScrollOffset(cursor, 0, rows, len(kvs))
	lines := head
	for i := off; i < min(len(kvs), off+rows); i++ {
		k := kvs[i]
		key := fit(Sanitize(k.Key), kw)
		val := Sanitize(k.Value)
		mark := "  "
		if i == cursor {
			mark = "▸ "
		}
		vw := max(inner-2-kw-2, 1)
		if k.Link {
			mark, verdict := "", ""
			if i < len(verdicts) {
				verdict = verdicts[i]
			}
			if verdict != "" {
				mark = " " + ansi.Strip(VerdictMark(verdict, th))
			}
			val = clip(val, max(vw-2-len([]rune(mark)), 1))
			if i == cursor {
				val += " ↗" + mark
			} else {
				val = paint(th.Link, val) + paint(th.Muted, " ↗") + paint(VerdictStyle(verdict, th), mark)
			}
		} else {
			val = clip(val, vw)
		}
		line := mark + key + "  " + val
		if i == cursor {
			line = paint(th.Selected, fit(line, inner))
		} else {
			line = mark + paint(th.Label, key) + "  " + val
		}
		lines = append(lines, line)
	}
	title := Sanitize(ev.Name)
	if len(kvs) > rows {
		title += fmt.Sprintf("  %d/%d", cursor+1, len(kvs))
	}
	return box(title, lines, bw, min(height, len(lines)+2), th)
}
