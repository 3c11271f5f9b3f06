// The fuzz harnesses: one function per entry point that feeds arbitrary
// bytes to the core and checks what comes back. libFuzzer calls them
// through libfuzzer_entry.cpp; tests/reliability replays the committed
// seeds and every past crash through them without libFuzzer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tbfuzz {

using Harness = int (*)(const uint8_t* data, size_t size);

int certdata(const uint8_t* data, size_t size);  // load_certdata, curation, both layouts
int chain(const uint8_t* data, size_t size);     // decode_chain, read_pem_certificates
int verify(const uint8_t* data, size_t size);    // trustbundle_verify (C ABI), see verify_fuzz.cpp
int extra_ca(const uint8_t* data, size_t size);  // load_certs_from_bytes, store build
int diff(const uint8_t* data, size_t size);      // load_bundle_snapshot, diff_bundles, formats
int doctor(const uint8_t* data, size_t size);    // run_doctor_on_socket over a server's bytes

struct Target {
  const char* name;  // also the seeds/ and regressions/ directory name
  Harness run;
};

inline const Target kTargets[] = {
    {"certdata", certdata}, {"chain", chain}, {"verify", verify}, {"extra_ca", extra_ca}, {"diff", diff},
    {"doctor", doctor},
};

}  // namespace tbfuzz
