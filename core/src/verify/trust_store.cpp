#include "verify/trust_store.h"

#include <cstdlib>

#include "verify/cert_source.h"
#include "bundle/embedded_bundle.h"
#include "verify/embedded_lookup.h"
#include "base/encoding.h"
#include "base/cert_info.h"
#include "base/errors.h"
#include "base/file_ops.h"
#include "bundle/pem_format.h"

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
void add_system(X509_STORE* store, std::vector<LoadedCert>& certs) {
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
  }
}

}  // namespace

void StoreConfig::add_path(const std::string& path) {
  for (LoadedCert& c : load_certs_from_path(path)) extras.push_back(std::move(c));
}

void StoreConfig::add_data(const std::string& bytes, const std::string& name) {
  for (LoadedCert& c : load_certs_from_bytes(bytes, name)) extras.push_back(std::move(c));
}

TrustStore::~TrustStore() { X509_STORE_free(store_); }

bool TrustStore::distrust_after(const std::string& sha256_hex, int64_t& out) const {
  auto it = distrust_.find(sha256_hex);
  if (it == distrust_.end()) return false;
  out = it->second;
  return true;
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
  if (config.mozilla) {
    add_embedded_lookup(ts->store_);
    for (size_t i = 0; i < embedded_root_count(); ++i) {
      EmbeddedRootView root = embedded_root_view(i);
      if (root.has_server_distrust_after) ts->distrust_[root.sha256_hex] = root.server_distrust_after;
    }
  }
  if (config.system) add_system(ts->store_, more);
  auto add = [&ts](const LoadedCert& c) {
    X509_STORE_add_cert(ts->store_, c.cert.get());  // a duplicate is harmless
    ts->extra_pem_ += pem_block(c.der, 64);
    if (c.has_server_distrust_after)
      ts->distrust_[hex_lower(digest(EVP_sha256(), c.der))] = c.server_distrust_after;
    ++ts->extra_count_;
  };
  for (const LoadedCert& c : config.extras) add(c);
  for (const LoadedCert& c : more) add(c);
  if (!config.mozilla && !config.system && ts->extra_count_ == 0)
    throw invalid_argument("the store would be empty: no Mozilla roots and no CA was added");
  return ts;
}

}  // namespace trustbundle
