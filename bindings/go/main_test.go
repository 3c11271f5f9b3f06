package trustbundle

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The repository around the module (tests/vectors, tests/pki, core/data),
// found relative to the package directory. Absent when the module is used
// from a module zip: the tests that need it skip.
var repoRoot = filepath.Join("..", "..")

// pkiDir is a fresh test PKI made by tests/pki/generate.py in TestMain; ""
// when it could not be made, with pkiSkip saying why.
var pkiDir, pkiSkip string

// pkiPython is the Python that made the PKI (it also runs tests/matrix/serve.py).
var pkiPython string

// TestMain makes the test PKI, keeps the tests out of the user's cache
// directory and environment, and removes what it made.
//
// Environment: TRUSTBUNDLE_PYTHON is the Python with `cryptography` to run
// the generator (default: the repository's build/venv, else python3);
// TRUSTBUNDLE_REQUIRE_PKI=1 (set by ci/test-go) turns a missing PKI into a
// failure instead of skipped tests.
func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	if mode := os.Getenv(benchChildEnv); mode != "" {
		return benchChild(mode) // a fresh process of BenchmarkRatios, not a test run
	}
	os.Unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS")
	scratch, err := os.MkdirTemp("", "tbgo-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(scratch)
	os.Setenv("TRUSTBUNDLE_CACHE_DIR", filepath.Join(scratch, "cache"))

	pkiSkip = makePKI(filepath.Join(scratch, "pki"))
	if pkiSkip != "" {
		if os.Getenv("TRUSTBUNDLE_REQUIRE_PKI") == "1" {
			fmt.Fprintln(os.Stderr, "TRUSTBUNDLE_REQUIRE_PKI=1 but the test PKI is unavailable: "+pkiSkip)
			return 1
		}
		fmt.Fprintln(os.Stderr, "note: tests that need the test PKI are skipped: "+pkiSkip)
	}
	return m.Run()
}

func makePKI(out string) (skip string) {
	generator := filepath.Join(repoRoot, "tests", "pki", "generate.py")
	if _, err := os.Stat(generator); err != nil {
		return "tests/pki/generate.py not found next to the module (running outside the repository?)"
	}
	var candidates []string
	if p := os.Getenv("TRUSTBUNDLE_PYTHON"); p != "" {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, filepath.Join(repoRoot, "build", "venv", "bin", "python"), "python3")
	python := ""
	for _, c := range candidates {
		if exec.Command(c, "-c", "import cryptography").Run() == nil {
			python = c
			break
		}
	}
	if python == "" {
		return "no Python with the cryptography package (set TRUSTBUNDLE_PYTHON or run ci/setup)"
	}
	if outp, err := exec.Command(python, generator, out).CombinedOutput(); err != nil {
		return fmt.Sprintf("%s %s failed: %v\n%s", python, generator, err, outp)
	}
	pkiDir, pkiPython = out, python
	return ""
}

// needPKI skips t when the test PKI could not be made.
func needPKI(t testing.TB) {
	t.Helper()
	if pkiDir == "" {
		t.Skip("test PKI unavailable: " + pkiSkip)
	}
}

// pki is the path of a file of the test PKI.
func pki(name string) string { return filepath.Join(pkiDir, filepath.FromSlash(name)) }

func readPKI(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(pki(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
