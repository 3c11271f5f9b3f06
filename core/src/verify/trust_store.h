// A verification trust store: the embedded Mozilla roots (lazy), plus extra
// CAs from files, directories, buffers, the environment or the system.
// Immutable after build(); share it between threads freely.
//
// Anchors never sit in OpenSSL's store cache: a cached extra CA with the
// subject of a Mozilla root would hide the root from OpenSSL's lookups.
// Instead the X509_STORE asks anchors_with_subject (anchor_choice.h), so
// the extra CAs and the embedded roots are candidates alike.
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

  // The store verifications run against: no certificates of its own, its
  // issuer lookups answered by anchors_with_subject.
  X509_STORE* x509_store() const { return store_; }
  size_t extra_count() const { return extras_.size(); }
  const std::string& extra_pem() const { return extra_pem_; }  // the added anchors, PEM

  // Every anchor whose subject is name: extra CAs (in the order added),
  // embedded roots, then the system directory's. New references.
  std::vector<X509Ptr> anchors_with_subject(const X509_NAME* name) const;

  // Is there an anchor that may have issued cert (names and key
  // identifiers; no signature is checked)? May parse an embedded root.
  bool has_issuer_of(X509* cert) const;

  // The server distrust-after date of the CA cert stands for: a distrusted
  // root's date holds for its subject and public key in whatever
  // certificate carries them (the root, a re-issued copy, a cross-certificate).
  bool distrust_after(X509* cert, int64_t& out) const;

 private:
  TrustStore() = default;
  struct Distrusted {
    X509* cert;  // borrowed from extras_
    int64_t after;
  };

  X509_STORE* store_ = nullptr;
  bool mozilla_ = false;
  bool system_dir_ = false;  // a hashed directory lookup is on store_
  std::vector<X509Ptr> extras_;
  std::multimap<unsigned long, size_t> extras_by_hash_;  // subject hash -> index in extras_
  std::vector<Distrusted> distrusted_extras_;
  std::string extra_pem_;
};

}  // namespace trustbundle
