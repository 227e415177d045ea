package cli

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeadlessDoesNotImportTheRenderers: the headless commands share the
// flows (actions) and the sanitizer, never the console's rendering stack.
func TestHeadlessDoesNotImportTheRenderers(t *testing.T) {
	const mod = "cftriage/"
	seen := map[string]bool{}
	var walk func(pkg, from string)
	walk = func(pkg, from string) {
		if seen[pkg] {
			return
		}
		seen[pkg] = true
		if pkg == mod+"views" || strings.HasPrefix(pkg, mod+"ui") {
			t.Errorf("%s imports %s", from, pkg)
			return
		}
		p, err := build.ImportDir(filepath.Join("..", strings.TrimPrefix(pkg, mod)), 0)
		if err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, mod) {
				walk(imp, pkg)
			}
		}
	}
	walk(mod+"cli", "")
	if len(seen) < 4 {
		t.Fatalf("walked only %v", seen)
	}
}
