package trustbundle

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// What TLSConfig relies on to fail closed, each shown against a real server:
// the hook runs on resumed handshakes (TLS 1.2 and 1.3) and judges them with
// the core; Clone keeps it; with crypto/x509's check switched back on both
// verdicts are needed; a failure sends no request.

// countingServer is startTLSServer's chain with a request counter and the
// protocol capped at maxVersion.
func countingServer(t *testing.T, maxVersion uint16) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	needPKI(t)
	cert, err := tls.LoadX509KeyPair(pki("server-localhost/fullchain.pem"), pki("server-localhost/leaf.key"))
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.WriteString(w, "ok")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: maxVersion}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &n
}

// handshakes records each handshake the hook accepted: resumed or not.
type handshakes struct {
	mu      sync.Mutex
	resumed []bool
}

func (h *handshakes) record(cs tls.ConnectionState) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.resumed = append(h.resumed, cs.DidResume)
	return nil
}

func TestTLSResumedSessionsAreVerified(t *testing.T) {
	for _, v := range []struct {
		name string
		max  uint16
	}{{"TLS1.3", tls.VersionTLS13}, {"TLS1.2", tls.VersionTLS12}} {
		t.Run(v.name, func(t *testing.T) {
			srv, served := countingServer(t, v.max)
			store, err := NewStore(StoreOptions{ExtraCA: []CASource{CAPath(pki("root.pem"))}, IgnoreEnv: true})
			if err != nil {
				t.Fatal(err)
			}
			var seen handshakes
			cfg, err := TLSConfig(WithStore(store), ForHost("127.0.0.1"), AlsoVerify(seen.record))
			if err != nil {
				t.Fatal(err)
			}
			cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
			c := client(cfg) // no keep-alive: one connection per request
			for i := 0; i < 2; i++ {
				resp, err := c.Get(srv.URL)
				if err != nil {
					t.Fatalf("GET %d: %v", i, err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.TLS.Version != v.max || resp.TLS.DidResume != (i == 1) {
					t.Fatalf("GET %d: version %x, resumed %v", i, resp.TLS.Version, resp.TLS.DidResume)
				}
			}
			if len(seen.resumed) != 2 || seen.resumed[0] || !seen.resumed[1] {
				t.Fatalf("the hook saw handshakes %v, want a full one then a resumed one", seen.resumed)
			}
			// The core judges a resumed handshake too: with the store
			// closed, the resumption the cache offers fails, and no
			// request reaches the server.
			store.Close()
			before := served.Load()
			_, err = c.Get(srv.URL)
			if !errors.Is(err, ErrInvalidArgument) || len(seen.resumed) != 2 {
				t.Fatalf("GET with the store closed: %v (handshakes %v)", err, seen.resumed)
			}
			if served.Load() != before {
				t.Error("a request reached the server over a refused connection")
			}
		})
	}
}

func TestTLSCloneKeepsTheCheck(t *testing.T) {
	srv, served := countingServer(t, 0)
	cfg, err := TLSConfig(ForHost("127.0.0.1")) // the test root is not trusted
	if err != nil {
		t.Fatal(err)
	}
	clone := cfg.Clone()
	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), clone)
	if err == nil {
		conn.Close()
		t.Fatal("a clone of the config accepted a chain the core rejects")
	}
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("clone: %v, want ErrUnableToGetIssuer", err)
	}
	if served.Load() != 0 {
		t.Error("the server counted a request")
	}
}

