//go:build !cgo

package native

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The core's cache rules (core/src/bundle/materialize.cpp, file_ops.cpp),
// in Go: the same directory, the same checks, the same atomic write.

func stripTrailingSlashes(p string) string {
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
	}
	return p
}

// defaultCacheDirectory is default_cache_directory().
func defaultCacheDirectory() (string, error) {
	base := os.Getenv("TRUSTBUNDLE_CACHE_DIR")
	if base == "" {
		if xdg := os.Getenv("XDG_CACHE_HOME"); xdg != "" && filepath.IsAbs(xdg) {
			base = filepath.Join(xdg, "trustbundle")
		} else if home := os.Getenv("HOME"); home != "" {
			base = filepath.Join(home, ".cache", "trustbundle")
		} else {
			return "", fail(StatusIO, "no cache directory: set TRUSTBUNDLE_CACHE_DIR, XDG_CACHE_HOME or HOME, or pass a directory")
		}
	}
	stamp := strings.NewReplacer("-", "", ":", "").Replace(time.Unix(BundleAsOf(), 0).UTC().Format(time.RFC3339))
	return stripTrailingSlashes(base) + "/" + BundleNSSVersion() + "-" + stamp, nil
}

func ioFailure(what, path string, err error) *Failure {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fail(StatusIO, fmt.Sprintf("%s '%s': %v", what, path, err))
}

// cacheTarget makes the directory cacert.pem goes in: the default cache
// with its two private levels (trustbundle/ and the version directory),
// or dir as given.
func cacheTarget(dir string) (string, error) {
	if dir != "" {
		dir = stripTrailingSlashes(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", ioFailure("cannot create directory", dir, err)
		}
		return dir, nil
	}
	versionDir, err := defaultCacheDirectory()
	if err != nil {
		return "", err
	}
	base := filepath.Dir(versionDir)
	if parent := filepath.Dir(base); parent != base {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return "", ioFailure("cannot create directory", parent, err)
		}
	}
	for _, d := range []string{base, versionDir} {
		if err := makePrivateDirectory(d); err != nil {
			return "", err
		}
	}
	return versionDir, nil
}

// makePrivateDirectory is make_private_directory: the directory is made if
// absent, then must be a real directory (a symbolic link is refused), owned
// by the user, not writable by group or others (ownerProblem).
func makePrivateDirectory(path string) error {
	if err := os.Mkdir(path, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return ioFailure("cannot create directory", path, err)
	}
	st, err := os.Lstat(path)
	if err != nil {
		return ioFailure("cannot stat", path, err)
	}
	unsafe := "cache directory '" + path + "' is not safe to use: "
	fix := "; set TRUSTBUNDLE_CACHE_DIR to a directory only you can write"
	if !st.IsDir() {
		return fail(StatusIO, unsafe+"it is "+fileKind(st.Mode())+fix)
	}
	if problem := ownerProblem(st); problem != "" {
		return fail(StatusIO, unsafe+problem+fix)
	}
	return nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// fileHasContent is file_has_content: a regular file holding exactly content.
func fileHasContent(path, content string) bool {
	f, err := openNonBlocking(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(content)) {
		return false
	}
	got, err := io.ReadAll(io.LimitReader(f, int64(len(content))+1))
	return err == nil && string(got) == content
}

// writeFileAtomic is write_file_atomic: a new temporary file beside path,
// written, flushed, renamed over path.
func writeFileAtomic(path, content string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return ioFailure("cannot create", path+".tmp", err)
	}
	temp := f.Name()
	_, err = f.WriteString(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(temp, 0o644)
	}
	if err != nil {
		os.Remove(temp)
		return ioFailure("cannot write", temp, err)
	}
	if err := os.Rename(temp, path); err != nil {
		os.Remove(temp)
		return ioFailure("cannot rename into place", path, err)
	}
	return nil
}
