// Package core holds no Go API. It exists because Go's build cache hashes
// only the files in a package's own directory: the cgo package
// bindings/go/internal/native compiles the C++ sources below by #include,
// and imports this package for its side effect, so that a change to any core
// source, header or the generated bundle data changes this package's
// compiled form, and with it the cgo package's cache key. The linker drops
// the embedded bytes (nothing reads them).
package core

import "embed"

//go:embed src cli include data/bundle_data.inc
var buildInputs embed.FS
