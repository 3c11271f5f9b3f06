//go:build cgo

// The core's verify/ subsystem, compiled in place by cgo (core/README.md).
// Keep the list in step with core/CMakeLists.txt (TestCoreSourcesCompiled checks).
#include "verify/anchor_choice.cpp"
#include "verify/cert_cache.cpp"
#include "verify/cert_source.cpp"
#include "verify/embedded_lookup.cpp"
#include "verify/host_name.cpp"
#include "verify/key_pair.cpp"
#include "verify/key_policy.cpp"
#include "verify/path_search.cpp"
#include "verify/trust_store.cpp"
#include "verify/verifier.cpp"
#include "verify/verify_budget.cpp"
#include "verify/verify_hints.cpp"
#include "verify/verify_reasons.cpp"
