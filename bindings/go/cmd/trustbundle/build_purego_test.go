//go:build !cgo

package main

// cgoBuild: the pure-Go build has no tool.
const cgoBuild = false
