package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"cftriage/cloudflare"
)

const frInsecureWarning = "WARNING: --insecure-storage: the API token is stored in plain text in a file readable only by your user (mode 0600), not in the OS keyring."

func frVerified() *FirstRunVerified {
	return &FirstRunVerified{ID: "274de8f8409956c43d1e56d9a61b0709", Kind: "user", Status: "active", Masked: "…3c5d"}
}

func frAccounts(n int) []cloudflare.Account {
	out := make([]cloudflare.Account, n)
	for i := range out {
		out[i] = cloudflare.Account{ID: fmt.Sprintf("%032x", i+1), Name: fmt.Sprintf("Account %d", i+1), Type: "standard"}
	}
	return out
}

func frKeyringProblem(op string) string {
	return "keyring " + op + ": the OS keyring is unavailable: org.freedesktop.DBus.Error.ServiceUnknown. Remedies: start and unlock a Secret Service " +
		"(gnome-keyring-daemon, or KeePassXC with Secret Service integration enabled); or set the CLOUDFLARE_API_TOKEN environment variable; " +
		"or log in with --insecure-storage to keep the token in a 0600 file instead"
}

// firstRunScenes covers every step once.
func firstRunScenes() map[string]FirstRun {
	return map[string]FirstRun{
		"choose":         {Step: FirstRunChoose, Profile: "default"},
		"choose-keyring": {Step: FirstRunChoose, Profile: "default", KeyringUnavailable: true, Problem: frKeyringProblem("get")},
		"token-error": {Step: FirstRunToken, Profile: "work", TokenInput: "› ••••••••••••••••••••", TokenHint: "20 characters, ends …9f0e",
			AccountInput: "› ",
			Err:          "Cloudflare rejected this token (invalid, expired or revoked): paste another, or press tab to give its account id if it is an account-owned token. Cloudflare said: \"Invalid API Token\" (code 1000)."},
		"token-note": {Step: FirstRunToken, Profile: "default", TokenInput: "› ••••••••", TokenHint: "40 characters, ends …3c5d",
			AccountInput: "› 0a", AccountFocus: true, AccountHint: "only hex digits (0-9, a-f) go here: that key was not taken",
			Note: "That paste is not an account id (32 hex characters), so it went into the Token field, masked."},
		"verifying":      {Step: FirstRunVerifying, Profile: "default", TokenInput: "› ••••", TokenHint: "40 characters, ends …3c5d", AccountInput: "› ", Busy: "Verifying the token…"},
		"accounts":       {Step: FirstRunAccount, Profile: "default", Token: frVerified(), Accounts: frAccounts(3), Cursor: 1},
		"storing":        {Step: FirstRunStoring, Profile: "default", Token: frVerified(), Accounts: frAccounts(1), Busy: "Storing the token in the OS keyring…"},
		"keyring-failed": {Step: FirstRunKeyringFailed, Profile: "default", Token: frVerified(), StoreErr: frKeyringProblem("set")},
		"insecure": {Step: FirstRunConfirmInsecure, Profile: "default", Warning: frInsecureWarning,
			InsecurePath: "/home/analyst/.config/cftriage/credentials/default"},
		"demo": {Step: FirstRunDemo, Profile: "default", Busy: "Starting the demo…"},
	}
}

func TestFirstRunGolden(t *testing.T) {
	th := NewTheme(true, true)
	scenes := firstRunScenes()
	for _, name := range []string{"choose-keyring", "token-error", "token-note", "keyring-failed", "insecure"} {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			file := fmt.Sprintf("firstrun-%s_%dx%d", name, w, h)
			t.Run(file, func(t *testing.T) {
				// As the console lays it out: over everything between the
				// header and the footer.
				out := Overlay(Welcome(nil, false, w, h, th), RenderFirstRunScreen(scenes[name], w, h-2, th), w, h)
				compareGolden(t, out)
			})
		}
	}
}

// TestFirstRunFits: every step, at every size from tiny to wide, stays
// inside width×height.
func TestFirstRunFits(t *testing.T) {
	th := NewTheme(true, false)
	for name, f := range firstRunScenes() {
		for _, sz := range [][2]int{{0, 0}, {10, 4}, {20, 6}, {40, 12}, {80, 24}, {120, 40}, {250, 80}} {
			w, h := sz[0], sz[1]
			out := RenderFirstRun(f, w, h, th)
			lines := strings.Split(out, "\n")
			if out == "" {
				lines = nil
			}
			if len(lines) > h {
				t.Errorf("%s at %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
				}
			}
			// The screen form fills the area exactly, to hide what is
			// behind it.
			scr := RenderFirstRunScreen(f, w, h, th)
			if w == 0 || h == 0 {
				if scr != "" {
					t.Errorf("%s at %dx%d: screen %q", name, w, h, scr)
				}
				continue
			}
			sl := strings.Split(scr, "\n")
			if len(sl) != h {
				t.Errorf("%s at %dx%d: screen has %d lines", name, w, h, len(sl))
			}
			for i, l := range sl {
				if lw := ansi.StringWidth(l); lw != w {
					t.Errorf("%s at %dx%d: screen line %d is %d wide", name, w, h, i, lw)
				}
			}
		}
	}
}

