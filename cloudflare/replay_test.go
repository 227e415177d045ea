package cloudflare

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
)

// net/http replays some requests by itself, below the client's own retry
// loop: on HTTP/2 after a RST_STREAM, and on HTTP/1 on a reused
// connection when the request looks idempotent (e.g. an Idempotency-Key
// header). A write must reach the server once even then.

func TestWriteNotReplayedByHTTP2Transport(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.StartTLS() // only for its certificate
	cert := srv.TLS.Certificates[0]
	srv.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var streams atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, len(http2.ClientPreface))
				if _, err := io.ReadFull(c, buf); err != nil {
					return
				}
				fr := http2.NewFramer(c, c)
				_ = fr.WriteSettings()
				for {
					f, err := fr.ReadFrame()
					if err != nil {
						return
					}
					switch f := f.(type) {
					case *http2.SettingsFrame:
						if !f.IsAck() {
							_ = fr.WriteSettingsAck()
						}
					case *http2.HeadersFrame:
						// Refuse every stream the way a proxy might; Go's
						// transport retries such a stream if it may.
						streams.Add(1)
						_ = fr.WriteRSTStream(f.StreamID, http2.ErrCodeProtocol)
					}
				}
			}()
		}
	}()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	tr.ForceAttemptHTTP2 = true
	c, err := New(Config{BaseURL: "https://" + ln.Addr().String() + "/client/v4", Token: "test-token-abcdef",
		AccountID: "023e105f4ecef8ad9ca31a8372d0c353", Timeout: 3 * time.Second, HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ResetRisk(context.Background(), "72534a63-4dfc-52fe-af05-964cef764753"); err == nil {
		t.Fatal("a refused reset reported success")
	}
	if n := streams.Load(); n != 1 {
		t.Fatalf("the reset reached the server %d times, want exactly 1", n)
	}
	// An empty write that claims to be idempotent, and one with a body:
	// still once each (a nil body would be replayed after this reset).
	for i, body := range [][]byte{nil, []byte(`{"a":1}`)} {
		_, err := c.Raw(context.Background(), RawRequest{Method: "POST", Path: "/x", Body: body, Header: [][2]string{{"Idempotency-Key", "k"}}})
		if err == nil {
			t.Fatal("a refused POST reported success")
		}
		if n := streams.Load(); n != int32(i+2) {
			t.Fatalf("POST with body %q: %d streams in all, want %d", body, n, i+2)
		}
	}
}

func TestWriteNotReplayedOnReusedHTTP1Connection(t *testing.T) {
	for _, hdr := range [][][2]string{nil, {{"Idempotency-Key", "abc"}}, {{"X-Idempotency-Key", "abc"}}} {
		for _, body := range [][]byte{nil, []byte(`{"a":1}`)} {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			var posts atomic.Int32
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					go func(conn net.Conn) {
						defer conn.Close()
						br := bufio.NewReader(conn)
						for {
							req, err := http.ReadRequest(br)
							if err != nil {
								return
							}
							_, _ = io.Copy(io.Discard, req.Body)
							if req.Method == http.MethodPost {
								posts.Add(1)
								return // drop the connection without answering
							}
							ok := `{"success":true,"errors":[],"messages":[],"result":{}}`
							_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(ok)) + "\r\n\r\n" + ok))
						}
					}(conn)
				}
			}()
			c, err := New(Config{BaseURL: "http://" + ln.Addr().String() + "/client/v4", Token: "test-token-abcdef",
				AccountID: "023e105f4ecef8ad9ca31a8372d0c353", Timeout: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			// A GET first, so the POST goes out on a reused connection.
			if _, err := c.Raw(context.Background(), RawRequest{Method: "GET", Path: "/x"}); err != nil {
				t.Fatal(err)
			}
			_, err = c.Raw(context.Background(), RawRequest{Method: "POST", Path: "/x", Header: hdr, Body: body})
			ln.Close()
			if err == nil {
				t.Fatal("a dropped POST reported success")
			}
			if n := posts.Load(); n != 1 {
				t.Fatalf("headers %v body %q: the POST reached the server %d times, want 1", hdr, body, n)
			}
		}
	}
}

// TestEmptyWriteSendsContentLengthZero: a write without a body (the risk
// reset, a raw POST/PUT/PATCH/DELETE with none) goes out with
// "Content-Length: 0" and no Transfer-Encoding — it used to be chunked,
// which strict proxies answer with 411 and a naive one waits on. The
// bytes are read off the wire, not through net/http's server.
func TestEmptyWriteSendsContentLengthZero(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	heads := make(chan string, 16)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(conn net.Conn) {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					var head strings.Builder
					for {
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						head.WriteString(line)
						if line == "\r\n" {
							break
						}
					}
					heads <- head.String()
					// A strict server: without a length there is no body to
					// wait for, and it answers at once.
					ok := `{"success":true,"errors":[],"messages":[],"result":{}}`
					_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(ok)) + "\r\n\r\n" + ok))
				}
			}(conn)
		}
	}()
	c, err := New(Config{BaseURL: "http://" + ln.Addr().String() + "/client/v4", Token: "test-token-abcdef",
		AccountID: "023e105f4ecef8ad9ca31a8372d0c353", Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		var head string
		select {
		case head = <-heads:
		case <-time.After(3 * time.Second):
			t.Fatalf("%s: nothing arrived", what)
		}
		low := strings.ToLower(head)
		if !strings.Contains(low, "\r\ncontent-length: 0\r\n") || strings.Count(low, "content-length") != 1 {
			t.Errorf("%s: want exactly one Content-Length: 0, got\n%s", what, head)
		}
		if strings.Contains(low, "transfer-encoding") {
			t.Errorf("%s: sent with a Transfer-Encoding:\n%s", what, head)
		}
	}
	if _, err := c.ResetRisk(context.Background(), "72534a63-4dfc-52fe-af05-964cef764753"); err != nil {
		t.Fatal(err)
	}
	check("the reset")
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		if _, err := c.Raw(context.Background(), RawRequest{Method: m, Path: "/x", Header: [][2]string{{"Idempotency-Key", "k"}}}); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		check("an empty " + m)
	}
	// A body keeps its own length.
	if _, err := c.Raw(context.Background(), RawRequest{Method: "POST", Path: "/x", Body: []byte(`{"a":1}`)}); err != nil {
		t.Fatal(err)
	}
	if head := strings.ToLower(<-heads); !strings.Contains(head, "\r\ncontent-length: 7\r\n") || strings.Count(head, "content-length") != 1 {
		t.Errorf("a 7-byte body:\n%s", head)
	}
}
