// Command trustbundle is trustbundle's command-line tool: the core's own
// (trustbundle_cli_main), so its commands, output and exit codes are those of
// every other trustbundle package's tool.
//
//	go run github.com/trustbundle/trustbundle/bindings/go/cmd/trustbundle@latest --help
package main

import (
	"os"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

func main() {
	os.Exit(native.CliMain(os.Args))
}
