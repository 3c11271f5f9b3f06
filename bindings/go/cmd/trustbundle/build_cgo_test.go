//go:build cgo

package main

// cgoBuild: the tool is the core's.
const cgoBuild = true
