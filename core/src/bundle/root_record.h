// One root certificate as the bundle knows it: Mozilla's label and trust,
// the DER, and what was read from the DER.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/cert_info.h"

namespace trustbundle {

enum class Trust { None = 0, Trusted = 1, MustVerify = 2, NotTrusted = 3 };

const char* trust_name(Trust trust);  // "trusted", "must-verify", "not-trusted", "none"

struct RootRecord {
  std::string label;  // UTF-8
  std::string der;
  CertInfo info;
  Trust server_trust = Trust::None;
  Trust email_trust = Trust::None;
  bool has_server_distrust_after = false;
  int64_t server_distrust_after = 0;
  size_t line = 0;  // where the certificate object starts; 0 when not from certdata
};

}  // namespace trustbundle
