package actions

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare"
)

const curlBase = "https://api.cloudflare.com/client/v4"

// shellArgs runs cmd in sh with curl replaced by a function printing its
// arguments, and the token variable set, so the test sees exactly what a
// shell would pass to curl.
func shellArgs(t *testing.T, cmd, token string) []string {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the command in")
	}
	dir := t.TempDir()
	script := "curl() { for a in \"$@\"; do printf '%s\\000' \"$a\"; done; }\n" + cmd + "\n"
	c := exec.Command(sh, "-c", script)
	c.Dir = dir
	c.Env = []string{"PATH=" + os.Getenv("PATH"), "CLOUDFLARE_API_TOKEN=" + token}
	out, err := c.Output()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, cmd)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("running the command created %s: something was executed", filepath.Join(dir, ents[0].Name()))
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

func TestCurlCommandQuotesEverythingAndNeverTheToken(t *testing.T) {
	body := "{\n  \"note\": \"it's $(touch pwned) `touch pwned2` \\\"q\\\" $HOME ; rm -rf x\"\n}"
	req := cloudflare.RawRequest{
		Method: "post",
		Path:   curlBase + "/accounts/abc/zt_risk_scoring/u1/reset",
		Query:  [][2]string{{"a b", "c&d='e'"}, {"ipv6", "2001:db8::1"}},
		Header: [][2]string{{"X-Note", "it's $(touch pwned3)"}},
		Body:   []byte(body),
	}
	cmd, err := CurlCommand(curlBase, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cmd, `-H "Authorization: Bearer $CLOUDFLARE_API_TOKEN"`) {
		t.Fatalf("token reference missing:\n%s", cmd)
	}
	const secret = "s3cr3t-token-value"
	args := shellArgs(t, cmd, secret)
	want := []string{
		"-sS", "-X", "POST",
		curlBase + "/accounts/abc/zt_risk_scoring/u1/reset?a+b=c%26d%3D%27e%27&ipv6=2001%3Adb8%3A%3A1",
		"-H", "Authorization: Bearer " + secret,
		"-H", "Content-Type: application/json",
		"-H", "X-Note: it's $(touch pwned3)",
		"--data-raw", body,
	}
	if strings.Join(args, "\n") != strings.Join(want, "\n") {
		t.Fatalf("curl would get\n%q\nwant\n%q\ncommand:\n%s", args, want, cmd)
	}
}

func TestCurlCommandGetAndRelativePath(t *testing.T) {
	cmd, err := CurlCommand(curlBase+"/", cloudflare.RawRequest{Method: "GET", Path: "accounts/abc/intel/ip?ipv4=1.1.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cmd, "-X") || strings.Contains(cmd, "--data") || strings.Contains(cmd, "Content-Type") {
		t.Fatalf("a GET without body needs no method, data or content type:\n%s", cmd)
	}
	args := shellArgs(t, cmd, "tok")
	if args[1] != curlBase+"/accounts/abc/intel/ip?ipv4=1.1.1.1" {
		t.Fatalf("URL = %q", args[1])
	}
	// The base path typed again is tolerated, not doubled.
	cmd, err = CurlCommand(curlBase, cloudflare.RawRequest{Path: "/client/v4/accounts"})
	if err != nil {
		t.Fatal(err)
	}
	if args := shellArgs(t, cmd, "tok"); args[1] != curlBase+"/accounts" {
		t.Fatalf("URL = %q", args[1])
	}
}

func TestCurlCommandRefuses(t *testing.T) {
	cases := map[string]cloudflare.RawRequest{
		"auth header":       {Path: "/accounts", Header: [][2]string{{"authorization", "Bearer x"}}},
		"x-auth header":     {Path: "/accounts", Header: [][2]string{{"X-Auth-Key", "k"}}},
		"other origin":      {Path: "https://evil.example/client/v4/accounts"},
		"other port":        {Path: "https://api.cloudflare.com:8443/client/v4/accounts"},
		"outside base path": {Path: "https://api.cloudflare.com/other"},
		"scheme relative":   {Path: "//evil.example/x"},
		"dot dot":           {Path: "/accounts/../../x"},
		"placeholder":       {Path: "/accounts/{account_id}/intel/ip"},
		"control in header": {Path: "/accounts", Header: [][2]string{{"X-A", "a\x1b[2Jb"}}},
		"bidi in body":      {Method: "POST", Path: "/accounts", Body: []byte("{\"a\":\"\u202e\"}")},
		"bad method":        {Method: "GE T", Path: "/accounts"},
		"empty path":        {Path: " "},
	}
	for name, req := range cases {
		if cmd, err := CurlCommand(curlBase, req); err == nil {
			t.Errorf("%s: accepted:\n%s", name, cmd)
		}
	}
	if _, err := CurlCommand("ftp://x", cloudflare.RawRequest{Path: "/a"}); err == nil {
		t.Error("a non-http base was accepted")
	}
}
