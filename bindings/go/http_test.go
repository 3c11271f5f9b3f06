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

// verificationError is the *VerificationError inside err (a *url.Error from
// net/http), or a failure naming what err was instead.
func verificationError(t *testing.T, err error) *VerificationError {
	t.Helper()
	var uerr *url.Error
	var ve *VerificationError
	if !errors.As(err, &uerr) || !errors.As(err, &ve) {
		t.Fatalf("got %T %v, want a *url.Error wrapping *trustbundle.VerificationError", err, err)
	}
	if ve.Hint == "" || !strings.Contains(err.Error(), ve.Hint) {
		t.Errorf("hint %q missing from the error text %q", ve.Hint, err.Error())
	}
	return ve
}

func TestHTTPWithExtraCAFromEnvironment(t *testing.T) {
	srv := startTLSServer(t)
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", pki("root.pem"))
	cfg, err := TLSConfig(ForHost("127.0.0.1"))
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
	// The variable is read when the config is made, not at each handshake.
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", "")
	if _, err := get(t, client(cfg), srv.URL); err != nil {
		t.Fatalf("GET after unsetting the variable: %v", err)
	}
}

func TestHTTPWithExtraCAArgument(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig(CAData(readPKI(t, "root.pem")), ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, client(cfg), srv.URL); err != nil {
		t.Fatalf("GET with TLSConfig(CAData(root.pem)): %v", err)
	}
	// The argument is per call: a later config without it does not trust the server.
	cfg2, err := TLSConfig(ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, client(cfg2), srv.URL); err == nil {
		t.Fatal("TLSConfig() trusts the test root after TLSConfig(CAData(root.pem))")
	}
}

func TestHTTPWithoutExtraCAFails(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig(ForHost("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, client(cfg), srv.URL)
	if !errors.Is(err, ErrUnableToGetIssuer) {
		t.Fatalf("got %v, want ErrUnableToGetIssuer through net/http", err)
	}
	ve := verificationError(t, err)
	if ve.Reason != "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" || ve.Depth != 1 || ve.Host != "127.0.0.1" {
		t.Fatalf("VerificationError %+v", ve)
	}
	// crypto/x509's verdict is not consulted: no x509 error type inside.
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		t.Errorf("crypto/x509 verified too: %v", err)
	}
}

func TestHTTPHostnameMismatch(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig(CAPath(pki("root.pem")))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ServerName = "wrong.example.test"
	_, err = get(t, client(cfg), srv.URL)
	if !errors.Is(err, ErrHostnameMismatch) {
		t.Fatalf("got %v, want ErrHostnameMismatch", err)
	}
	if ve := verificationError(t, err); ve.Depth != 0 || ve.Host != "wrong.example.test" {
		t.Errorf("VerificationError %+v", ve)
	}
}

// An IP address is sent no SNI, so the hook sees no name: without ForHost
// the handshake fails (never accepted unchecked), with an *Error that says
// what to do, not a verdict on the chain.
func TestHTTPIPAddressNeedsForHost(t *testing.T) {
	srv := startTLSServer(t)
	cfg, err := TLSConfig(CAPath(pki("root.pem")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, client(cfg), srv.URL)
	var e *Error
	var ve *VerificationError
	if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &e) || errors.As(err, &ve) || !strings.Contains(e.Message, "ForHost") {
		t.Fatalf("got %v, want an ErrInvalidArgument naming ForHost", err)
	}
	// ForHost of another address: that address is what is verified.
	cfg, err = TLSConfig(CAPath(pki("root.pem")), ForHost("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, client(cfg), srv.URL)
	if !errors.Is(err, ErrIPAddressMismatch) {
		t.Fatalf("got %v, want ErrIPAddressMismatch", err)
	}
}
