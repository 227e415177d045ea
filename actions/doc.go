// Package actions holds the flows the console and the headless commands
// share: user and ASN lookup, the audited risk reset, audited custom API
// calls, the operator identity and the Session the console runs with. It
// prints nothing and has no UI; callers render the results.
package actions
