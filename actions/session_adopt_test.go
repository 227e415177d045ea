package actions

import (
	"net/http"
	"testing"

	"cftriage/cloudflare/sim"
)

func TestAdoptedDemoStopsWithTheSession(t *testing.T) {
	detached := &Session{}
	if err := detached.StartDemo(); err != nil {
		t.Fatal(err)
	}
	url := detached.BaseURL + "/user/tokens/verify"
	main := &Session{}
	main.Adopt(detached)
	detached.Close() // nothing left to close there
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the adopted simulator stopped with the detached session: %v", err)
	}
	resp.Body.Close()
	main.Close()
	http.DefaultClient.CloseIdleConnections()
	if resp, err := http.Get(url); err == nil {
		resp.Body.Close()
		t.Fatal("the simulator still answers after the adopting session closed")
	}
}
