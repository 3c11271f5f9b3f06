#include "verify/path_search.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

namespace trustbundle {
namespace {

class PathSearch {
 public:
  PathSearch(const std::vector<X509*>& pool, const TrustStore& store, VerifyBudget& budget)
      : pool_(pool), store_(store), budget_(budget) {}

  void from(X509* cert) {
    if (stopped()) return;
    if (anchored(cert) && !path_.empty()) found_.push_back(path_);
    if (path_.size() >= kMaxPathIntermediates || X509_check_issued(cert, cert) == X509_V_OK) return;
    for (X509* candidate : pool_) {
      if (checks_++ >= kMaxIssuerChecks || stopped()) return;
      if (candidate == cert || std::find(path_.begin(), path_.end(), candidate) != path_.end()) continue;
      if (X509_check_issued(candidate, cert) != X509_V_OK || !signed_by(cert, candidate)) continue;
      path_.push_back(candidate);
      from(candidate);
      path_.pop_back();
    }
  }

  AlternativePaths take() {
    std::stable_sort(found_.begin(), found_.end(),
                     [](const std::vector<X509*>& a, const std::vector<X509*>& b) { return a.size() < b.size(); });
    return {std::move(found_), cut_short_};
  }

 private:
  bool stopped() const {
    return found_.size() >= kMaxAlternativePaths || checks_ >= kMaxIssuerChecks || cut_short_;
  }

  // Does the store hold an issuer of cert? (May load an embedded root.)
  bool anchored(X509* cert) {
    ++checks_;
    return store_.has_issuer_of(cert);
  }

  // Each pair's signature is checked once, however many paths meet it.
  bool signed_by(X509* cert, X509* issuer) {
    auto key = std::make_pair(cert, issuer);
    auto it = verified_.find(key);
    if (it != verified_.end()) return it->second;
    EVP_PKEY* pkey = X509_get0_pubkey(issuer);
    if (budget_.spent_units() + signature_cost(pkey) > kSignatureBudget * 3 / 4 || !budget_.spend_signature_check(pkey)) {
      cut_short_ = true;
      return false;
    }
    bool ok = pkey != nullptr && X509_verify(cert, pkey) == 1;
    verified_.emplace(key, ok);
    return ok;
  }

  const std::vector<X509*>& pool_;
  const TrustStore& store_;
  VerifyBudget& budget_;
  std::vector<X509*> path_;
  std::vector<std::vector<X509*>> found_;
  std::map<std::pair<X509*, X509*>, bool> verified_;
  size_t checks_ = 0;
  bool cut_short_ = false;
};

}  // namespace

AlternativePaths alternative_paths(X509* leaf, const std::vector<X509*>& pool, const TrustStore& store,
                                   VerifyBudget& budget) {
  PathSearch search(pool, store, budget);
  search.from(leaf);
  ERR_clear_error();
  return search.take();
}

}  // namespace trustbundle
