package fallback

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

// The fallback is set when the process starts, so each case runs this test
// binary again with its own environment (fallbackChild), and the child
// prints how many certificates x509.SystemCertPool holds and whether every
// server-trusted Mozilla root is among them.

const fallbackChild = "TRUSTBUNDLE_FALLBACK_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(fallbackChild) == "1" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

func child() int {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Println("error", err)
		return 0
	}
	roots, err := trustbundle.Roots()
	if err != nil {
		fmt.Println("error", err)
		return 0
	}
	all := true
	for _, r := range roots {
		if r.ServerTrust != trustbundle.TrustTrusted {
			continue
		}
		c, err := x509.ParseCertificate(r.DER)
		if err != nil {
			continue
		}
		probe := x509.NewCertPool()
		probe.AddCert(c)
		//lint:ignore SA1019 Subjects is the only way to look into a pool
		if !containsSubject(pool.Subjects(), probe.Subjects()[0]) {
			all = false
		}
	}
	//lint:ignore SA1019 as above
	fmt.Println(len(pool.Subjects()), all)
	return 0
}

func containsSubject(list [][]byte, s []byte) bool {
	for _, x := range list {
		if string(x) == string(s) {
			return true
		}
	}
	return false
}

func runChild(t *testing.T, env ...string) (count int, hasMozilla bool) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{fallbackChild + "=1", "GODEBUG="}, env...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 || f[0] == "error" {
		t.Fatalf("child printed %q", out)
	}
	count, _ = strconv.Atoi(f[0])
	return count, f[1] == "true"
}

func trustedRoots(t *testing.T) int {
	roots, err := trustbundle.Roots()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range roots {
		if r.ServerTrust == trustbundle.TrustTrusted {
			n++
		}
	}
	return n
}

// A system without roots (no bundle file, no directory): the default pool
// is Mozilla's roots.
func TestFallbackUsedWithoutSystemRoots(t *testing.T) {
	dir := t.TempDir()
	n, mozilla := runChild(t, "SSL_CERT_FILE="+filepath.Join(dir, "none.pem"), "SSL_CERT_DIR="+filepath.Join(dir, "none"))
	if want := trustedRoots(t); n != want || !mozilla {
		t.Fatalf("default pool: %d certificates (Mozilla's all there: %v), want the %d trusted roots", n, mozilla, want)
	}
}

// A system with roots: they are used, not the fallback; unless
// GODEBUG=x509usefallbackroots=1 forces it.
func TestFallbackNotUsedWithSystemRoots(t *testing.T) {
	one := filepath.Join(t.TempDir(), "one.pem")
	roots, err := trustbundle.Roots()
	if err != nil {
		t.Fatal(err)
	}
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: roots[0].DER})
	if err := os.WriteFile(one, block, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	if n, _ := runChild(t, "SSL_CERT_FILE="+one, "SSL_CERT_DIR="+empty); n != 1 {
		t.Fatalf("with a system bundle of one certificate, the default pool has %d", n)
	}
	n, mozilla := runChild(t, "SSL_CERT_FILE="+one, "SSL_CERT_DIR="+empty, "GODEBUG=x509usefallbackroots=1")
	if want := trustedRoots(t); n != want || !mozilla {
		t.Fatalf("forced: %d certificates, want the %d trusted roots", n, want)
	}
}

// The package's init set the fallback: a second call is an error, not a panic.
func TestSetFallbackRootsTwice(t *testing.T) {
	err := trustbundle.SetFallbackRoots()
	if !errors.Is(err, trustbundle.ErrInvalidArgument) || !strings.Contains(err.Error(), "already") {
		t.Fatalf("second SetFallbackRoots: %v", err)
	}
}
