package trustbundle

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// HTTPS through TLSConfig against Go's default stack (the system pool from
// x509.SystemCertPool, plus the test root so both connect), measured in the
// same run: the first verified request of a fresh process (config, TCP,
// handshake, verification, one GET) and later connections (a new TLS
// connection per GET, no keep-alive, no session resumption).

func httpsServer(b testing.TB) *httptest.Server {
	needPKI(b)
	cert, err := tls.LoadX509KeyPair(pki("server-localhost/fullchain.pem"), pki("server-localhost/leaf.key"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	b.Cleanup(srv.Close)
	return srv
}

// oursHTTPSConfig and anchorHTTPSConfig are what a program writes for each
// stack, trusting the test root at rootPath.
func oursHTTPSConfig(rootPath string) (*tls.Config, error) {
	return TLSConfig(CAPath(rootPath), ForHost("127.0.0.1"))
}

func anchorHTTPSConfig(rootPath string) (*tls.Config, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		return nil, err
	}
	root, err := os.ReadFile(rootPath)
	if err != nil {
		return nil, err
	}
	if !pool.AppendCertsFromPEM(root) {
		return nil, fmt.Errorf("%s: no certificate", rootPath)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

func httpsGet(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && string(body) != "ok" {
		err = fmt.Errorf("body %q", body)
	}
	return err
}

func connectionOp(cfg *tls.Config, url string) op {
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}}
	return func() error { return httpsGet(c, url) }
}

// laterConnections returns both stacks' per-connection ops against srv.
func laterConnections(b testing.TB, srv *httptest.Server) (ours, anchor op) {
	oc, err := oursHTTPSConfig(pki("root.pem"))
	if err != nil {
		b.Fatal(err)
	}
	ac, err := anchorHTTPSConfig(pki("root.pem"))
	if err != nil {
		b.Fatal(err)
	}
	return connectionOp(oc, srv.URL), connectionOp(ac, srv.URL)
}

func BenchmarkHTTPSConnectionTLSConfig(b *testing.B) {
	ours, _ := laterConnections(b, httpsServer(b))
	loop(b, ours)
}

func BenchmarkHTTPSConnectionStdlib(b *testing.B) {
	_, anchor := laterConnections(b, httpsServer(b))
	loop(b, anchor)
}

// httpsChild is the fresh process of firstRequests: it times one first
// request with the given stack and prints the nanoseconds.
func httpsChild(mode string) (time.Duration, error) {
	url, root := os.Getenv(benchChildEnv+"_URL"), os.Getenv(benchChildEnv+"_ROOT")
	t0 := time.Now()
	var cfg *tls.Config
	var err error
	if mode == "https-ours" {
		cfg, err = oursHTTPSConfig(root)
	} else {
		cfg, err = anchorHTTPSConfig(root)
	}
	if err != nil {
		return 0, err
	}
	if err := httpsGet(&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}, url); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// firstRequests runs fresh processes, alternating, and returns the medians
// of ours and the anchor and the median of the per-pair ratios.
func firstRequests(b *testing.B, srv *httptest.Server, pairs int) pair {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	one := func(mode string) float64 {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), benchChildEnv+"="+mode, benchChildEnv+"_URL="+srv.URL, benchChildEnv+"_ROOT="+pki("root.pem"))
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("child %s: %v", mode, err)
		}
		ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		if err != nil {
			b.Fatalf("child %s printed %q", mode, out)
		}
		return ns
	}
	one("https-ours") // warm the page cache, not counted
	one("https-anchor")
	var o, a, r []float64
	for i := 0; i < pairs; i++ {
		x, y := one("https-ours"), one("https-anchor")
		o, a, r = append(o, x), append(a, y), append(r, x/y)
	}
	return pair{median(o), median(a), median(r)}
}
