#include "verify/path_search.h"

#include "base/openssl_ptr.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace trustbundle {
namespace {


class PathSearch {
 public:
  PathSearch(const std::vector<X509*>& pool, X509_STORE_CTX* ctx) : pool_(pool), ctx_(ctx) {}

  void from(X509* cert) {
    if (found_.size() >= kMaxAlternativePaths || checks_ >= kMaxIssuerChecks) return;
    if (anchored(cert) && !path_.empty()) found_.push_back(path_);
    if (path_.size() >= kMaxPathIntermediates || X509_check_issued(cert, cert) == X509_V_OK) return;
    for (X509* candidate : pool_) {
      if (checks_++ >= kMaxIssuerChecks) return;
      if (candidate == cert || std::find(path_.begin(), path_.end(), candidate) != path_.end()) continue;
      if (X509_check_issued(candidate, cert) != X509_V_OK) continue;
      EVP_PKEY* key = X509_get0_pubkey(candidate);
      if (key == nullptr || X509_verify(cert, key) != 1) continue;
      path_.push_back(candidate);
      from(candidate);
      path_.pop_back();
    }
  }

  std::vector<std::vector<X509*>> take() {
    std::stable_sort(found_.begin(), found_.end(),
                     [](const std::vector<X509*>& a, const std::vector<X509*>& b) { return a.size() < b.size(); });
    return std::move(found_);
  }

 private:
  // Does the store hold an issuer of cert? (May load an embedded root.)
  bool anchored(X509* cert) {
    X509* issuer = nullptr;
    ++checks_;
    if (X509_STORE_CTX_get1_issuer(&issuer, ctx_, cert) != 1) return false;
    X509_free(issuer);
    return true;
  }

  const std::vector<X509*>& pool_;
  X509_STORE_CTX* ctx_;
  std::vector<X509*> path_;
  std::vector<std::vector<X509*>> found_;
  size_t checks_ = 0;
};

}  // namespace

std::vector<std::vector<X509*>> alternative_paths(X509* leaf, const std::vector<X509*>& pool, X509_STORE* store) {
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, nullptr) != 1) return {};
  PathSearch search(pool, ctx.get());
  search.from(leaf);
  ERR_clear_error();
  return search.take();
}

}  // namespace trustbundle
