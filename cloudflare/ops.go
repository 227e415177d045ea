package cloudflare

import "strings"

// Operation names, used as Error.Op and accepted by PermissionFor.
const (
	OpIPOverview       = "IP overview"
	OpDomainOverview   = "domain overview"
	OpBulkDomains      = "bulk domain lookup"
	OpPassiveDNS       = "passive DNS"
	OpASNOverview      = "ASN overview"
	OpASNSubnets       = "ASN subnets"
	OpWhois            = "WHOIS"
	OpDomainHistory    = "category history"
	OpURLIntel         = "URL intelligence"
	OpMiscategorize    = "miscategorization report"
	OpFindUsers        = "find users"
	OpRiskScore        = "risk score"
	OpResetRisk        = "risk reset"
	OpRiskSummary      = "risky-users summary"
	OpRiskBehaviors    = "risk behaviors"
	OpRiskIntegrations = "risk integrations"
	OpLastSeenIdentity = "last seen identity"
	OpActiveSessions   = "active sessions"
	OpFailedLogins     = "failed logins"
	OpAccessRequests   = "Access requests"
	OpRevokeSessions   = "session revoke"
	OpDevices          = "devices"
	OpVerifyToken      = "token verify"
	OpVerifyAcctToken  = "account token verify"
	OpListAccounts     = "list accounts"
	OpRaw              = "API call"
)

// Token permission names as the Cloudflare dashboard shows them.
const (
	PermIntelRead        = "Intel Read"
	PermIntelWrite       = "Intel Write"
	PermAccessAuditRead  = "Access: Audit Logs Read"
	PermZeroTrustPIIRead = "Zero Trust: PII Read"
	PermZeroTrustRead    = "Zero Trust Read"
	PermZeroTrustWrite   = "Zero Trust Write"
	PermAccessOrgsWrite  = "Access: Organizations, Identity Providers, and Groups Write"
	PermAccountSettings  = "Account Settings Read"
)

// Operation is one API operation of the contract: what it is called
// here, its contract operationId, method and path (relative to the API
// base, placeholders kept: {account_id} is filled from the active
// account, the others are the analyst's), the token permission it needs,
// a one-line summary and the query parameters worth knowing (a hint,
// not a requirement).
type Operation struct {
	Name        string
	OperationID string
	Method      string
	Path        string
	Permission  string
	Summary     string
	Query       []string
}

