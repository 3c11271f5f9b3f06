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

  std::vector<EmbeddedRoot> with_subject(const X509_NAME* name, unsigned long hash, bool distrusted_only) {
    std::vector<EmbeddedRoot> out;
    int ok = 1;
    if (hash == 0) hash = X509_NAME_hash_ex(name, nullptr, nullptr, &ok);
    if (!ok) return out;
    auto range = by_hash_.equal_range(hash);
    for (auto it = range.first; it != range.second; ++it) {
      if (distrusted_only && !embedded_root_view(it->second).has_server_distrust_after) continue;
      X509* cert = get(it->second);
      if (cert != nullptr && X509_NAME_cmp(X509_get_subject_name(cert), name) == 0) out.push_back({cert, it->second});
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

}  // namespace

std::vector<EmbeddedRoot> embedded_roots_with_subject(const X509_NAME* name, unsigned long subject_hash,
                                                      bool distrusted_only) {
  return parsed_roots().with_subject(name, subject_hash, distrusted_only);
}

size_t embedded_roots_parsed() { return parsed_roots().parsed_count(); }

}  // namespace trustbundle
