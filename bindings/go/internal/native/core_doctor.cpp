//go:build cgo

// The core's doctor/ subsystem, compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "doctor/bundle_age.cpp"
#include "doctor/caller_options.cpp"
#include "doctor/chain_diagnosis.cpp"
#include "doctor/client_identity.cpp"
#include "doctor/doctor.cpp"
#include "doctor/doctor_render.cpp"
#include "doctor/finding.cpp"
#include "doctor/handshake_diagnosis.cpp"
#include "doctor/net_connect.cpp"
#include "doctor/platform_socket_posix.cpp"
#include "doctor/platform_socket_winsock.cpp"
#include "doctor/served_cert.cpp"
#include "doctor/socket_bio.cpp"
#include "doctor/tls_probe.cpp"
