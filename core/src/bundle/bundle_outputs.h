// The generated files besides cacert.pem: the JSON manifest and the C++
// include that embeds the bundle into the library.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

struct BundleFacts {
  std::string nss_version;  // "2.86"
  int64_t as_of = 0;
  std::string mode;           // "certifi" or "curl"
  std::string source_sha256;  // of the certdata.txt it came from
};

std::string format_manifest(const std::vector<RootRecord>& roots, const BundleFacts& facts);

// C++ initializers for embedded_bundle.cpp (see EmbeddedRoot there).
std::string format_embedded_include(const std::vector<RootRecord>& roots, const BundleFacts& facts);

}  // namespace trustbundle
