package cloudflare

import (
	"testing"

	"cftriage/internal/contracttest"
)

// Every row of the operation table names a real operation of the
// contract: its operationId sits at that method and path.
func TestOperationTableMatchesTheContract(t *testing.T) {
	doc := contracttest.Load(t)
	seen := map[string]bool{}
	for _, op := range opTable {
		if seen[op.Name] {
			t.Errorf("operation name %q used twice", op.Name)
		}
		seen[op.Name] = true
		item := doc.Paths.Find(op.Path)
		if item == nil {
			t.Errorf("%s: path %s is not in the contract", op.Name, op.Path)
			continue
		}
		o := item.GetOperation(op.Method)
		if o == nil {
			t.Errorf("%s: %s %s is not in the contract", op.Name, op.Method, op.Path)
			continue
		}
		if o.OperationID != op.OperationID {
			t.Errorf("%s: %s %s is %q in the contract, the table says %q", op.Name, op.Method, op.Path, o.OperationID, op.OperationID)
		}
	}
}
