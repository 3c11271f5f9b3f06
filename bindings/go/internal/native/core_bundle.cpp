//go:build cgo

// The core's bundle/ subsystem, compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "bundle/bundle_diff.cpp"
#include "bundle/bundle_outputs.cpp"
#include "bundle/certdata_curation.cpp"
#include "bundle/certdata_parser.cpp"
#include "bundle/embedded_bundle.cpp"
#include "bundle/materialize.cpp"
#include "bundle/pem_format.cpp"
