package actions

// The blast radius of a risk reset: what it will touch, shown on the
// review before anything is sent. Each part is read on its own and may
// fail on its own; the review says so and the reset can still go ahead.

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"cftriage/cloudflare"
	"cftriage/store"
)

// EventsCleared is what a reset clears: the user's risk events.
type EventsCleared struct {
	Count   int
	Highest string // "" when there are none (or no level is known)
}

// BlastRadius is what a reset of one user will touch.
type BlastRadius struct {
	// Behaviors are the enabled risk behaviors, most severe first: what
	// will score the user again after the reset.
	Behaviors    []cloudflare.RiskBehavior
	BehaviorsErr error
	// Integrations are the active risk-score integrations: the new level
	// is pushed to each identity provider.
	Integrations    []cloudflare.RiskIntegration
	IntegrationsErr error
	Events          EventsCleared
	EventsErr       error
}

// LoadBlastRadius reads the enabled behaviors and the active integrations
// (concurrently) and counts the events a reset of userID clears. before
// is the risk score the analyst is reviewing; when nil it is read too.
func LoadBlastRadius(ctx context.Context, c *cloudflare.Client, userID string, before *cloudflare.RiskScore) BlastRadius {
	var b BlastRadius
	if c == nil {
		b.BehaviorsErr, b.IntegrationsErr, b.EventsErr = errNoClient, errNoClient, errNoClient
		return b
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		all, _, err := c.RiskBehaviors(ctx)
		b.Behaviors, b.BehaviorsErr = EnabledBehaviors(all), err
	}()
	go func() {
		defer wg.Done()
		all, _, err := c.RiskIntegrations(ctx)
		b.Integrations, b.IntegrationsErr = ActiveIntegrations(all), err
	}()
	if before != nil {
		b.Events = EventsOf(*before)
	} else {
		rs, _, err := c.RiskScore(ctx, userID)
		b.Events, b.EventsErr = EventsOf(rs), err
	}
	wg.Wait()
	if b.BehaviorsErr != nil {
		b.Behaviors = nil
	}
	if b.IntegrationsErr != nil {
		b.Integrations = nil
	}
	if b.EventsErr != nil {
		b.Events = EventsCleared{}
	}
	return b
}

// EnabledBehaviors keeps the enabled behaviors, in order.
func EnabledBehaviors(all []cloudflare.RiskBehavior) []cloudflare.RiskBehavior {
	out := []cloudflare.RiskBehavior{}
	for _, b := range all {
		if b.Enabled {
			out = append(out, b)
		}
	}
	return out
}

// ActiveIntegrations keeps the active integrations, in order.
func ActiveIntegrations(all []cloudflare.RiskIntegration) []cloudflare.RiskIntegration {
	out := []cloudflare.RiskIntegration{}
	for _, i := range all {
		if i.Active {
			out = append(out, i)
		}
	}
	return out
}

// EventsOf counts a risk score's events and finds their highest level.
func EventsOf(r cloudflare.RiskScore) EventsCleared {
	e := EventsCleared{Count: len(r.Events)}
	for _, ev := range r.Events {
		if LevelRank(ev.RiskLevel) > LevelRank(e.Highest) {
			e.Highest = strings.ToLower(strings.TrimSpace(ev.RiskLevel))
		}
	}
	return e
}

// Lines says the blast radius in sentences, one per line, for the review
// (console and CLI). The names and URLs in them come from the API: the
// caller sanitizes each line before it reaches a terminal.
func (b BlastRadius) Lines() []string {
	var out []string
	switch {
	case b.EventsErr != nil:
		out = append(out, "Events cleared: unknown — the risk score could not be read: "+Explain(b.EventsErr))
	case b.Events.Count == 0:
		out = append(out, "Events cleared: none (the user has no risk events).")
	default:
		out = append(out, fmt.Sprintf("Events cleared: %d, highest level %s.", b.Events.Count, orUnknown(b.Events.Highest)))
	}
	switch {
	case b.BehaviorsErr != nil:
		out = append(out, "Risk behaviors: unknown — they could not be read: "+Explain(b.BehaviorsErr))
	case len(b.Behaviors) == 0:
		out = append(out, "Risk behaviors: none enabled; nothing will score the user again.")
	default:
		names := make([]string, 0, len(b.Behaviors))
		for _, r := range b.Behaviors {
			names = append(names, fmt.Sprintf("%s (%s)", orUnknown(strings.TrimSpace(r.Name)), orUnknown(r.RiskLevel)))
		}
		out = append(out, "Enabled risk behaviors (they will score the user again): "+strings.Join(names, ", ")+".")
	}
	switch {
	case b.IntegrationsErr != nil:
		out = append(out, "Risk-score integrations: unknown — they could not be read: "+Explain(b.IntegrationsErr))
	case len(b.Integrations) == 0:
		out = append(out, "Risk-score integrations: none active; the new level stays in Cloudflare.")
	default:
		for _, i := range b.Integrations {
			out = append(out, fmt.Sprintf("The new level is pushed to %s at %s.", orUnknown(i.IntegrationType), orUnknown(i.TenantURL)))
		}
	}
	return out
}

// Audit is what the audit record of the reset carries about the
// integrations that were active: the list (maybe empty), or why it is
// unknown.
func (b BlastRadius) Audit() *store.AuditIntegrations {
	if b.IntegrationsErr != nil {
		return &store.AuditIntegrations{Active: []store.AuditIntegration{}, Unknown: Explain(b.IntegrationsErr)}
	}
	a := &store.AuditIntegrations{Active: make([]store.AuditIntegration, 0, len(b.Integrations))}
	for i, in := range b.Integrations {
		if i == maxAuditIntegrations {
			break
		}
		a.Active = append(a.Active, store.AuditIntegration{ID: clipField(in.ID), Type: clipField(in.IntegrationType), TenantURL: clipField(in.TenantURL)})
	}
	return a
}

// maxAuditIntegrations bounds what one record holds: the list comes from
// the API.
const maxAuditIntegrations = 20

func clipField(s string) string {
	const max = 300
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
