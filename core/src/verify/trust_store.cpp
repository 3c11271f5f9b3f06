#include "verify/trust_store.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <cstdlib>

#include "base/cert_info.h"
#include "base/errors.h"
#include "base/file_ops.h"
#include "bundle/embedded_bundle.h"
#include "bundle/pem_format.h"
#include "verify/anchor_choice.h"
#include "verify/cert_source.h"
#include "verify/embedded_lookup.h"

namespace trustbundle {
namespace {

const char kEnvExtraCa[] = "TRUSTBUNDLE_EXTRA_CA_CERTS";

std::string env_value(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The system store, opt-in: SSL_CERT_FILE and SSL_CERT_DIR as OpenSSL reads
// them (SSL_CERT_DIR a ':'-separated list), else Debian's /etc/ssl/certs.
// Directories are looked up lazily. Errors name the variable they came from.
// True when a directory lookup was added to store.
bool add_system(X509_STORE* store, std::vector<LoadedCert>& certs) {
  std::string file = env_value("SSL_CERT_FILE");
  std::string dirs = env_value("SSL_CERT_DIR");
  std::string dirs_from = "SSL_CERT_DIR";
  if (file.empty() && dirs.empty()) {
    dirs = "/etc/ssl/certs";
    dirs_from = "the default system CA directory";
  }
  if (!file.empty()) {
    try {
      for (LoadedCert& c : load_certs_from_path(file)) certs.push_back(std::move(c));
    } catch (const Error& e) {
      throw Error(e.status(), std::string("SSL_CERT_FILE: ") + e.what());
    }
  }
  bool added = false;
  size_t start = 0;
  while (start <= dirs.size() && !dirs.empty()) {
    size_t colon = dirs.find(':', start);
    std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    start = colon == std::string::npos ? dirs.size() + 1 : colon + 1;
    if (dir.empty()) continue;
    if (!is_directory(dir)) throw io_error(dirs_from + ": CA directory '" + dir + "' does not exist");
    X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
    if (lookup == nullptr || X509_LOOKUP_add_dir(lookup, dir.c_str(), X509_FILETYPE_PEM) != 1)
      throw io_error(dirs_from + ": cannot use CA directory '" + dir + "'");
    added = true;
  }
  return added;
}

unsigned long subject_hash(const X509_NAME* name) {
  int ok = 0;
  unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
  return ok ? hash : 0;
}

X509Ptr new_reference(X509* cert) {
  X509_up_ref(cert);
  return X509Ptr(cert);
}

// The same CA: subject and public key.
bool same_ca(X509* a, X509* b) {
  EVP_PKEY* ka = X509_get0_pubkey(a);
  EVP_PKEY* kb = X509_get0_pubkey(b);
  return X509_NAME_cmp(X509_get_subject_name(a), X509_get_subject_name(b)) == 0 && ka != nullptr && kb != nullptr &&
         EVP_PKEY_eq(ka, kb) == 1;
}

}  // namespace

void StoreConfig::add_path(const std::string& path) {
  for (LoadedCert& c : load_certs_from_path(path)) extras.push_back(std::move(c));
}

void StoreConfig::add_data(const std::string& bytes, const std::string& name) {
  for (LoadedCert& c : load_certs_from_bytes(bytes, name)) extras.push_back(std::move(c));
}

TrustStore::~TrustStore() { X509_STORE_free(store_); }

std::vector<X509Ptr> TrustStore::anchors_with_subject(const X509_NAME* name) const {
  std::vector<X509Ptr> out;
  const unsigned long hash = subject_hash(name);
  auto range = extras_by_hash_.equal_range(hash);
  for (auto it = range.first; it != range.second; ++it) {
    X509* cert = extras_[it->second].get();
    if (X509_NAME_cmp(X509_get_subject_name(cert), name) == 0) out.push_back(new_reference(cert));
  }
  if (mozilla_)
    for (const EmbeddedRoot& root : embedded_roots_with_subject(name, hash)) out.push_back(new_reference(root.cert));
  if (system_dir_) {
    // The directory lookup fills the store's own cache, which holds nothing else.
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (ctx && X509_STORE_CTX_init(ctx.get(), store_, nullptr, nullptr) == 1) {
      STACK_OF(X509)* found = X509_STORE_CTX_get1_certs(ctx.get(), const_cast<X509_NAME*>(name));
      for (int i = 0; found != nullptr && i < sk_X509_num(found); ++i) out.push_back(new_reference(sk_X509_value(found, i)));
      sk_X509_pop_free(found, X509_free);
    }
    ERR_clear_error();
  }
  return out;
}

bool TrustStore::has_issuer_of(X509* cert) const {
  for (const X509Ptr& anchor : anchors_with_subject(X509_get_issuer_name(cert)))
    if (X509_check_issued(anchor.get(), cert) == X509_V_OK) return true;
  ERR_clear_error();
  return false;
}

bool TrustStore::distrust_after(X509* cert, int64_t& out) const {
  for (const Distrusted& d : distrusted_extras_) {
    if (same_ca(d.cert, cert)) {
      out = d.after;
      return true;
    }
  }
  if (!mozilla_) return false;
  for (const EmbeddedRoot& root : embedded_roots_with_subject(X509_get_subject_name(cert), 0, /*distrusted_only=*/true)) {
    if (same_ca(root.cert, cert)) {
      out = embedded_root_view(root.index).server_distrust_after;
      return true;
    }
  }
  return false;
}

std::shared_ptr<const TrustStore> TrustStore::build(const StoreConfig& config) {
  std::vector<LoadedCert> more;  // from the environment and the system file
  if (config.env) {
    std::string path = env_value(kEnvExtraCa);
    if (!path.empty()) {
      try {
        more = load_certs_from_path(path);
      } catch (const Error& e) {
        throw Error(e.status(), std::string(kEnvExtraCa) + ": " + e.what());
      }
    }
  }

  std::shared_ptr<TrustStore> ts(new TrustStore());
  ts->store_ = X509_STORE_new();
  if (ts->store_ == nullptr) throw Error(TRUSTBUNDLE_E_INTERNAL, "out of memory");
  install_anchor_choice(ts->store_, ts.get());
  ts->mozilla_ = config.mozilla;
  if (config.system) ts->system_dir_ = add_system(ts->store_, more);
  auto add = [&ts](const LoadedCert& c) {
    X509* cert = c.cert.get();
    ts->extras_by_hash_.emplace(subject_hash(X509_get_subject_name(cert)), ts->extras_.size());
    ts->extras_.push_back(new_reference(cert));  // the store's own reference: `cert` lives as long as it
    ts->extra_pem_ += pem_block(c.der, 64);
    if (c.has_server_distrust_after) ts->distrusted_extras_.push_back({cert, c.server_distrust_after});
  };
  for (const LoadedCert& c : config.extras) add(c);
  for (const LoadedCert& c : more) add(c);
  if (!config.mozilla && !config.system && ts->extras_.empty())
    throw invalid_argument("the store would be empty: no Mozilla roots and no CA was added");
  return ts;
}

}  // namespace trustbundle
