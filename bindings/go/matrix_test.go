package trustbundle

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The shared real-client matrix (tests/matrix/README.md) through net/http:
// every scenario of scenarios.json, served by tests/matrix/serve.py on
// 127.0.0.1, requested with an http.Transport whose TLSClientConfig is
// TLSConfig, once with TLS 1.3 and once capped at TLS 1.2, and once more
// through Transport (TLS 1.3).

type matrixScenario struct {
	Name              string   `json:"name"`
	Served            string   `json:"served"`
	Host              string   `json:"host"`
	ExtraCA           []string `json:"extra_ca"`
	RequireClientCert bool     `json:"require_client_cert"`
	ClientCert        *struct {
		Cert string `json:"cert"`
		Key  string `json:"key"`
	} `json:"client_cert"`
	Expect struct {
		Verify   string `json:"verify"`
		Connects bool   `json:"connects"`
	} `json:"expect"`
}

type matrixServers struct {
	Ports   map[string]int `json:"ports"`
	Control int            `json:"control"`
}

func loadScenarios(t *testing.T) []matrixScenario {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "tests", "matrix", "scenarios.json"))
	if err != nil {
		t.Skip("tests/matrix/scenarios.json not next to the module: ", err)
	}
	var doc struct {
		Clients   map[string][]string `json:"clients"`
		Scenarios []matrixScenario    `json:"scenarios"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Clients["go"]; len(got) != 1 || got[0] != "net/http" {
		t.Fatalf("scenarios.json lists Go clients %q; this test runs net/http only", got)
	}
	return doc.Scenarios
}

// startMatrix runs serve.py until the test ends (closing its standard input
// stops it).
func startMatrix(t *testing.T) matrixServers {
	t.Helper()
	cmd := exec.Command(pkiPython, filepath.Join(repoRoot, "tests", "matrix", "serve.py"), pkiDir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve.py printed no ports: %v", err)
	}
	var s matrixServers
	if err := json.Unmarshal([]byte(line), &s); err != nil {
		t.Fatalf("serve.py printed %q: %v", line, err)
	}
	return s
}

func (s matrixServers) requests(t *testing.T, scenario string) int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/requests", s.Control))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var counts map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&counts); err != nil {
		t.Fatal(err)
	}
	return counts[scenario]
}

// matrixClient is net/http with TLSConfig for scenario sc; "localhost" is
// dialled as 127.0.0.1 (the servers listen there only), the URL and so the
// server name stay as the scenario says.
func matrixClient(t *testing.T, sc matrixScenario, maxVersion uint16) *http.Client {
	t.Helper()
	var opts []TLSOption
	for _, ca := range sc.ExtraCA {
		opts = append(opts, CAPath(pki(ca)))
	}
	if net.ParseIP(sc.Host) != nil {
		opts = append(opts, ForHost(sc.Host))
	}
	cfg, err := TLSConfig(opts...)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxVersion = maxVersion
	if sc.ClientCert != nil {
		pair, err := tls.LoadX509KeyPair(pki(sc.ClientCert.Cert), pki(sc.ClientCert.Key))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: cfg,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
		},
	}}
}

// matrixVerify is verify() of the served chain, as every cell's anchor.
func matrixVerify(t *testing.T, sc matrixScenario) (reason string, ve *VerificationError) {
	t.Helper()
	var extra []CASource
	for _, ca := range sc.ExtraCA {
		extra = append(extra, CAPath(pki(ca)))
	}
	_, err := Verify([][]byte{readPKI(t, sc.Served)}, VerifyOptions{Host: sc.Host, ExtraCA: extra})
	if err == nil {
		return "OK", nil
	}
	if !errors.As(err, &ve) {
		t.Fatalf("verify(%s): %v, not a verdict", sc.Served, err)
	}
	return ve.Reason, ve
}

func TestMatrix(t *testing.T) {
	needPKI(t)
	scenarios := loadScenarios(t)
	servers := startMatrix(t)
	for _, variant := range []struct {
		name      string
		max       uint16
		transport bool
	}{{"TLS1.3", tls.VersionTLS13, false}, {"TLS1.2", tls.VersionTLS12, false}, {"Transport", tls.VersionTLS13, true}} {
		for _, sc := range scenarios {
			t.Run(variant.name+"/"+sc.Name, func(t *testing.T) {
				if sc.Name == "distrusted-root" {
					needCore(t, "the scenario's distrust date comes from a certdata.txt CA source")
				}
				c := matrixClient(t, sc, variant.max)
				if variant.transport {
					c = matrixTransportClient(t, sc)
				}
				runMatrixCell(t, servers, sc, c, variant.max)
			})
		}
	}
}

// matrixTransportClient is net/http with Transport(extra CAs): the host it
// dials is verified, an IP address without ForHost.
func matrixTransportClient(t *testing.T, sc matrixScenario) *http.Client {
	t.Helper()
	var opts []TLSOption
	for _, ca := range sc.ExtraCA {
		opts = append(opts, CAPath(pki(ca)))
	}
	tr, err := Transport(opts...)
	if err != nil {
		t.Fatal(err)
	}
	tr.Proxy = nil // straight to 127.0.0.1, whatever the environment says
	if sc.ClientCert != nil {
		pair, err := tls.LoadX509KeyPair(pki(sc.ClientCert.Cert), pki(sc.ClientCert.Key))
		if err != nil {
			t.Fatal(err)
		}
		tr.TLSClientConfig.Certificates = []tls.Certificate{pair}
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Timeout: 20 * time.Second, Transport: tr}
}

func runMatrixCell(t *testing.T, servers matrixServers, sc matrixScenario, client *http.Client, maxVersion uint16) {
	reason, want := matrixVerify(t, sc)
	if reason != sc.Expect.Verify {
		t.Fatalf("verify() says %s, scenarios.json %s", reason, sc.Expect.Verify)
	}
	port, ok := servers.Ports[sc.Name]
	if !ok {
		t.Fatalf("serve.py has no server for %s", sc.Name)
	}
	before := servers.requests(t, sc.Name)
	resp, err := client.Get(fmt.Sprintf("https://%s/", net.JoinHostPort(sc.Host, fmt.Sprint(port))))
	if err == nil {
		defer resp.Body.Close()
	}
	switch {
	case sc.Expect.Connects:
		if err != nil {
			t.Fatalf("GET failed: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || string(body) != "ok "+sc.Name+"\n" {
			t.Fatalf("status %d, body %q", resp.StatusCode, body)
		}
		if resp.TLS == nil || resp.TLS.Version != maxVersion {
			t.Errorf("negotiated %v, want version %x", resp.TLS, maxVersion)
		}
		return
	case sc.Expect.Verify != "OK":
		if err == nil {
			t.Fatalf("GET succeeded (status %d), verify() says %s", resp.StatusCode, reason)
		}
		ve := verificationError(t, err)
		if ve.Reason != want.Reason || ve.Depth != want.Depth || ve.Hint != want.Hint || ve.Message != want.Message {
			t.Errorf("through net/http: %s at depth %d (hint %q); verify(): %s at depth %d (hint %q)",
				ve.Reason, ve.Depth, ve.Hint, want.Reason, want.Depth, want.Hint)
		}
		if !errors.Is(err, reasonSentinels[want.ReasonCode]) {
			t.Errorf("errors.Is(err, %v) is false", reasonSentinels[want.ReasonCode])
		}
	default: // the server refuses the handshake (no client certificate)
		if err == nil {
			t.Fatalf("GET succeeded (status %d) without a client certificate", resp.StatusCode)
		}
		var ve *VerificationError
		if errors.As(err, &ve) {
			t.Fatalf("a refusal by the server reported as a verification failure: %v", err)
		}
		if !sc.RequireClientCert {
			t.Fatalf("scenario %s neither connects nor fails verification", sc.Name)
		}
		t.Logf("refused by the server: %v", err)
	}
	if after := servers.requests(t, sc.Name); after != before {
		t.Errorf("the server received %d HTTP requests over a refused connection", after-before)
	}
}