// A user who switches crypto/x509 back on gets both checks: x509 accepts
// (RootCAs holds the test root), the core does not (its store lacks it).
func TestTLSInsecureSkipVerifyOffStillUsesTheCore(t *testing.T) {
	srv, _ := countingServer(t, 0)
	cfg, err := TLSConfig(ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(parsePEMCert(t, readPKI(t, "root.pem")))
	cfg.InsecureSkipVerify, cfg.RootCAs = false, roots
	_, err = get(t, client(cfg), srv.URL)
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("got %v, want the core's ErrUnableToGetIssuer", err)
	}
	// And with the root in both, it connects.
	cfg2, err := TLSConfig(CAPath(pki("root.pem")), ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	cfg2.InsecureSkipVerify, cfg2.RootCAs = false, roots
	if _, err := get(t, client(cfg2), srv.URL); err != nil {
		t.Fatal(err)
	}
}

// AlsoVerify runs after the core accepted, and its error fails the handshake.
func TestTLSAlsoVerify(t *testing.T) {
	srv, served := countingServer(t, 0)
	mine := errors.New("pin mismatch")
	cfg, err := TLSConfig(CAPath(pki("root.pem")), ForHost("127.0.0.1"),
		AlsoVerify(func(cs tls.ConnectionState) error { return mine }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, client(cfg), srv.URL); !errors.Is(err, mine) {
		t.Fatalf("got %v, want the AlsoVerify error", err)
	}
	if served.Load() != 0 {
		t.Error("the server counted a request")
	}
}

func TestTLSConfigOptionErrors(t *testing.T) {
	store, err := NewStore(StoreOptions{IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := TLSConfig(WithStore(store), CAData([]byte("x"))); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("WithStore and an extra CA: %v", err)
	}
	if _, err := TLSConfig(CAPath("/nonexistent/ca.pem")); !errors.Is(err, ErrIO) {
		t.Errorf("missing extra CA file: %v", err)
	}
}

// VerifyCertificates on what a handshake captured: the same verdict as
// Verify on the DER, the parsed anchor at the end.
func TestVerifyCertificatesFromConnectionState(t *testing.T) {
	srv, _ := countingServer(t, 0)
	cfg, err := TLSConfig(CAPath(pki("root.pem")), ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	peer := conn.ConnectionState().PeerCertificates
	conn.Close()
	root := parsePEMCert(t, readPKI(t, "root.pem"))
	chain, err := VerifyCertificates(peer, VerifyOptions{Host: "127.0.0.1", ExtraCA: []CASource{CAPath(pki("root.pem"))}})
	if err != nil || len(chain) != 3 || chain[0] != peer[0] || !chain[2].Equal(root) {
		t.Fatalf("VerifyCertificates: %d certificates, %v", len(chain), err)
	}
	_, err = VerifyCertificates(peer, VerifyOptions{Host: "127.0.0.1"})
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("without the root: %v", err)
	}
	store, err := NewStore(StoreOptions{ExtraCA: []CASource{CAPath(pki("root.pem"))}, IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.VerifyCertificates(peer, VerifyOptions{Host: "wrong.example.test"}); !errors.Is(err, ErrHostnameMismatch) {
		t.Fatalf("Store.VerifyCertificates, wrong host: %v", err)
	}
	if _, err := store.VerifyCertificates([]*x509.Certificate{peer[0], nil}, VerifyOptions{Host: "127.0.0.1"}); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("a nil certificate: %v", err)
	}
}

// Transport verifies each connection for the host it dialled: an IP address
// needs no ForHost, an address the leaf does not name is a mismatch, and
// editing the transport's config does not remove the check.
func TestTransportVerifiesTheDialedHost(t *testing.T) {
	srv, served := countingServer(t, 0)
	tr, err := Transport(CAPath(pki("root.pem")))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.CloseIdleConnections()
	if _, err := get(t, &http.Client{Transport: tr}, srv.URL); err != nil {
		t.Fatalf("GET %s through Transport: %v", srv.URL, err)
	}

	untrusting, err := Transport() // the test root is not trusted
	if err != nil {
		t.Fatal(err)
	}
	untrusting.TLSClientConfig.VerifyConnection = nil
	_, err = get(t, &http.Client{Transport: untrusting}, srv.URL)
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("got %v, want ErrUnableToGetIssuer", err)
	}
	verificationError(t, err)
	untrusting.TLSClientConfig = nil
	if _, err = get(t, &http.Client{Transport: untrusting}, srv.URL); !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("TLSClientConfig cleared: got %v, want ErrUnableToGetIssuer", err)
	}

	// The same certificate served on 127.0.0.2 (Linux routes 127/8 to lo):
	// its leaf names 127.0.0.1, not the address dialled.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("no 127.0.0.2 on this machine: ", err)
	}
	other := httptest.NewUnstartedServer(srv.Config.Handler)
	other.Listener.Close()
	other.Listener = ln
	other.TLS = srv.TLS
	other.Config.ErrorLog = srv.Config.ErrorLog
	other.StartTLS()
	defer other.Close()
	_, err = get(t, &http.Client{Transport: tr}, other.URL)
	if !errors.Is(err, ErrIPAddressMismatch) {
		t.Fatalf("GET %s: %v, want ErrIPAddressMismatch", other.URL, err)
	}
	if served.Load() != 1 {
		t.Errorf("the server counted %d requests, want the 1 accepted", served.Load())
	}
}

// Transport bounds its own handshakes by TLSHandshakeTimeout, as net/http
// does its: a server that never answers the ClientHello fails the request.
func TestTransportHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent
		}
	}()
	tr, err := Transport()
	if err != nil {
		t.Fatal(err)
	}
	tr.TLSHandshakeTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err = (&http.Client{Transport: tr}).Get("https://" + ln.Addr().String() + "/")
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("GET to a silent server: %v after %v", err, time.Since(start))
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a deadline error", err)
	}
}
