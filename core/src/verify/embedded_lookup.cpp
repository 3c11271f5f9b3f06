#include "verify/embedded_lookup.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "base/cert_info.h"
#include "bundle/embedded_bundle.h"
#include "base/errors.h"

namespace trustbundle {
namespace {

// Parsed X509 objects of the embedded roots, filled on demand and kept for
// the life of the process (they are shared by every store).
class ParsedRoots {
 public:
  ParsedRoots() : parsed_(embedded_root_count()) {
    for (size_t i = 0; i < parsed_.size(); ++i) by_hash_.emplace(embedded_root_view(i).subject_hash, i);
  }

  std::vector<X509*> with_subject(const X509_NAME* name) {
    int ok = 0;
    unsigned long hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
    std::vector<X509*> out;
    if (!ok) return out;
    auto range = by_hash_.equal_range(hash);
    for (auto it = range.first; it != range.second; ++it) {
      X509* cert = get(it->second);
      if (cert != nullptr && X509_NAME_cmp(X509_get_subject_name(cert), name) == 0) out.push_back(cert);
    }
    return out;
  }

  size_t parsed_count() const { return count_.load(); }

 private:
  X509* get(size_t index) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!parsed_[index]) {
      const std::string der = embedded_root_der(index);
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      parsed_[index].reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
      if (parsed_[index]) {
        cache_extensions_now(parsed_[index].get());
        ++count_;
      }
    }
    return parsed_[index].get();
  }

  std::multimap<unsigned long, size_t> by_hash_;
  std::vector<X509Ptr> parsed_;
  std::mutex mutex_;
  std::atomic<size_t> count_{0};
};

ParsedRoots& parsed_roots() {
  static ParsedRoots* roots = new ParsedRoots();  // never destroyed: stores may outlive static destruction
  return *roots;
}

int get_by_subject(X509_LOOKUP* lookup, X509_LOOKUP_TYPE type, const X509_NAME* name, X509_OBJECT* ret) {
  if (type != X509_LU_X509 || name == nullptr) return 0;
  try {
    std::vector<X509*> found = parsed_roots().with_subject(name);
    if (found.empty()) return 0;
    // Adding to the store caches them there: OpenSSL then finds every root
    // with this subject, and asks us no more.
    X509_STORE* store = X509_LOOKUP_get_store(lookup);
    for (X509* cert : found) X509_STORE_add_cert(store, cert);
    return X509_OBJECT_set1_X509(ret, found.front());
  } catch (...) {
    return 0;
  }
}

X509_LOOKUP_METHOD* lookup_method() {
  static X509_LOOKUP_METHOD* method = [] {
    X509_LOOKUP_METHOD* m = X509_LOOKUP_meth_new("trustbundle embedded roots");
    if (m != nullptr) X509_LOOKUP_meth_set_get_by_subject(m, get_by_subject);
    return m;
  }();
  return method;
}

}  // namespace

void add_embedded_lookup(X509_STORE* store) {
  X509_LOOKUP_METHOD* method = lookup_method();
  if (method == nullptr || X509_STORE_add_lookup(store, method) == nullptr)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot add the embedded-roots lookup to an X509_STORE");
}

size_t embedded_roots_parsed() { return parsed_roots().parsed_count(); }

}  // namespace trustbundle
