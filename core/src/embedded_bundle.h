// The bundle compiled into the library (core/data/bundle_data.inc):
// decoded once per process on first use, then shared read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "root_record.h"

namespace trustbundle {

const char* embedded_nss_version();
int64_t embedded_as_of();
const std::string& embedded_bundle_version();  // "2.86/2026-11-22T00:00:00Z"

// All roots in certdata order, DER decoded. Thread-safe first use.
const std::vector<RootRecord>& embedded_roots();

// format_certifi_pem(embedded_roots()), built once.
const std::string& embedded_pem();

}  // namespace trustbundle
