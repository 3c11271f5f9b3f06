//go:build cgo

// The core's command-line tool (core/cli/), compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "cli/cli_args.cpp"
#include "cli/cli_main.cpp"
#include "cli/cmd_build.cpp"
#include "cli/cmd_bundle.cpp"
#include "cli/cmd_doctor.cpp"
#include "cli/cmd_verify.cpp"
