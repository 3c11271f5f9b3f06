// The bundle compiled into the library (core/data/bundle_data.inc):
// decoded once per process on first use, then shared read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

const char* embedded_nss_version();
int64_t embedded_as_of();
const std::string& embedded_bundle_version();  // "2.86/2026-11-22T00:00:00Z"

// All roots in certdata order, DER decoded. Thread-safe first use. Costs
// about a millisecond the first time: verification paths use the views below.
const std::vector<RootRecord>& embedded_roots();

// What a store needs to know about root i without decoding anything.
struct EmbeddedRootView {
  unsigned long subject_hash;
  const char* sha256_hex;
  bool has_server_distrust_after;
  int64_t server_distrust_after;
};
size_t embedded_root_count();
EmbeddedRootView embedded_root_view(size_t index);
std::string embedded_root_der(size_t index);  // decodes just this root

// format_certifi_pem(embedded_roots()), built once.
const std::string& embedded_pem();

}  // namespace trustbundle
