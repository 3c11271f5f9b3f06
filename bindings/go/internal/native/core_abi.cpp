//go:build cgo

// The core's abi/ subsystem, compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "abi/capi.cpp"
#include "abi/capi_probe.cpp"
#include "abi/capi_verify.cpp"
