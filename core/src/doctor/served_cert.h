// One certificate as a server presented it, described for people: names,
// validity, key, fingerprint, and the facts chain diagnosis needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/openssl_ptr.h"

namespace trustbundle {

struct ServedCert {
  X509Ptr cert;
  std::string der;
  std::string subject;       // certifi's form: "CN=... O=..."
  std::string issuer;
  std::string name;          // the subject's CN (else its one-line form), for sentences
  std::string issuer_name;
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool times_readable = true;  // false: the times above are 0; verification names the fault
  std::string key_type;      // "RSA", "EC", "Ed25519", "Ed448", "DSA", "unknown"
  int key_bits = 0;
  std::string sha256_hex;
  bool self_signed = false;  // names, key identifiers and signature all say so
  bool is_ca = false;
  std::vector<std::string> alt_names;  // DNS names and IP addresses of the SAN
};

// Throws Error(PARSE) naming `where` when der is not a certificate; a
// certificate with unreadable fields is described, not refused.
ServedCert describe_served(const std::string& der, const std::string& where);

}  // namespace trustbundle
