//go:build !cgo && unix

package native

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ownerProblem: the directory must be the user's and not group/other-writable.
func ownerProblem(st fs.FileInfo) string {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return "its owner cannot be read"
	}
	if int(sys.Uid) != os.Geteuid() {
		return fmt.Sprintf("it belongs to uid %d, not to you (uid %d)", sys.Uid, os.Geteuid())
	}
	if st.Mode().Perm()&0o022 != 0 {
		return fmt.Sprintf("group or others may write to it (mode %04o)", uint32(sys.Mode)&0o7777)
	}
	return ""
}

// openNonBlocking opens for reading without waiting on a FIFO (read_file).
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
