// Path building beyond OpenSSL's first choice: the other ways a pool of
// intermediates can lead from a leaf to an issuer in the trust store.
#pragma once

#include <openssl/x509.h>

#include <map>
#include <utility>
#include <vector>

#include "verify/trust_store.h"
#include "verify/verify_budget.h"

namespace trustbundle {

constexpr size_t kMaxAlternativePaths = 32;
constexpr size_t kMaxPathIntermediates = 8;
constexpr size_t kMaxIssuerChecks = 4096;  // name comparisons: bounds the walk over hostile pools

struct AlternativePaths {
  std::vector<std::vector<X509*>> paths;  // leaf's issuer first, shortest first
  bool cut_short = false;                 // the search's share of the budget ran out
};

// Intermediate sequences that end at a certificate whose issuer is in the
// store. Only names, key identifiers and signatures are checked here;
// X509_verify_cert judges each path in full. Each signature is checked
// once and paid from budget; the search stops at three quarters of it, so
// that the paths it found can still be verified.
AlternativePaths alternative_paths(X509* leaf, const std::vector<X509*>& pool, const TrustStore& store,
                                   VerifyBudget& budget);

}  // namespace trustbundle
