// Package store is cftriage's persistence layer: XDG paths, the API token
// in the OS keyring (or, only when asked, a 0600 file), the JSON config
// with profiles and saved requests, credential resolution, the history of
// custom requests and the tamper-evident audit log.
//
// Nothing in this package ever writes the API token anywhere but the
// keyring or the explicitly chosen credentials file; the writers that
// could leak it are handed the session's Guard: config and history refuse
// data that contains a forbidden token, the audit log masks it.
package store
