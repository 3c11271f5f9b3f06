//go:build !cgo

package trustbundle

import (
	"context"
	"errors"
	"testing"
)

// cgoBuild: these tests run against the pure-Go build (CGO_ENABLED=0).
const cgoBuild = false

// pureGoDiffers names each shared vector whose verdict the pure-Go build
// cannot give, and why (bindings/go/README.md, "Without cgo"). Each listed
// case must fail with ErrUnsupported: one that starts to work fails the test
// until it is taken off the list.
var pureGoDiffers = map[string]string{
	"distrust-after-violated":             "certdata.txt CA sources need the core's parser",
	"distrust-after-respected":            "certdata.txt CA sources need the core's parser",
	"key-pair-match":                      "CheckKeyPair needs the core",
	"key-pair-mismatch":                   "CheckKeyPair needs the core",
	"key-pair-mismatch-key-type":          "CheckKeyPair needs the core",
	"key-pair-encrypted":                  "CheckKeyPair needs the core",
	"key-pair-encrypted-wrong-passphrase": "CheckKeyPair needs the core",
	"key-pair-encrypted-no-passphrase":    "CheckKeyPair needs the core",
	"key-pair-no-client-auth":             "CheckKeyPair needs the core",
	"key-pair-expired":                    "CheckKeyPair needs the core",
	"key-pair-not-yet-valid":              "CheckKeyPair needs the core",
}

// needCore skips t in the pure-Go build, saying what it needs.
func needCore(t *testing.T, why string) {
	t.Helper()
	t.Skip("pure-Go build (CGO_ENABLED=0): " + why + " (ErrUnsupported, checked by TestUnsupportedWithoutCgo)")
}

// What only the core can do fails with ErrUnsupported, an *Error whose
// Status is UNSUPPORTED and whose message names the cgo build.
func TestUnsupportedWithoutCgo(t *testing.T) {
	needPKI(t)
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", t.TempDir())
	check := func(what string, err error) {
		t.Helper()
		var e *Error
		if !errors.Is(err, ErrUnsupported) || !errors.As(err, &e) || e.Status != "UNSUPPORTED" {
			t.Errorf("%s: got %v, want ErrUnsupported", what, err)
		}
	}
	_, err := Diagnose(context.Background(), "127.0.0.1:1", DiagnoseOptions{})
	check("Diagnose", err)
	_, err = CheckKeyPair(readPKI(t, "mtls/client.pem"), readPKI(t, "mtls/client.key"), "")
	check("CheckKeyPair", err)
	_, err = Capath()
	check("Capath", err)
	_, err = NewStore(StoreOptions{System: true})
	check("StoreOptions.System", err)
	_, err = NewStore(StoreOptions{ExtraCA: []CASource{CAPath(pki("distrust-certdata.txt"))}})
	check("a certdata.txt CA source", err)
	_, err = CACerts(CAData(readPKI(t, "distrust-certdata.txt")))
	check("a certdata.txt CA source as bytes", err)
}
