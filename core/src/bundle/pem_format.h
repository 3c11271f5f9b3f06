// Writing bundles in certifi's and curl's PEM layouts, and reading PEM
// certificates back (bundles, chains, extra CAs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

// certifi's cacert.pem: per root a blank line, the comment lines, the PEM
// at 64 columns. Byte-identical to certifi for the same input.
std::string format_certifi_pem(const std::vector<RootRecord>& roots);

// curl's ca-bundle.crt: a header, then per root label + underline and the
// PEM at 76 columns.
std::string format_curl_pem(const std::vector<RootRecord>& roots, const std::string& nss_version, int64_t as_of);

std::string pem_block(const std::string& der, size_t columns);

struct PemCertificate {
  std::string der;
  std::string label;  // the "# Label:" comment above it, if any (as written)
  size_t line = 0;    // line of its BEGIN marker
};

// Every CERTIFICATE block in the text, in order. Other PEM block types are
// skipped. Throws Error(PARSE) naming source:line for an unterminated block
// or bad base64. Returns an empty list when there is no block at all.
std::vector<PemCertificate> read_pem_certificates(const std::string& text, const std::string& source);

}  // namespace trustbundle
