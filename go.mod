// The Go module is the repository, so cgo compiles the C++ core where it
// lives (bindings/go/internal/native includes core/src). The package is
// github.com/trustbundle/trustbundle/bindings/go; versions are the
// repository's tags vX.Y.Z (bindings/go/README.md).
module github.com/trustbundle/trustbundle

go 1.22
