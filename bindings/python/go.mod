// Not Go: this file only keeps bindings/python/ out of the Go module's zip (the go
// command leaves out every folder that holds its own go.mod), so that
// `go get github.com/trustbundle/trustbundle` downloads the Go package and
// the core it compiles, not the other packages' sources and tests.
module github.com/trustbundle/trustbundle/bindings/python

go 1.22
