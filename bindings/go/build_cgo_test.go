//go:build cgo

package trustbundle

import "testing"

// cgoBuild: these tests run against the core (the cgo build).
const cgoBuild = true

// pureGoDiffers is empty here: with cgo every verdict is the core's.
var pureGoDiffers = map[string]string{}

// needCore runs t only where the core is compiled in.
func needCore(t *testing.T, why string) {}
