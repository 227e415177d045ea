package actions

import (
	"fmt"
	"testing"
	"time"

	"cftriage/cloudflare"
)

// BenchmarkSortRiskyUsers: ordering the queue once it is read (the
// console sorts on load and on a sort key, never per frame).
func BenchmarkSortRiskyUsers(b *testing.B) {
	for _, n := range []int{100, 10000} {
		base := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
		users := make([]cloudflare.RiskyUser, n)
		for i := range users {
			users[i] = cloudflare.RiskyUser{UserID: fmt.Sprint(i), Email: fmt.Sprintf("u%05d@x.example", i),
				MaxRiskLevel: RiskLevels[i%3], LastEvent: base.Add(-time.Duration(i*7919%n) * time.Minute).Format(time.RFC3339)}
		}
		work := make([]cloudflare.RiskyUser, n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				copy(work, users)
				SortRiskyUsers(work)
			}
		})
	}
}
