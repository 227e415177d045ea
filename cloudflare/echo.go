package cloudflare

import (
	"net/http"

	"cftriage/redact"
)

// A server may echo the token back (an error message quoting the
// Authorization header, a debug header). The client masks it (redact.Mask:
// "…" and the last four) in everything it hands on — the body, the
// headers, and so the messages, the screen, stdout, --json, the clipboard
// and the audit log — before anything reads the answer.

func (c *Client) maskBody(b []byte) []byte { return redact.Bytes(b, c.token) }

// maskHeader returns h, or a copy with the token masked in the values
// that hold it.
func (c *Client) maskHeader(h http.Header) http.Header {
	out, copied := h, false
	for k, vs := range h {
		for i, v := range vs {
			m := redact.String(v, c.token)
			if m == v {
				continue
			}
			if !copied {
				out, copied = h.Clone(), true
			}
			out[k][i] = m
		}
	}
	return out
}
