package store

// AuditIntegration is a risk-score integration that was active when a
// reset was sent: the new risk level is pushed to it.
type AuditIntegration struct {
	ID        string `json:"id,omitempty"`
	Type      string `json:"type"` // "Okta"
	TenantURL string `json:"tenant_url"`
}

// AuditIntegrations is what a risk_reset record says about the active
// integrations: the list (empty when none was active), or, when they
// could not be read, why (Unknown).
type AuditIntegrations struct {
	Active  []AuditIntegration `json:"active"`
	Unknown string             `json:"unknown,omitempty"`
}
