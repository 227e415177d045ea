// Command cftriage is a terminal investigation console for SOC analysts on
// top of Cloudflare's threat-intelligence and Zero Trust risk APIs.
package main

import (
	"os"

	"cftriage/cli"
	"cftriage/ui"
)

func main() {
	cli.Console = ui.Run
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
