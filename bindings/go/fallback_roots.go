package trustbundle

import (
	"crypto/x509"
	"fmt"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// SetFallbackRoots gives crypto/x509 Mozilla's roots (as in CACerts, with
// their distrust-after dates as constraints; no extra CAs) as its fallback
// roots, through x509.SetFallbackRoots, so a program that verifies with the
// default roots (tls.Config with nil RootCAs, http.DefaultClient) works on
// a system without a root store, such as a scratch or distroless container.
//
// As with x509.SetFallbackRoots, the roots are used only when the system
// has none: on Linux, when no certificate is found in SSL_CERT_FILE /
// SSL_CERT_DIR or the usual bundle files and directories (on macOS and
// Windows the platform verifier is always available, so never), unless the
// program runs with GODEBUG=x509usefallbackroots=1, which forces them
// everywhere. The fallback can be set once per process: a second call, or
// a call after another package (golang.org/x/crypto/x509roots/fallback) set
// it, returns an error instead of x509's panic.
//
// This is crypto/x509's verification with Mozilla's roots, not the core's:
// for the core's verdict, reasons and hints, use TLSConfig. Importing the
// package .../bindings/go/fallback for its side effect calls this function.
func SetFallbackRoots() (err error) {
	pool, err := sharedPool()
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = newError(native.StatusInvalidArgument, fmt.Sprintf("x509.SetFallbackRoots: %v", r))
		}
	}()
	x509.SetFallbackRoots(pool.Clone())
	return nil
}
