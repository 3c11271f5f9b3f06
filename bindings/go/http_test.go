package trustbundle

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Real net/http clients against an httptest TLS server on 127.0.0.1 that
// serves the test PKI's server-localhost chain (leaf + intermediate), whose
// root is not one of Mozilla's.

func startTLSServer(t *testing.T) *httptest.Server {
	t.Helper()
	needPKI(t)
	cert, err := tls.LoadX509KeyPair(pki("server-localhost/fullchain.pem"), pki("server-localhost/leaf.key"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from trustbundle's test server")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "https://127.0.0.1:") {
		t.Fatalf("server URL %s: expected 127.0.0.1", srv.URL)
	}
	return srv
}

func client(cfg *tls.Config) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
}

func get(t *testing.T, c *http.Client, u string) (string, error) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	return string(body), nil
}

// capturedChain is the chain the server sent, from the handshake error.
func capturedChain(t *testing.T, err error) [][]byte {
	t.Helper()
	var cve *tls.CertificateVerificationError
	if !errors.As(err, &cve) {
		t.Fatalf("no *tls.CertificateVerificationError in %v", err)
	}
	var chain [][]byte
	for _, c := range cve.UnverifiedCertificates {
		chain = append(chain, c.Raw)
	}
	if len(chain) != 2 {
		t.Fatalf("the server sent %d certificates, expected leaf + intermediate", len(chain))
	}
	return chain
}

func TestHTTPWithExtraCAFromEnvironment(t *testing.T) {
	srv := startTLSServer(t)
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", pki("root.pem"))
	cfg, err := TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MinVersion != tls.VersionTLS12 {
		t.Errorf("MinVersion %x, want TLS 1.2", cfg.MinVersion)
	}
	body, err := get(t, client(cfg), srv.URL)
	if err != nil {
		t.Fatalf("GET %s with TRUSTBUNDLE_EXTRA_CA_CERTS=root.pem: %v", srv.URL, err)
	}
	if !strings.Contains(body, "hello") {
		t.Errorf("body %q", body)
	}

	// The same server by name: the leaf also has SAN DNS localhost.
	cfg.ServerName = "localhost"
	if _, err := get(t, client(cfg), srv.URL); err != nil {
		t.Fatalf("GET with ServerName localhost: %v", err)
	}
}

func TestHTTPWithExtraCAArgument(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig(CAData(readPKI(t, "root.pem")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, client(cfg), srv.URL); err != nil {
		t.Fatalf("GET with TLSConfig(CAData(root.pem)): %v", err)
	}
	// The argument is per call: a later config without it does not trust the server.
	cfg2, err := TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, client(cfg2), srv.URL); err == nil {
		t.Fatal("TLSConfig() trusts the test root after TLSConfig(CAData(root.pem)): the shared pool was modified")
	}
}

func TestHTTPWithoutExtraCAFails(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, client(cfg), srv.URL)
	if err == nil {
		t.Fatal("GET succeeded without the test root")
	}
	var uerr *url.Error
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &uerr) || !errors.As(err, &unknown) {
		t.Fatalf("got %T %v, want a *url.Error wrapping x509.UnknownAuthorityError", err, err)
	}

	// Our verdict on the chain the server sent: the same failure, typed.
	chain := capturedChain(t, err)
	_, verr := Verify(chain, VerifyOptions{Host: "127.0.0.1"})
	if !errors.Is(verr, ErrUnableToGetIssuer) {
		t.Fatalf("Verify(captured chain): %v, want ErrUnableToGetIssuer", verr)
	}
	var ve *VerificationError
	if !errors.As(verr, &ve) || ve.Reason != "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" || ve.Depth != 1 || ve.Hint == "" || ve.Host != "127.0.0.1" {
		t.Fatalf("VerificationError %+v", ve)
	}
	// And with the root as an extra CA the captured chain verifies, to the root.
	verified, verr := Verify(chain, VerifyOptions{Host: "127.0.0.1", ExtraCA: []CASource{CAPath(pki("root.pem"))}})
	if verr != nil || len(verified) != 3 {
		t.Fatalf("Verify with the extra CA: %d certificates, %v", len(verified), verr)
	}
}

func TestHTTPHostnameMismatch(t *testing.T) {
	srv := startTLSServer(t)
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", pki("root.pem"))
	cfg, err := TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.ServerName = "wrong.example.test"
	_, err = get(t, client(cfg), srv.URL)
	var hostErr x509.HostnameError
	if !errors.As(err, &hostErr) {
		t.Fatalf("got %v, want x509.HostnameError", err)
	}
	_, verr := Verify(capturedChain(t, err), VerifyOptions{Host: "wrong.example.test"})
	if !errors.Is(verr, ErrHostnameMismatch) {
		t.Fatalf("Verify(captured chain, wrong host): %v, want ErrHostnameMismatch", verr)
	}
	var ve *VerificationError
	if errors.As(verr, &ve); ve.Depth != 0 {
		t.Errorf("depth %d, want 0", ve.Depth)
	}
}

// TestHTTPVerifyConnection shows the core's verdict in a handshake: a
// tls.Config whose VerifyConnection asks a Store, so the error a client sees
// carries the shared reason.
func TestHTTPVerifyConnection(t *testing.T) {
	srv := startTLSServer(t)
	store, err := NewStore(StoreOptions{IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by VerifyConnection below
		VerifyConnection: func(cs tls.ConnectionState) error {
			var chain [][]byte
			for _, c := range cs.PeerCertificates {
				chain = append(chain, c.Raw)
			}
			// Not cs.ServerName: it is the SNI sent, empty for an IP
			// address, and an empty Host is refused rather than unchecked.
			_, err := store.Verify(chain, VerifyOptions{Host: "127.0.0.1"})
			return err
		},
		ServerName: "127.0.0.1",
	}
	_, err = get(t, client(cfg), srv.URL)
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("got %v, want ErrUnableToGetIssuer through net/http", err)
	}
}
