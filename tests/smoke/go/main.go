// The smoke program of issue 8, Go edition: usage smoke PKI_DIR.
//
// A module of its own that requires the published trustbundle module at the
// version in VERSION, resolved through a module proxy (ci/install-check uses
// a file-based one, GOPROXY=file://DIST/goproxy). Prints, through the
// package's public API only, the lines every other edition (smoke.py,
// smoke.js, smoke.rb) prints byte for byte:
//
//	bundle_version <BundleVersion()>
//	root_count <len(Roots())>
//	contents_sha256 <SHA-256 of PEM(), the contents of Where(), hex>
//	<valid|expired|wrong_host> <OK|REASON> depth=<d> hint=<hint>
//
// PKI_DIR is the output of tests/pki/generate.py; the chains are those of
// tests/vectors/verify.json (see smoke.py). An accepted chain prints
// depth=-1 and an empty hint. The module version it was built with goes to
// stderr.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	trustbundle "github.com/trustbundle/trustbundle/bindings/go"
)

const modulePath = "github.com/trustbundle/trustbundle"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: smoke PKI_DIR")
		os.Exit(2)
	}
	pki := os.Args[1]
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(pki, name))
		if err != nil {
			fail(err)
		}
		return b
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	root := trustbundle.CAPath(filepath.Join(pki, "root.pem"))
	chains := []struct {
		name  string
		files []string
		host  string
	}{
		{"valid", []string{"valid/leaf.pem", "valid/intermediate.pem"}, "a.example.test"},
		{"expired", []string{"expired/leaf.pem", "intermediate.pem"}, "a.example.test"},
		{"wrong_host", []string{"valid/leaf.pem", "valid/intermediate.pem"}, "wrong.example.test"},
	}

	roots, err := trustbundle.Roots()
	if err != nil {
		fail(err)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "bundle_version %s\n", trustbundle.BundleVersion())
	fmt.Fprintf(&out, "root_count %d\n", len(roots))
	fmt.Fprintf(&out, "contents_sha256 %x\n", sha256.Sum256(trustbundle.PEM()))
	for _, c := range chains {
		chain := make([][]byte, 0, len(c.files))
		for _, f := range c.files {
			chain = append(chain, read(f))
		}
		_, err := trustbundle.Verify(chain, trustbundle.VerifyOptions{
			Host: c.host, At: at, ExtraCA: []trustbundle.CASource{root},
		})
		var ve *trustbundle.VerificationError
		switch {
		case err == nil:
			fmt.Fprintf(&out, "%s OK depth=-1 hint=\n", c.name)
		case errors.As(err, &ve):
			fmt.Fprintf(&out, "%s %s depth=%d hint=%s\n", c.name, ve.Reason, ve.Depth, ve.Hint)
		default:
			fail(err)
		}
	}
	os.Stdout.WriteString(out.String())

	from := "(no build info)"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == modulePath {
				from = dep.Path + "@" + dep.Version
				if dep.Replace != nil {
					from += " => " + dep.Replace.Path + " " + dep.Replace.Version
				}
			}
		}
	}
	fmt.Fprintf(os.Stderr, "smoke (go): trustbundle %s from %s\n", trustbundle.LibraryVersion(), from)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "smoke:", err)
	os.Exit(1)
}
