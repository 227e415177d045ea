package actions

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

func asnClient(t *testing.T, o sim.Options) (*cloudflare.Client, *sim.Sim) {
	t.Helper()
	s := sim.New(o)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		BackoffBase: time.Millisecond, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func TestLookupASN(t *testing.T) {
	ctx := context.Background()
	c, _ := asnClient(t, sim.Options{})
	r, err := LookupASN(ctx, c, 64500)
	if err != nil || !reflect.DeepEqual(r.Info, cloudflare.ASNInfo{ASN: 64500}) || r.InfoErr != nil || r.Subnets.Count != 2 || r.Exchange == nil ||
		r.Exchange.StatusCode != 200 {
		t.Fatalf("contract reading: %+v %v", r, err)
	}

	c, _ = asnClient(t, sim.Options{Variants: true})
	if r, err = LookupASN(ctx, c, 64501); err != nil || r.Info.Description == "" || r.Info.Country != "DE" || r.Subnets.Count != 2 {
		t.Fatalf("docs' reading: %+v %v", r, err)
	}

	// The overview failing is kept apart; the subnets are the result.
	c, s := asnClient(t, sim.Options{})
	s.Inject(sim.Fault{Op: sim.OpASN, Status: http.StatusForbidden})
	r, err = LookupASN(ctx, c, 64500)
	var ce *cloudflare.Error
	if err != nil || !errors.As(r.InfoErr, &ce) || ce.Kind != cloudflare.KindPermission || r.Info.ASN != 64500 || r.Subnets.Count != 2 {
		t.Fatalf("overview refused: %+v %v", r, err)
	}
	// The subnets failing fails the lookup, and the overview is not asked.
	c, s = asnClient(t, sim.Options{})
	s.Inject(sim.Fault{Op: sim.OpASNSubnets, Status: http.StatusForbidden})
	if r, err = LookupASN(ctx, c, 64500); err == nil || r.Exchange == nil || s.Count(sim.OpASN) != 0 {
		t.Fatalf("subnets refused: %+v %v (overview asked %d times)", r, err, s.Count(sim.OpASN))
	}
}
