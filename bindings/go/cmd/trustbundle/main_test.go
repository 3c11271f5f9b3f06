package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// pki writes a root and a leaf for a.example.test (ECDSA P-256) into a temp
// directory and returns the directory.
func pki(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rootKey, leafKey := key(), key()
	root := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CLI Test Root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, root, root, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "a.example.test"}, DNSNames: []string{"a.example.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(12 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	rootCert, _ := x509.ParseCertificate(rootDER)
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, rootCert, &leafKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, der []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("root.pem", rootDER)
	write("leaf.pem", leafDER)
	return dir
}

func TestBundleCommands(t *testing.T) {
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", t.TempDir())
	code, out, _ := runCLI(t, "info")
	if code != 0 || !strings.Contains(out, "Mozilla NSS builtins "+trustbundle.BundleNSSVersion()) {
		t.Errorf("info: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "info", "--json")
	var info map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || info["bundle_version"] != trustbundle.BundleVersion() {
		t.Errorf("info --json: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "pem")
	if code != 0 || out != string(trustbundle.PEM()) {
		t.Errorf("pem: %d, %d bytes", code, len(out))
	}
	code, out, _ = runCLI(t, "where")
	where, _ := trustbundle.Where()
	if code != 0 || strings.TrimSpace(out) != where {
		t.Errorf("where: %d %q, want %q", code, out, where)
	}
	code, out, _ = runCLI(t, "capath")
	if code != 0 || filepath.Base(strings.TrimSpace(out)) != "capath" {
		t.Errorf("capath: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "list")
	if roots, _ := trustbundle.Roots(); code != 0 || strings.Count(out, "\n") != len(roots) {
		t.Errorf("list: %d, %d lines", code, strings.Count(out, "\n"))
	}
	if code, _, errOut := runCLI(t, "where", "extra"); code != 2 || !strings.Contains(errOut, "--help") {
		t.Errorf("where extra: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t); code != 2 {
		t.Errorf("no command: %d", code)
	}
	if code, _, _ := runCLI(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: %d", code)
	}
	if code, out, _ := runCLI(t, "verify", "--help"); code != 0 || !strings.Contains(out, "usage: trustbundle verify") {
		t.Errorf("verify --help: %d %q", code, out)
	}
}

func TestVerifyExitCodes(t *testing.T) {
	dir := pki(t)
	leaf, root := filepath.Join(dir, "leaf.pem"), filepath.Join(dir, "root.pem")

	code, out, _ := runCLI(t, "verify", leaf, "--host", "a.example.test", "--roots", root)
	if code != 0 || !strings.HasPrefix(out, "OK: verified (2 certificates)") {
		t.Errorf("accepted chain: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "verify", "--extra-ca", root, leaf, "--host", "a.example.test", "--json")
	var v verifyJSON
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !v.OK || len(v.Chain) != 2 {
		t.Errorf("--json accepted: %d %q", code, out)
	}
	code, out, errOut := runCLI(t, "verify", leaf, "--host", "a.example.test")
	if code != 1 || !strings.HasPrefix(out, "REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 0") || !strings.Contains(errOut, "rejected:") {
		t.Errorf("rejected chain: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "verify", leaf, "--host", "b.example.test", "--roots", root, "--json")
	if code != 1 || json.Unmarshal([]byte(out), &v) != nil || v.OK || v.Reason != "HOSTNAME_MISMATCH" || v.Depth != 0 {
		t.Errorf("--json rejected: %d %q", code, out)
	}
	code, _, _ = runCLI(t, "verify", leaf, "--roots", root, "--at", "2000-01-01T00:00:00Z")
	if code != 1 {
		t.Errorf("not yet valid: %d", code)
	}
	for _, bad := range [][]string{
		{"verify", filepath.Join(dir, "missing.pem")},
		{"verify", root, "--roots", filepath.Join(dir, "missing.pem")},
		{"verify", leaf, "--at", "yesterday"},
		{"verify", leaf, "--purpose", "email"},
		{"verify", leaf, "--bogus"},
		{"verify"},
		{"check-pair", leaf},
	} {
		if code, _, errOut := runCLI(t, bad...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a reason", bad, code, errOut)
		}
	}
}
