// A verification trust store: the embedded Mozilla roots (lazy), plus extra
// CAs from files, directories, buffers, the environment or the system.
// Immutable after build(); share it between threads freely.
#pragma once

#include <openssl/x509_vfy.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "verify/cert_source.h"

namespace trustbundle {

struct StoreConfig {
  bool mozilla = true;
  bool env = true;     // TRUSTBUNDLE_EXTRA_CA_CERTS
  bool system = false; // SSL_CERT_FILE / SSL_CERT_DIR / /etc/ssl/certs
  std::vector<LoadedCert> extras;  // read when added, so a bad source fails at once

  void add_path(const std::string& path);
  void add_data(const std::string& bytes, const std::string& name);
};

class TrustStore {
 public:
  static std::shared_ptr<const TrustStore> build(const StoreConfig& config);
  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  X509_STORE* x509_store() const { return store_; }
  size_t extra_count() const { return extra_count_; }
  const std::string& extra_pem() const { return extra_pem_; }  // the added anchors, PEM
  // The server distrust-after date of an anchor, by its SHA-256 (hex).
  bool distrust_after(const std::string& sha256_hex, int64_t& out) const;

 private:
  TrustStore() = default;
  X509_STORE* store_ = nullptr;
  size_t extra_count_ = 0;
  std::string extra_pem_;
  std::map<std::string, int64_t> distrust_;
};

}  // namespace trustbundle
