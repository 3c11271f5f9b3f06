// Package fallback, imported for its side effect, makes crypto/x509 fall
// back to Mozilla's roots (trustbundle's, with their distrust-after dates)
// when the system has no root store:
//
//	import _ "github.com/trustbundle/trustbundle/bindings/go/fallback"
//
// It calls trustbundle.SetFallbackRoots when the program starts, which says
// exactly when the roots are used (only when the system has none, or with
// GODEBUG=x509usefallbackroots=1). The fallback can be set once per
// process: importing this package and another fallback package
// (golang.org/x/crypto/x509roots/fallback) together panics at start-up.
package fallback

import trustbundle "github.com/trustbundle/trustbundle/bindings/go"

func init() {
	if err := trustbundle.SetFallbackRoots(); err != nil {
		panic(err)
	}
}
