package cloudflare

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Types of the identity operations (risk behaviors and integrations, an
// Access user's last seen identity, sessions and failed logins, Access
// authentication logs, devices, revoke). Field names follow the contract;
// every field is optional in practice and decodes to its zero value when
// absent or null. Strings are untrusted: sanitize before display.

// UnixTime is a time the API sends as Unix seconds (sessions, the last
// seen identity). It accepts an integer, a float, a numeric string or
// null (zero); it encodes back as the number of seconds.
type UnixTime int64

// UnmarshalJSON reads seconds leniently: one odd timestamp must not fail
// a whole answer.
func (u *UnixTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*u = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = strings.TrimSpace(str)
		if s == "" {
			*u = 0
			return nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < -1e15 || f > 1e15 {
		// Not a number of seconds: a date string, maybe. Keep what parses.
		if t, terr := time.Parse(time.RFC3339Nano, s); terr == nil {
			*u = UnixTime(t.Unix())
			return nil
		}
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(cleanText(s, 20)), Type: unixTimeType}
	}
	*u = UnixTime(math.Floor(f))
	return nil
}

var unixTimeType = reflect.TypeOf(UnixTime(0))

// Time is the instant in UTC; the zero time when the API sent none.
func (u UnixTime) Time() time.Time {
	if u == 0 {
		return time.Time{}
	}
	return time.Unix(int64(u), 0).UTC()
}

// IsZero reports that no time was given.
func (u UnixTime) IsZero() bool { return u == 0 }

// RiskBehavior is one risk behavior: what scores a user, and at which
// level. ID is the key of the behaviors map ("imp_travel", "high_dlp").
type RiskBehavior struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Enabled     bool   `json:"enabled"`
	RiskLevel   string `json:"risk_level"`
}

// RiskIntegration is a risk-score integration: while Active, a user's
// new risk level is pushed to the identity provider at TenantURL.
type RiskIntegration struct {
	ID              string `json:"id"`
	AccountTag      string `json:"account_tag"`
	Active          bool   `json:"active"`
	CreatedAt       string `json:"created_at"`
	IntegrationType string `json:"integration_type"` // "Okta"
	ReferenceID     string `json:"reference_id"`     // the Access Okta IdP id
	TenantURL       string `json:"tenant_url"`
	WellKnownURL    string `json:"well_known_url"`
}

// IdentityProvider is the IdP a last seen identity signed in with.
type IdentityProvider struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Geo is where an identity was seen.
type Geo struct {
	Country string `json:"country"`
}

// DeviceSession is when a device last authenticated.
type DeviceSession struct {
	LastAuthenticated UnixTime `json:"last_authenticated"`
}

// PostureCheck is the check part of a device posture result.
type PostureCheck struct {
	Exists bool   `json:"exists,omitempty"`
	Path   string `json:"path,omitempty"`
}

// PostureResult is one device posture rule's result for the identity.
type PostureResult struct {
	ID          string         `json:"id,omitempty"`
	RuleName    string         `json:"rule_name,omitempty"`
	Type        string         `json:"type,omitempty"`
	Description string         `json:"description,omitempty"`
	Success     *bool          `json:"success,omitempty"`
	Error       string         `json:"error,omitempty"`
	Timestamp   string         `json:"timestamp,omitempty"`
	Check       *PostureCheck  `json:"check,omitempty"`
	Data        map[string]any `json:"data,omitempty"`
}

// MTLSAuth is the client-certificate part of an identity.
type MTLSAuth struct {
	AuthStatus    string `json:"auth_status,omitempty"`
	CertIssuerDN  string `json:"cert_issuer_dn,omitempty"`
	CertIssuerSKI string `json:"cert_issuer_ski,omitempty"`
	CertPresented bool   `json:"cert_presented,omitempty"`
	CertSerial    string `json:"cert_serial,omitempty"`
}

