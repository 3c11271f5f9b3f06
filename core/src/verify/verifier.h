// Chain verification under the project's policy (DESIGN.md section 5):
// OpenSSL's X509_verify_cert plus distrust-after, with a typed outcome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/openssl_ptr.h"
#include "verify/host_name.h"
#include "verify/trust_store.h"

namespace trustbundle {

struct VerifyRequest {
  std::vector<X509Ptr> chain;      // leaf first, as sent (may hold more than the path)
  std::vector<X509Ptr> untrusted;  // extra intermediates, any order
  std::string host;                // DNS name or IP literal (checked_host); empty = no name check
  bool has_time = false;
  int64_t time = 0;
  bool client_purpose = false;
  int max_depth = -1;              // most intermediates; -1 = the library limit
  std::string crls_pem;            // empty = no revocation check
  int time_limit_ms = 0;           // <= 0: kDefaultVerifyTimeLimitMs (the doctor passes what its timeout leaves)
};

struct VerifyOutcome {
  bool ok = false;
  int reason = 0;        // trustbundle_reason
  int depth = -1;
  long openssl_code = 0;
  std::string message;
  std::string hint;
  std::vector<std::string> chain_der;  // verified chain, leaf first (when ok)
};

// Throws Error for malformed options (a host that is not a DNS name or IP
// literal, bad CRL data); a rejected chain is an outcome, not an exception.
// The work is bounded (verify_budget.h): a chain that needs more is
// rejected with TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED.
VerifyOutcome verify_chain(const TrustStore& store, const VerifyRequest& request);

}  // namespace trustbundle
