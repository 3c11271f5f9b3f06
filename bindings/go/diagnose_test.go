//go:build cgo

package trustbundle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Diagnose against the matrix's real servers on 127.0.0.1: the verdict and
// reason are verify()'s for the served chain, the findings name the problem
// with a fix on each side, and the text and JSON are the core's.

func diagnoseScenario(t *testing.T, servers matrixServers, sc matrixScenario, opts DiagnoseOptions) *Diagnosis {
	t.Helper()
	for _, ca := range sc.ExtraCA {
		opts.ExtraCA = append(opts.ExtraCA, CAPath(pki(ca)))
	}
	if net.ParseIP(sc.Host) == nil {
		opts.ServerName = sc.Host
	}
	d, err := Diagnose(context.Background(), fmt.Sprintf("127.0.0.1:%d", servers.Ports[sc.Name]), opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func findingCodes(d *Diagnosis) []string {
	var codes []string
	for _, f := range d.Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

func TestDiagnoseMatrix(t *testing.T) {
	needPKI(t)
	scenarios := loadScenarios(t)
	servers := startMatrix(t)
	wantFinding := map[string]string{
		"missing-intermediate":     "MISSING_INTERMEDIATE",
		"expired":                  "LEAF_EXPIRED",
		"wrong-host":               "NAME_MISMATCH",
		"unknown-root":             "UNKNOWN_ROOT",
		"client-cert-required":     "CLIENT_CERT_REQUIRED",
		"out-of-order":             "OUT_OF_ORDER",
		"intermediate-as-extra-ca": "",
		"distrusted-root":          "",
	}
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			var opts DiagnoseOptions
			if sc.ClientCert != nil {
				opts.ClientCert, opts.ClientKey = pki(sc.ClientCert.Cert), pki(sc.ClientCert.Key)
			}
			d := diagnoseScenario(t, servers, sc, opts)
			reason, ve := matrixVerify(t, sc)
			if d.Reason != reason {
				t.Errorf("Diagnose reason %s, verify() %s", d.Reason, reason)
			}
			if ve != nil && d.Hint != ve.Hint {
				t.Errorf("Diagnose hint %q, verify() %q", d.Hint, ve.Hint)
			}
			switch {
			case sc.Expect.Connects:
				if d.Verdict != "OK" || !d.OK() || d.ExitCode() != 0 || d.Failure != "NONE" || len(d.Findings) > 0 && d.Findings[0].Severity == "error" {
					t.Errorf("verdict %s, failure %s, findings %v", d.Verdict, d.Failure, findingCodes(d))
				}
				if !strings.HasPrefix(d.Protocol, "TLSv1.") || d.Cipher == "" {
					t.Errorf("protocol %q, cipher %q", d.Protocol, d.Cipher)
				}
			default:
				if d.Verdict != "REJECTED" || d.ExitCode() != 1 || d.FixClient+d.FixServer == "" {
					t.Errorf("verdict %s, fixes %q / %q", d.Verdict, d.FixClient, d.FixServer)
				}
			}
			if sc.RequireClientCert && !d.ClientCertRequested {
				t.Error("the server's certificate request was not seen")
			}
			served := strings.Count(string(readPKI(t, sc.Served)), "BEGIN CERTIFICATE")
			if len(d.Chain) != served || d.Chain[0].Subject == "" || len(d.Chain[0].DER) == 0 || len(d.Chain[0].SHA256) != 64 {
				t.Errorf("chain of %d certificates (served %d): %+v", len(d.Chain), served, d.Chain)
			}
			if code, ok := wantFinding[sc.Name]; ok && code != "" {
				found := false
				for _, f := range d.Findings {
					if f.Code == code {
						found = true
						if f.Severity == "" || f.Message == "" || f.FixClient+f.FixServer == "" {
							t.Errorf("finding %+v lacks a severity, message or fix", f)
						}
					}
				}
				if !found {
					t.Errorf("findings %v, want %s", findingCodes(d), code)
				}
			}
			if sc.Name == "missing-intermediate" && (!strings.Contains(d.FixClient, "ExtraCA: []trustbundle.CASource{") || strings.Contains(d.Text, "--extra-ca")) {
				t.Errorf("the client fix does not name DiagnoseOptions.ExtraCA:\n%s", d.Text)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(d.JSON), &doc); err != nil {
				t.Errorf("JSON: %v", err)
			}
			if !strings.Contains(d.Text, d.Message) || doc["verdict"] == nil {
				t.Errorf("the text report lacks the verdict line %q, or the JSON the verdict:\n%s\n%s", d.Message, d.Text, d.JSON)
			}
		})
	}
}

func TestDiagnoseUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	d, err := Diagnose(context.Background(), addr, DiagnoseOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != "UNREACHABLE" || d.Failure != "CONNECTION_REFUSED" || d.ExitCode() != 2 || d.Reason != "" || len(d.Chain) != 0 {
		t.Fatalf("verdict %s, failure %s, reason %q", d.Verdict, d.Failure, d.Reason)
	}
}

func TestDiagnoseBadOptions(t *testing.T) {
	ctx := context.Background()
	if _, err := Diagnose(ctx, "127.0.0.1:1", DiagnoseOptions{Timeout: -time.Second}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("negative timeout: %v", err)
	}
	if _, err := Diagnose(ctx, "127.0.0.1:1", DiagnoseOptions{ClientKey: "client.key"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("key without cert: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	if _, err := Diagnose(ctx, "127.0.0.1:1", DiagnoseOptions{ClientCert: missing}); !errors.Is(err, ErrIO) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing client certificate file: %v", err)
	}
	notCert := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notCert, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Diagnose(ctx, "127.0.0.1:1", DiagnoseOptions{ClientCert: notCert}); !errors.Is(err, ErrParse) {
		t.Errorf("bad client certificate: %v", err)
	}
	if _, err := Diagnose(ctx, "", DiagnoseOptions{}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("empty target: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Diagnose(canceled, "127.0.0.1:1", DiagnoseOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}

// An encrypted client key needs its passphrase.
func TestDiagnosePassphrase(t *testing.T) {
	needPKI(t)
	_, err := Diagnose(context.Background(), "127.0.0.1:1", DiagnoseOptions{
		ClientCert: pki("mtls/client.pem"), ClientKey: pki("mtls/client-encrypted.key")})
	if !errors.Is(err, ErrPassphrase) {
		t.Fatalf("encrypted key without a passphrase: %v", err)
	}
	d, err := Diagnose(context.Background(), "127.0.0.1:1", DiagnoseOptions{Timeout: 5 * time.Second,
		ClientCert: pki("mtls/client.pem"), ClientKey: pki("mtls/client-encrypted.key"), Passphrase: "correct horse"})
	if err != nil || d.Verdict != "UNREACHABLE" {
		t.Fatalf("with the passphrase: %v, %+v", err, d)
	}
}
