#include "verify/cert_cache.h"

#include <deque>
#include <mutex>
#include <unordered_map>

#include "base/cert_info.h"

namespace trustbundle {
namespace {

class CertCache {
 public:
  X509Ptr find(const std::string& der) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(der);  // keyed by the full DER: no collision can alias
    if (it == entries_.end()) return nullptr;
    X509_up_ref(it->second.get());
    return X509Ptr(it->second.get());
  }

  void add(const std::string& der, X509* cert) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.count(der) != 0) return;
    X509_up_ref(cert);
    entries_.emplace(der, X509Ptr(cert));
    order_.push_back(der);
    while (order_.size() > kCertCacheCapacity) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, X509Ptr> entries_;
  std::deque<std::string> order_;
};

CertCache& cache() {
  static CertCache* instance = new CertCache();  // never destroyed: used until exit
  return *instance;
}

}  // namespace

X509Ptr parse_der_cached(const std::string& der, const std::string& where) {
  if (X509Ptr hit = cache().find(der)) return hit;
  X509Ptr cert = parse_der_certificate(der, where);
  cache().add(der, cert.get());
  return cert;
}

}  // namespace trustbundle