// Passkey is an active passkey enrollment of the identity.
type Passkey struct {
	ID         string `json:"id,omitempty"`
	Name       string `json:"name,omitempty"`
	CreatedAt  string `json:"created_at,omitempty"`
	LastUsedAt string `json:"last_used_at,omitempty"`
}

// LastSeenIdentity is an Access user's last seen identity: where, from
// what device and through which identity provider they last signed in.
// Note devicePosture is camelCase on the wire (device_posture is read
// too, in case a reading uses it).
type LastSeenIdentity struct {
	AccountID          string                   `json:"account_id,omitempty"`
	AuthStatus         string                   `json:"auth_status,omitempty"`
	CommonName         string                   `json:"common_name,omitempty"`
	DeviceID           string                   `json:"device_id,omitempty"`
	DeviceSessions     map[string]DeviceSession `json:"device_sessions,omitempty"`
	DevicePosture      map[string]PostureResult `json:"devicePosture,omitempty"`
	Email              string                   `json:"email,omitempty"`
	Geo                Geo                      `json:"geo"`
	IAT                UnixTime                 `json:"iat,omitempty"`
	IdP                IdentityProvider         `json:"idp"`
	IP                 string                   `json:"ip,omitempty"`
	IsGateway          bool                     `json:"is_gateway"`
	IsWARP             bool                     `json:"is_warp"`
	MTLSAuth           *MTLSAuth                `json:"mtls_auth,omitempty"`
	Passkeys           []Passkey                `json:"passkeys,omitempty"`
	ServiceTokenID     string                   `json:"service_token_id,omitempty"`
	ServiceTokenStatus bool                     `json:"service_token_status,omitempty"`
	UserUUID           string                   `json:"user_uuid,omitempty"`
	Version            float64                  `json:"version,omitempty"`
}

// UnmarshalJSON accepts devicePosture (the contract) and device_posture.
func (l *LastSeenIdentity) UnmarshalJSON(b []byte) error {
	type plain LastSeenIdentity
	var v struct {
		plain
		Snake map[string]PostureResult `json:"device_posture"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*l = LastSeenIdentity(v.plain)
	if l.DevicePosture == nil && v.Snake != nil {
		l.DevicePosture = v.Snake
	}
	return nil
}

// SessionApp is an Access application a session is open on.
type SessionApp struct {
	Hostname string `json:"hostname"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	UID      string `json:"uid"`
}

// SessionMetadata holds a session's applications and times.
type SessionMetadata struct {
	Apps    map[string]SessionApp `json:"apps"`
	Expires UnixTime              `json:"expires"`
	IAT     UnixTime              `json:"iat"`
	Nonce   string                `json:"nonce,omitempty"`
	TTL     int64                 `json:"ttl"`
}

// ActiveSession is one of an Access user's active sessions.
type ActiveSession struct {
	Expiration UnixTime        `json:"expiration"`
	Name       string          `json:"name"`
	Metadata   SessionMetadata `json:"metadata"`
}

// ExpiresAt is the session's expiry: expiration, else metadata.expires.
func (s ActiveSession) ExpiresAt() time.Time {
	if !s.Expiration.IsZero() {
		return s.Expiration.Time()
	}
	return s.Metadata.Expires.Time()
}

// AppList is the session's applications, sorted by name then hostname.
func (s ActiveSession) AppList() []SessionApp {
	out := make([]SessionApp, 0, len(s.Metadata.Apps))
	for uid, a := range s.Metadata.Apps {
		if a.UID == "" {
			a.UID = uid
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b SessionApp) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Hostname, b.Hostname)
	})
	return out
}

// FailedLogin is one failed Access login. Metadata is free-form (seen:
// app_name, aud, datetime, ray_id, user_email, user_uuid).
type FailedLogin struct {
	Expiration UnixTime       `json:"expiration"`
	Metadata   map[string]any `json:"metadata"`
}