// TestFirstRunKeyringUnavailableHeadline: an unreachable keyring may hold
// a token; the screen must say it could not be read, not that there is
// none, and keep the reason with its remedies.
func TestFirstRunKeyringUnavailableHeadline(t *testing.T) {
	th := NewTheme(true, true)
	f := FirstRun{Step: FirstRunChoose, Problem: frKeyringProblem("get"), KeyringUnavailable: true}
	out := strings.Join(strings.Fields(ansi.Strip(RenderFirstRun(f, 100, 40, th))), " ")
	clean := strings.NewReplacer("│ ", "", " │", "", "│", "").Replace(out)
	for _, want := range []string{"could not be read: the OS keyring cannot be reached", "ServiceUnknown",
		"gnome-keyring-daemon", "--insecure-storage", "if you confirm, in a 0600 file"} {
		if !strings.Contains(clean, want) {
			t.Errorf("lacks %q:\n%s", want, clean)
		}
	}
	for _, not := range []string{"No Cloudflare API token is configured", "could not be used"} {
		if strings.Contains(clean, not) {
			t.Errorf("says %q:\n%s", not, clean)
		}
	}
	// The same problem text without the flag: a different cause.
	f.KeyringUnavailable = false
	out = ansi.Strip(RenderFirstRun(f, 100, 40, th))
	if !strings.Contains(out, "No Cloudflare API token is configured") || !strings.Contains(out, "could not be used") {
		t.Errorf("without the flag:\n%s", out)
	}
}

func TestFirstRunAccountCursorStaysVisible(t *testing.T) {
	th := NewTheme(true, true)
	f := FirstRun{Step: FirstRunAccount, Token: frVerified(), Accounts: frAccounts(200)}
	for _, cur := range []int{0, 57, 199} {
		f.Cursor = cur
		out := ansi.Strip(RenderFirstRun(f, 80, 16, th))
		want := "▸ " + f.Accounts[cur].Name + " "
		if !strings.Contains(out, want) || strings.Count(out, "▸") != 1 {
			t.Errorf("cursor %d not shown (want %q):\n%s", cur, want, out)
		}
	}
}

// TestFirstRunSanitizes: names, errors and the stored-credential problem
// come from the API or the system; none may drive the terminal.
func TestFirstRunSanitizes(t *testing.T) {
	th := NewTheme(true, true) // no colour: any ESC left is from the data
	hostile := "evil\x1b]52;c;aGk=\x07\x1b[2J\u202e"
	for name, f := range map[string]FirstRun{
		"problem":  {Step: FirstRunChoose, Problem: "keyring: " + hostile},
		"accounts": {Step: FirstRunAccount, Token: &FirstRunVerified{ID: hostile, Kind: hostile, Status: hostile, ExpiresOn: hostile}, Accounts: []cloudflare.Account{{ID: hostile, Name: hostile}}},
		"error":    {Step: FirstRunToken, Err: hostile, TokenHint: hostile},
		"store":    {Step: FirstRunKeyringFailed, StoreErr: hostile, Profile: hostile},
	} {
		out := RenderFirstRun(f, 100, 30, th)
		plain := ansi.Strip(out)
		if strings.ContainsAny(plain, "\x1b\x07\u202e") || strings.Contains(out, "]52;") || strings.Contains(out, "[2J") {
			t.Errorf("%s: control sequences reached the screen: %q", name, out)
		}
	}
}

func TestFirstRunWrapKeepsFlagsWhole(t *testing.T) {
	got := frWrapWords("or log in with --insecure-storage to keep the token", 20)
	found := false
	for _, l := range got {
		if ansi.StringWidth(l) > 20 {
			t.Errorf("line %q wider than 20", l)
		}
		found = found || strings.Contains(l, "--insecure-storage")
	}
	if !found {
		t.Errorf("--insecure-storage split: %q", got)
	}
	long := strings.Repeat("x", 45)
	if got := frWrapWords(long, 20); len(got) != 3 || strings.Join(got, "") != long {
		t.Errorf("long word: %q", got)
	}
	if got := frWrapWords("", 10); len(got) != 1 || got[0] != "" {
		t.Errorf("empty: %q", got)
	}
}

// TestFirstRunChoicesSurviveLongProblems: a long keyring message is cut
// before the choices are.
func TestFirstRunChoicesSurviveLongProblems(t *testing.T) {
	th := NewTheme(true, true)
	long := strings.Repeat("the keyring said something long and unhelpful ", 40)
	for name, f := range map[string]FirstRun{
		"choose":         {Step: FirstRunChoose, Problem: long},
		"keyring-failed": {Step: FirstRunKeyringFailed, StoreErr: long, Token: frVerified()},
	} {
		out := ansi.Strip(RenderFirstRun(f, 80, 24, th))
		if strings.Count(out, "\n")+1 > 24 {
			t.Errorf("%s: taller than the window", name)
		}
		for _, want := range []string{"d         start the demo", "(widen the window for the rest)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: lacks %q:\n%s", name, want, out)
			}
		}
	}
}
