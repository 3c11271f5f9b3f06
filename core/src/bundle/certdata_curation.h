// Turns parsed certdata objects into root records (certificate paired with
// its trust object, cross-checked) and applies the curation rule.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

// Every certificate object of the file, paired with its trust, in file
// order. Throws Error(PARSE) naming the line for any inconsistency:
// missing or duplicate objects, hash mismatches, unknown trust values.
std::vector<RootRecord> load_certdata(const std::string& text, const std::string& source);

enum class CurationMode { Certifi, Curl };

// DESIGN.md section 2. Certifi: server-trusted and not past distrust-after
// + 398 days at as_of. Curl: server-trusted and as_of <= notAfter.
std::vector<RootRecord> curate(const std::vector<RootRecord>& all, CurationMode mode, int64_t as_of);

constexpr int64_t kDistrustGraceSeconds = 398LL * 86400;

}  // namespace trustbundle
