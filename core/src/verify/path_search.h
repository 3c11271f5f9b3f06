// Path building beyond OpenSSL's first choice: the other ways a pool of
// intermediates can lead from a leaf to an issuer in the trust store.
#pragma once

#include <openssl/x509_vfy.h>

#include <vector>

namespace trustbundle {

constexpr size_t kMaxAlternativePaths = 32;
constexpr size_t kMaxPathIntermediates = 8;
constexpr size_t kMaxIssuerChecks = 4096;  // bounds the work on hostile pools

// Intermediate sequences (leaf's issuer first) that end at a certificate
// whose issuer is in the store, shortest first. Only names, key
// identifiers and signatures are checked here; X509_verify_cert judges
// each path in full.
std::vector<std::vector<X509*>> alternative_paths(X509* leaf, const std::vector<X509*>& pool, X509_STORE* store);

}  // namespace trustbundle
