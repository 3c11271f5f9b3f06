// One-line advice for a failed verification, written for the person who
// has to fix it.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trustbundle {

struct HintContext {
  int reason = 0;
  int depth = -1;
  X509* cert = nullptr;      // the certificate at `depth`, if known
  size_t chain_given = 0;    // certificates the caller sent
  std::string host;
  int64_t check_time = 0;
  bool client_purpose = false;
  int64_t distrust_after = 0;  // for ROOT_DISTRUSTED
};

std::string verify_hint(const HintContext& ctx);

// "CN" of a name, else its one-line form.
std::string display_name(const X509_NAME* name);

// The DNS names and IP addresses of a certificate's subjectAltName, as text
// valid UTF-8 (replace_invalid_utf8; "::1" for IPv6).
std::vector<std::string> subject_alt_names(X509* cert);

}  // namespace trustbundle
