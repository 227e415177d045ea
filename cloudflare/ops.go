package cloudflare

import "strings"

// Operation names, used as Error.Op and accepted by PermissionFor.
const (
	OpIPOverview     = "IP overview"
	OpDomainOverview = "domain overview"
	OpBulkDomains    = "bulk domain lookup"
	OpPassiveDNS     = "passive DNS"
	OpASNOverview    = "ASN overview"
	OpASNSubnets     = "ASN subnets"
	OpWhois          = "WHOIS"
	OpDomainHistory  = "category history"
	OpFindUsers      = "find users"
	OpRiskScore      = "risk score"
	OpResetRisk      = "risk reset"
	OpRiskSummary    = "risky-users summary"
	OpVerifyToken    = "token verify"
	OpListAccounts   = "list accounts"
	OpRaw            = "API call"
)

// Token permission names as the Cloudflare dashboard shows them.
const (
	PermIntelRead        = "Intel Read"
	PermAccessAuditRead  = "Access: Audit Logs Read"
	PermZeroTrustPIIRead = "Zero Trust: PII Read"
	PermZeroTrustWrite   = "Zero Trust Write"
	PermAccountSettings  = "Account Settings Read"
)

// opInfo is the one table of what each operation is: its contract
// operationId and the token permission it needs.
type opInfo struct {
	name        string
	operationID string
	permission  string
}

var opTable = []opInfo{
	{OpIPOverview, "ip-intelligence-get-ip-overview", PermIntelRead},
	{OpDomainOverview, "domain-intelligence-get-domain-details", PermIntelRead},
	{OpBulkDomains, "domain-intelligence-get-multiple-domain-details", PermIntelRead},
	{OpPassiveDNS, "passive-dns-by-ip-get-passive-dns-by-ip", PermIntelRead},
	{OpASNOverview, "asn-intelligence-get-asn-overview", PermIntelRead},
	{OpASNSubnets, "asn-intelligence-get-asn-subnets", PermIntelRead},
	{OpWhois, "whois-record-get-whois-record", PermIntelRead},
	{OpDomainHistory, "domain-history-get-domain-history", PermIntelRead},
	{OpFindUsers, "zero-trust-users-get-users", PermAccessAuditRead},
	{OpRiskScore, "dlp-zt-risk-score-user-details", PermZeroTrustPIIRead},
	{OpResetRisk, "dlp-zt-risk-score-reset-user", PermZeroTrustWrite},
	{OpRiskSummary, "dlp-zt-risk-score-account-summary", PermZeroTrustPIIRead},
	{OpVerifyToken, "user-api-tokens-verify-token", ""},
	{OpListAccounts, "accounts-list-accounts", PermAccountSettings},
}

// PermissionFor names the token permission an operation needs, by
// operation name (OpIPOverview, ...) or contract operationId
// ("ip-intelligence-get-ip-overview"); "" when none is known (token
// verify, raw calls).
func PermissionFor(op string) string {
	for _, o := range opTable {
		if strings.EqualFold(op, o.name) || op == o.operationID {
			return o.permission
		}
	}
	return ""
}

// OperationID returns the contract operationId of an operation name
// (what the simulator counts requests by); "" when unknown.
func OperationID(op string) string {
	for _, o := range opTable {
		if o.name == op {
			return o.operationID
		}
	}
	return ""
}
