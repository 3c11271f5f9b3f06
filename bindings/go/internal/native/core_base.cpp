//go:build cgo

// The core's base/ subsystem, compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "base/cert_info.cpp"
#include "base/encoding.cpp"
#include "base/file_ops.cpp"
#include "base/json_writer.cpp"
#include "base/time_util.cpp"
