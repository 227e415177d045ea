package sim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"cftriage/cloudflare/sim"
)

// New runs in every test of every package using the simulator.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		sim.New(sim.Options{})
	}
}

func BenchmarkIPOverview(b *testing.B) {
	s := sim.New(sim.Options{RateQuota: -1})
	req := httptest.NewRequest(http.MethodGet, sim.BasePath+"/accounts/"+sim.DemoAccountID+"/intel/ip?ipv4="+sim.IPRiskyC2, nil)
	req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// The largest answer of the demo: a user with 10,000 risk events.
func BenchmarkRiskScore10kEvents(b *testing.B) {
	s := sim.New(sim.Options{RateQuota: -1})
	call := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, sim.BasePath+"/accounts/"+sim.DemoAccountID+path, nil)
		r.Header.Set("Authorization", "Bearer "+sim.DemoToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	var env struct {
		Result []accessUser `json:"result"`
	}
	if err := json.Unmarshal(call("/access/users?email="+sim.EmailManyEvents).Body.Bytes(), &env); err != nil || len(env.Result) != 1 {
		b.Fatalf("finding the user: %v %+v", err, env)
	}
	path := "/zt_risk_scoring/" + env.Result[0].ID
	for b.Loop() {
		if rec := call(path); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
