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

// Intermediate sequences (leaf's issuer first) that end at a certificate
// whose issuer is in the store, shortest first. Only names, key
// identifiers and signatures are checked here; X509_verify_cert judges
// each path in full. Each signature is checked once and spent from
// budget; when the budget runs out the search stops (budget.exhausted()).
std::vector<std::vector<X509*>> alternative_paths(X509* leaf, const std::vector<X509*>& pool, const TrustStore& store,
                                                  VerifyBudget& budget);

}  // namespace trustbundle
