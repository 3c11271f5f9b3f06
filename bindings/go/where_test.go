package trustbundle

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Where's cache checks, the same in both builds (the core's in the cgo
// build, cache_purego.go's without cgo): a cache level that is a symbolic
// link or writable by others is refused, naming the directory; a changed
// file is written again.
func TestWhereRefusesUnsafeCache(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("owner and mode checks are POSIX (README: Without cgo)")
	}
	t.Run("group-writable", func(t *testing.T) {
		base := filepath.Join(t.TempDir(), "tb")
		if err := os.Mkdir(base, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(base, 0o775); err != nil {
			t.Fatal(err)
		}
		t.Setenv("TRUSTBUNDLE_CACHE_DIR", base)
		_, err := Where()
		if !errors.Is(err, ErrIO) || !strings.Contains(err.Error(), "group or others may write to it (mode 0775)") {
			t.Errorf("Where under a group-writable cache: %v", err)
		}
	})
	t.Run("symlinked", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "real"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "link")); err != nil {
			t.Fatal(err)
		}
		t.Setenv("TRUSTBUNDLE_CACHE_DIR", filepath.Join(dir, "link"))
		_, err := Where()
		if !errors.Is(err, ErrIO) || !strings.Contains(err.Error(), "it is a symbolic link") {
			t.Errorf("Where under a symlinked cache: %v", err)
		}
	})
	t.Run("rewritten", func(t *testing.T) {
		t.Setenv("TRUSTBUNDLE_CACHE_DIR", filepath.Join(t.TempDir(), "tb"))
		path, err := Where()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("tampered"), 0o644); err != nil {
			t.Fatal(err)
		}
		again, err := Where()
		data, _ := os.ReadFile(again)
		if err != nil || again != path || string(data) != string(PEM()) {
			t.Errorf("a changed cacert.pem is not written again: %v", err)
		}
		if st, err := os.Stat(filepath.Dir(path)); err != nil || st.Mode().Perm()&0o022 != 0 {
			t.Errorf("the version directory is not private: %v %v", st.Mode(), err)
		}
	})
}
