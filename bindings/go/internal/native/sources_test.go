package native

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The core_<subsystem>.cpp files here must compile exactly the sources that
// core/CMakeLists.txt compiles into the library: a source added there and
// not here would be a link error at best, a silently missing feature at
// worst.
func TestCoreSourcesCompiled(t *testing.T) {
	cmake, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "core", "CMakeLists.txt"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)add_library\(trustbundle_objects OBJECT\n(.*?)\n\)`).FindSubmatch(cmake)
	if block == nil {
		t.Fatal("core/CMakeLists.txt: no add_library(trustbundle_objects OBJECT ...) block")
	}
	var want []string
	for _, line := range strings.Split(string(block[1]), "\n") {
		if f := strings.TrimSpace(line); strings.HasSuffix(f, ".cpp") {
			want = append(want, strings.TrimPrefix(f, "src/")) // src/verify/x.cpp, cli/x.cpp
		}
	}

	units, err := filepath.Glob("core_*.cpp")
	if err != nil || len(units) == 0 {
		t.Fatalf("no core_*.cpp files (%v)", err)
	}
	include := regexp.MustCompile(`(?m)^#include "([a-z_]+/[A-Za-z0-9_]+\.cpp)"`)
	var got []string
	for _, unit := range units {
		text, err := os.ReadFile(unit)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range include.FindAllSubmatch(text, -1) {
			got = append(got, string(m[1]))
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("core_*.cpp include:\n  %s\ncore/CMakeLists.txt compiles:\n  %s",
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
