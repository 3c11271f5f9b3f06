package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

// tool builds this command once per test binary run.
func tool(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "trustbundle")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func run(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// The command is the core's tool: its commands, output and exit codes
// (ci/install-check compares them byte for byte with the other packages').
func TestTheCoresTool(t *testing.T) {
	bin := tool(t)
	if !cgoBuild {
		// The pure-Go build has no core to run: one clear error, exit 2.
		code, out, errOut := run(t, bin, nil, "--version")
		if code != 2 || out != "" || !strings.Contains(errOut, "the command-line tool needs the core: build with cgo") {
			t.Errorf("without cgo: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		return
	}
	env := []string{"TRUSTBUNDLE_CACHE_DIR=" + t.TempDir(), "TRUSTBUNDLE_EXTRA_CA_CERTS="}

	code, out, _ := run(t, bin, env, "--version")
	if code != 0 || !strings.Contains(out, trustbundle.LibraryVersion()) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	code, out, _ = run(t, bin, env, "info", "--json")
	var info struct {
		RootCount int `json:"root_count"`
	}
	if err := json.Unmarshal([]byte(out), &info); code != 0 || err != nil {
		t.Errorf("info --json: exit %d, %v: %q", code, err, out)
	}
	roots, _ := trustbundle.Roots()
	if info.RootCount != len(roots) {
		t.Errorf("info --json: root_count %d, Roots() %d", info.RootCount, len(roots))
	}
	code, out, _ = run(t, bin, env, "pem")
	if code != 0 || out != string(trustbundle.PEM()) {
		t.Errorf("pem: exit %d, %d bytes, want PEM() (%d bytes)", code, len(out), len(trustbundle.PEM()))
	}
	code, out, _ = run(t, bin, env, "where")
	if b, err := os.ReadFile(strings.TrimSpace(out)); code != 0 || err != nil || string(b) != string(trustbundle.PEM()) {
		t.Errorf("where: exit %d, %q: %v", code, out, err)
	}

	// A rejected chain is exit 1 with the shared reason; bad usage exit 2.
	leaf := filepath.Join(t.TempDir(), "self-signed.pem")
	if err := os.WriteFile(leaf, selfSigned(t), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, bin, env, "verify", leaf, "--host", "a.example.test", "--json")
	if code != 1 || !strings.Contains(out, `"reason": "SELF_SIGNED"`) {
		t.Errorf("verify of a self-signed leaf: exit %d, %q", code, out)
	}
	code, _, errOut := run(t, bin, env, "no-such-command")
	if code != 2 || errOut == "" {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
	code, out, _ = run(t, bin, env, "verify", "--help")
	if code != 0 || !strings.Contains(out, "trustbundle verify") {
		t.Errorf("verify --help: exit %d, %q", code, out)
	}
}

// selfSigned is a PEM leaf for a.example.test that signs itself, valid from
// an hour ago for a day.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "a.example.test"}, DNSNames: []string{"a.example.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
