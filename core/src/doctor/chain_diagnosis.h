// What is wrong with a chain as a server sent it, beyond the one reason a
// verification stops at: missing or unknown issuers, order, duplicates,
// a sent root, expiry (now and within 30 days), names, self-signed leaves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "doctor/finding.h"
#include "doctor/served_cert.h"
#include "verify/trust_store.h"
#include "verify/verifier.h"

namespace trustbundle {

constexpr int64_t kExpirySoonSeconds = 30 * 86400;

// served: as sent (index 0 = the server's own), never empty. outcome: the
// policy's verdict on it. name: the name verified ("" = none). now: Unix s.
// language: a trustbundle_language, whose option names the fixes use.
std::vector<Finding> diagnose_chain(const std::vector<ServedCert>& served, const VerifyOutcome& outcome,
                                    const TrustStore& store, const std::string& name, int64_t now,
                                    int language = TRUSTBUNDLE_LANGUAGE_CLI);

// True if a finding of this code is what a verification failing with this
// trustbundle_reason means (MISSING_INTERMEDIATE for UNABLE_TO_GET_ISSUER...).
bool explains(int code, int reason);

// True if der (an anchor) is one of the embedded Mozilla roots.
bool is_mozilla_root(const std::string& der);

}  // namespace trustbundle