// opTable is the one table of the operations the console knows. The
// Request pane's known paths are derived from it (actions.KnownPaths);
// a test checks it against ../shared/cloudflare/openapi.json. The most
// used come first: completion keeps this order among equal matches.
var opTable = []Operation{
	{OpIPOverview, "ip-intelligence-get-ip-overview", "GET", "/accounts/{account_id}/intel/ip", PermIntelRead, "IP overview", []string{"ipv4", "ipv6"}},
	{OpDomainOverview, "domain-intelligence-get-domain-details", "GET", "/accounts/{account_id}/intel/domain", PermIntelRead, "domain overview", []string{"domain", "skip_dns", "skip_ranking"}},
	{OpPassiveDNS, "passive-dns-by-ip-get-passive-dns-by-ip", "GET", "/accounts/{account_id}/intel/dns", PermIntelRead, "passive DNS by IPv4", []string{"ipv4", "page", "per_page"}},
	{OpWhois, "whois-record-get-whois-record", "GET", "/accounts/{account_id}/intel/whois", PermIntelRead, "WHOIS record", []string{"domain"}},
	{OpDomainHistory, "domain-history-get-domain-history", "GET", "/accounts/{account_id}/intel/domain-history", PermIntelRead, "domain category history", []string{"domain"}},
	{OpBulkDomains, "domain-intelligence-get-multiple-domain-details", "GET", "/accounts/{account_id}/intel/domain/bulk", PermIntelRead, "several domains (repeat domain=)", []string{"domain", "include_ranking"}},
	{OpURLIntel, "url-intelligence-get-url-intelligence", "GET", "/accounts/{account_id}/intel/url", PermIntelRead, "URL intelligence", []string{"url"}},
	{OpASNOverview, "asn-intelligence-get-asn-overview", "GET", "/accounts/{account_id}/intel/asn/{asn}", PermIntelRead, "ASN overview", nil},
	{OpASNSubnets, "asn-intelligence-get-asn-subnets", "GET", "/accounts/{account_id}/intel/asn/{asn}/subnets", PermIntelRead, "ASN subnets", nil},
	{OpFindUsers, "zero-trust-users-get-users", "GET", "/accounts/{account_id}/access/users", PermAccessAuditRead, "Zero Trust users", []string{"email", "name", "search", "page", "per_page"}},
	{OpRiskSummary, "dlp-zt-risk-score-account-summary", "GET", "/accounts/{account_id}/zt_risk_scoring/summary", PermZeroTrustPIIRead, "risky users summary", nil},
	{OpRiskScore, "dlp-zt-risk-score-user-details", "GET", "/accounts/{account_id}/zt_risk_scoring/{user_id}", PermZeroTrustPIIRead, "user risk details", nil},
	{OpResetRisk, "dlp-zt-risk-score-reset-user", "POST", "/accounts/{account_id}/zt_risk_scoring/{user_id}/reset", PermZeroTrustWrite, "reset a user's risk score", nil},
	{OpRiskBehaviors, "dlp-zt-risk-score-get-behaviors", "GET", "/accounts/{account_id}/zt_risk_scoring/behaviors", PermZeroTrustRead, "risk behaviors (what scores users)", nil},
	{OpRiskIntegrations, "dlp-zt-risk-score-integration-list", "GET", "/accounts/{account_id}/zt_risk_scoring/integrations", PermZeroTrustRead, "risk score integrations (Okta)", nil},
	{OpLastSeenIdentity, "zero-trust-users-get-last-seen-identity", "GET", "/accounts/{account_id}/access/users/{user_id}/last_seen_identity", PermAccessAuditRead, "a user's last seen identity", nil},
	{OpActiveSessions, "zero-trust-users-get-active-sessions", "GET", "/accounts/{account_id}/access/users/{user_id}/active_sessions", PermAccessAuditRead, "a user's active sessions", nil},
	{OpFailedLogins, "zero-trust-users-get-failed-logins", "GET", "/accounts/{account_id}/access/users/{user_id}/failed_logins", PermAccessAuditRead, "a user's failed logins", nil},
	{OpAccessRequests, "access-authentication-logs-get-access-authentication-logs", "GET", "/accounts/{account_id}/access/logs/access_requests", PermAccessAuditRead, "Access authentication logs", []string{"email", "email_exact", "since", "until", "direction", "limit"}},
	{OpRevokeSessions, "zero-trust-organization-revoke-all-access-tokens-for-a-user", "POST", "/accounts/{account_id}/access/organizations/revoke_user", PermAccessOrgsWrite, "revoke a user's Access sessions", []string{"devices"}},
	{OpDevices, "list-devices", "GET", "/accounts/{account_id}/devices/physical-devices", "", "devices (cursor paging)", []string{"last_seen_user.email", "search", "seen_after", "per_page", "cursor"}},
	{OpMiscategorize, "miscategorization-create-miscategorization", "POST", "/accounts/{account_id}/intel/miscategorization", PermIntelWrite, "report a miscategorization", nil},
	{OpVerifyAcctToken, "account-api-tokens-verify-token", "GET", "/accounts/{account_id}/tokens/verify", "", "verify an account token", nil},
	{OpVerifyToken, "user-api-tokens-verify-token", "GET", "/user/tokens/verify", "", "verify a user token", nil},
	{OpListAccounts, "accounts-list-accounts", "GET", "/accounts", PermAccountSettings, "accounts the token can see", []string{"name", "page", "per_page", "direction"}},
}

// Operations returns the operation table (a copy: callers may not change
// it).
func Operations() []Operation {
	out := make([]Operation, len(opTable))
	copy(out, opTable)
	return out
}

// PermissionFor names the token permission an operation needs, by
// operation name (OpIPOverview, ...) or contract operationId
// ("ip-intelligence-get-ip-overview"); "" when none is known (token
// verify, raw calls).
func PermissionFor(op string) string {
	for _, o := range opTable {
		if strings.EqualFold(op, o.Name) || op == o.OperationID {
			return o.Permission
		}
	}
	return ""
}

// OperationID returns the contract operationId of an operation name
// (what the simulator counts requests by); "" when unknown.
func OperationID(op string) string {
	for _, o := range opTable {
		if o.Name == op {
			return o.OperationID
		}
	}
	return ""
}
