//go:build !cgo && !unix

package native

import (
	"io/fs"
	"os"
)

// ownerProblem: on Windows the directory's access is an ACL, which this
// build does not read; the directory must still be a real directory (no
// link), checked by the caller. Documented in bindings/go/README.md.
func ownerProblem(fs.FileInfo) string { return "" }

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