// Field is a metadata value as text ("" when absent).
func (f FailedLogin) Field(key string) string {
	v, ok := f.Metadata[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// AppName is metadata.app_name.
func (f FailedLogin) AppName() string { return f.Field("app_name") }

// When is metadata.datetime as given ("" when absent).
func (f FailedLogin) When() string { return f.Field("datetime") }

// RayID is metadata.ray_id.
func (f FailedLogin) RayID() string { return f.Field("ray_id") }

// AccessRequest is one Access authentication log entry.
type AccessRequest struct {
	Action     string `json:"action"`
	Allowed    bool   `json:"allowed"`
	AppDomain  string `json:"app_domain"`
	AppUID     string `json:"app_uid"`
	Connection string `json:"connection"`
	CreatedAt  string `json:"created_at"`
	IPAddress  string `json:"ip_address"`
	RayID      string `json:"ray_id"`
	UserEmail  string `json:"user_email"`
}

// AccessRequestsQuery filters the Access authentication logs. The zero
// value lists the latest entries of the account as the API defaults
// them (25, newest first).
type AccessRequestsQuery struct {
	// Email, when set, must be a whole address (the contract declares
	// format: email): it is normalized and matched exactly.
	Email string
	// Since and Until bound created_at; zero means unbounded.
	Since, Until time.Time
	// Direction is "desc" (newest first), "asc", or "" (the API's
	// default, desc).
	Direction string
	// Limit is how many entries (1..MaxAccessRequests); 0 leaves the
	// API's default of 25.
	Limit int
}

// MaxAccessRequests bounds AccessRequestsQuery.Limit: the contract
// states no maximum, and one answer should stay readable.
const MaxAccessRequests = 1000

// DeviceUser is the last user seen on a device.
type DeviceUser struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Device is one WARP device. Most fields are nullable; null reads as "".
type Device struct {
	ID                  string      `json:"id"`
	Name                string      `json:"name"`
	ActiveRegistrations int         `json:"active_registrations"`
	CreatedAt           string      `json:"created_at"`
	UpdatedAt           string      `json:"updated_at"`
	LastSeenAt          string      `json:"last_seen_at"`
	LastSeenUser        *DeviceUser `json:"last_seen_user,omitempty"`
	DeviceType          string      `json:"device_type,omitempty"`
	OSVersion           string      `json:"os_version,omitempty"`
	OSVersionExtra      string      `json:"os_version_extra,omitempty"`
	ClientVersion       string      `json:"client_version,omitempty"`
	SerialNumber        string      `json:"serial_number,omitempty"`
	Model               string      `json:"model,omitempty"`
	Manufacturer        string      `json:"manufacturer,omitempty"`
	MacAddress          string      `json:"mac_address,omitempty"`
	HardwareID          string      `json:"hardware_id,omitempty"`
	DeletedAt           string      `json:"deleted_at,omitempty"`
}

// DevicesQuery selects devices. Paging follows result_info.cursor until
// it comes back empty, for at most MaxPages pages.
type DevicesQuery struct {
	// Email filters on last_seen_user.email (normalized first); "" lists
	// every device.
	Email string
	// ActiveRegistrations is "include", "only" or "exclude"; "" leaves
	// the API's default (only devices with active registrations).
	ActiveRegistrations string
	// PerPage is the page size (1..1000); 0 leaves the API's default.
	PerPage int
	// MaxPages bounds the requests made (default DefaultDevicePages).
	MaxPages int
}

// DefaultDevicePages bounds a device listing when DevicesQuery.MaxPages
// is 0.
const DefaultDevicePages = 10

// DeviceList is a device listing. Truncated is set when MaxPages ended
// the paging while the API still had a cursor; Pages counts requests.
type DeviceList struct {
	Devices   []Device
	Pages     int
	Truncated bool
	// TotalCount is result_info.total_count of the last page, when given.
	TotalCount int
}

// RevokeRequest revokes a user's Access sessions. Devices also revokes
// the user's devices (WARP registrations). UserUID, when set, narrows the
// revoke to that Access user (several may share an email).
type RevokeRequest struct {
	Email   string
	Devices bool
	UserUID string
}
