// Package core holds no Go API but the two bundle files at the end, read by
// the pure-Go build of bindings/go. It exists because Go's build cache hashes
// only the files in a package's own directory: the cgo package
// bindings/go/internal/native compiles the C++ sources below by #include,
// and imports this package for its side effect, so that a change to any core
// source, header or the generated bundle data changes this package's
// compiled form, and with it the cgo package's cache key. The linker drops
// buildInputs (nothing reads it).
package core

import "embed"

//go:embed src cli include data/bundle_data.inc
var buildInputs embed.FS

// The generated bundle as files, for the pure-Go build of bindings/go (it
// has no core to ask): the same bytes the core embeds, checked against the
// core by the cgo build's tests. Unused, and dropped, in the cgo build.
var (
	//go:embed data/cacert.pem
	CACertPEM string
	//go:embed data/manifest.json
	ManifestJSON string
)
