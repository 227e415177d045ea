// Package cli implements cftriage's headless commands.
package cli

import "io"

// Main runs cftriage with args (without the program name) and returns
// the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return 2
}
