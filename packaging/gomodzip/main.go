// Command gomodzip publishes a Go module directory into a file-based module
// proxy, as the go command expects one (GOPROXY=file:///path):
//
//	<proxy>/<escaped module path>/@v/list
//	<proxy>/<escaped module path>/@v/<version>.info
//	<proxy>/<escaped module path>/@v/<version>.mod
//	<proxy>/<escaped module path>/@v/<version>.zip
//
// The zip follows the go command's module zip rules (what
// golang.org/x/mod/zip.CreateFromDir does, written here with the standard
// library only):
//   - every file is stored as "<module path>@<version>/<path in the module>";
//     directories have no entries of their own;
//   - left out: version-control directories (.git, .hg, .svn, .bzr), any
//     subdirectory that holds its own go.mod (another module), files in
//     vendor subdirectories (vendor/x/...), and anything that is not a
//     regular file (symbolic links included);
//   - every path must be a valid module file path (letters, digits, space
//     and !#$%&()+,-.=@[]^_{}~; no empty, "." or ".." elements, no trailing
//     dots, no Windows reserved or short names) and no two paths may differ
//     only in case;
//   - limits: 500 MiB uncompressed in total, 16 MiB for go.mod and LICENSE.
//
// It fails, naming the file, instead of silently dropping what breaks a
// rule. Usage:
//
//	go run . -dir MODULE_DIR -version v0.1.0 -proxy PROXY_DIR [-time RFC3339]
package main

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

const (
	maxZipFile = 500 << 20
	maxGoMod   = 16 << 20
	maxLicense = 16 << 20
)

func main() {
	dir := flag.String("dir", "", "the module's root directory (holds go.mod)")
	version := flag.String("version", "", "the version to publish, e.g. v0.1.0")
	proxy := flag.String("proxy", "", "the file-based proxy directory to write into")
	when := flag.String("time", "", "the version's time for .info (RFC 3339; default: now)")
	flag.Parse()
	if *dir == "" || *version == "" || *proxy == "" || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: gomodzip -dir MODULE_DIR -version vX.Y.Z -proxy PROXY_DIR [-time RFC3339]")
		os.Exit(2)
	}
	t := time.Now().UTC().Truncate(time.Second)
	if *when != "" {
		var err error
		if t, err = time.Parse(time.RFC3339, *when); err != nil {
			fmt.Fprintln(os.Stderr, "gomodzip: -time:", err)
			os.Exit(2)
		}
	}
	modPath, files, err := publish(*dir, *version, *proxy, t)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gomodzip:", err)
		os.Exit(1)
	}
	fmt.Printf("gomodzip: %s@%s (%d files) -> %s\n", modPath, *version, files, *proxy)
}

var semver = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+incompatible)?$`)

// modulePath reads the module directive of a go.mod.
func modulePath(gomod []byte) (string, error) {
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(strings.TrimSpace(strings.SplitN(line, "//", 2)[0]))
		if len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", errors.New("go.mod has no module directive")
}

// escapePath is the proxy's case encoding: each upper-case letter becomes
// "!" and its lower-case form.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func publish(dir, version, proxy string, t time.Time) (string, int, error) {
	if !semver.MatchString(version) {
		return "", 0, fmt.Errorf("version %q is not a canonical semantic version (vMAJOR.MINOR.PATCH)", version)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", 0, err
	}
	mod, err := modulePath(gomod)
	if err != nil {
		return "", 0, err
	}
	files, err := moduleFiles(dir)
	if err != nil {
		return "", 0, err
	}
	at := filepath.Join(proxy, filepath.FromSlash(escapePath(mod)), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return "", 0, err
	}
	if err := writeZip(filepath.Join(at, version+".zip"), dir, mod+"@"+version, files, t); err != nil {
		return "", 0, err
	}
	if err := os.WriteFile(filepath.Join(at, version+".mod"), gomod, 0o644); err != nil {
		return "", 0, err
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    string
	}{version, t.UTC().Format(time.RFC3339)})
	if err := os.WriteFile(filepath.Join(at, version+".info"), append(info, '\n'), 0o644); err != nil {
		return "", 0, err
	}
	// list: every version published here, one per line.
	versions := map[string]bool{version: true}
	if old, err := os.ReadFile(filepath.Join(at, "list")); err == nil {
		for _, v := range strings.Fields(string(old)) {
			versions[v] = true
		}
	}
	var list []string
	for v := range versions {
		list = append(list, v)
	}
	sort.Strings(list)
	if err := os.WriteFile(filepath.Join(at, "list"), []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
		return "", 0, err
	}
	return mod, len(files), nil
}

// moduleFiles lists the files that go into the zip, slash-separated and
// relative to dir, sorted.
func moduleFiles(dir string) ([]string, error) {
	var files []string
	var total int64
	folded := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			switch d.Name() {
			case ".git", ".hg", ".svn", ".bzr":
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if isVendoredPackage(rel) || !d.Type().IsRegular() {
			return nil
		}
		if err := checkFilePath(rel); err != nil {
			return err
		}
		if other, ok := folded[strings.ToLower(rel)]; ok {
			return fmt.Errorf("%s and %s differ only in case", other, rel)
		}
		folded[strings.ToLower(rel)] = rel
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case rel == "go.mod" && info.Size() > maxGoMod:
			return fmt.Errorf("go.mod is over %d bytes", maxGoMod)
		case rel == "LICENSE" && info.Size() > maxLicense:
			return fmt.Errorf("LICENSE is over %d bytes", maxLicense)
		}
		total += info.Size()
		if total > maxZipFile {
			return fmt.Errorf("the module is over %d bytes uncompressed", maxZipFile)
		}
		files = append(files, rel)
		return nil
	})
	sort.Strings(files)
	return files, err
}

// isVendoredPackage is true for files in a subdirectory of a vendor
// directory (vendor/modules.txt itself is kept).
func isVendoredPackage(name string) bool {
	var i int
	if strings.HasPrefix(name, "vendor/") {
		i = len("vendor/")
	} else if j := strings.Index(name, "/vendor/"); j >= 0 {
		i = j + len("/vendor/")
	} else {
		return false
	}
	return strings.Contains(name[i:], "/")
}

var badWindowsNames = regexp.MustCompile(`(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])$`)

// checkFilePath applies the go command's rules for file paths in a module.
func checkFilePath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return fmt.Errorf("%q: not a relative file path", p)
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return fmt.Errorf("%q: empty, . or .. path element", p)
		}
		if strings.HasSuffix(elem, ".") {
			return fmt.Errorf("%q: trailing dot in a path element", p)
		}
		for _, r := range elem {
			if !unicode.IsLetter(r) && !('0' <= r && r <= '9') && !strings.ContainsRune("!#$%&()+,-.=@[]^_{}~ ", r) {
				return fmt.Errorf("%q: invalid character %q in a module file path", p, r)
			}
		}
		short := elem
		if i := strings.IndexByte(elem, '.'); i >= 0 {
			short = elem[:i]
		}
		if badWindowsNames.MatchString(short) {
			return fmt.Errorf("%q: %q is a reserved file name on Windows", p, elem)
		}
		if i := strings.LastIndexByte(short, '~'); i >= 0 && i < len(short)-1 && strings.Trim(short[i+1:], "0123456789") == "" {
			return fmt.Errorf("%q: %q looks like a Windows short name", p, elem)
		}
	}
	return nil
}

func writeZip(out, dir, prefix string, files []string, modified time.Time) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".gomodzip-*.zip")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zip.NewWriter(tmp)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Join(prefix, f), Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		r, err := os.Open(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
