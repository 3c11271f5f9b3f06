#include "bundle/embedded_bundle.h"

#include <cstdint>

#include "base/encoding.h"
#include "bundle/pem_format.h"
#include "base/time_util.h"

namespace trustbundle {
namespace {

struct EmbeddedRoot {
  const char* label;
  const char* subject;
  const char* issuer;
  const char* serial;
  int64_t not_before;
  int64_t not_after;
  int server_trust;
  int email_trust;
  int has_server_distrust_after;
  int64_t server_distrust_after;
  unsigned long subject_hash;
  const char* sha256_hex;
  const char* sha1_hex;
  const char* md5_hex;
  const char* der_base64;
};

#include "bundle_data.inc"

std::vector<RootRecord> decode_roots() {
  std::vector<RootRecord> roots;
  roots.reserve(TRUSTBUNDLE_EMBEDDED_ROOT_COUNT);
  const size_t count = TRUSTBUNDLE_EMBEDDED_ROOT_COUNT;  // 0 only in the bootstrap placeholder
  for (size_t i = 0; i < count; ++i) {
    const EmbeddedRoot& e = kEmbeddedRoots[i];
    RootRecord r;
    r.label = e.label;
    r.der = embedded_root_der(i);
    r.info.subject = e.subject;
    r.info.issuer = e.issuer;
    r.info.serial = e.serial;
    r.info.not_before = e.not_before;
    r.info.not_after = e.not_after;
    r.info.sha256_hex = e.sha256_hex;
    r.info.sha1_hex = e.sha1_hex;
    r.info.md5_hex = e.md5_hex;
    r.info.subject_hash = e.subject_hash;
    r.server_trust = static_cast<Trust>(e.server_trust);
    r.email_trust = static_cast<Trust>(e.email_trust);
    r.has_server_distrust_after = e.has_server_distrust_after != 0;
    r.server_distrust_after = e.server_distrust_after;
    roots.push_back(std::move(r));
  }
  return roots;
}

}  // namespace

size_t embedded_root_count() { return TRUSTBUNDLE_EMBEDDED_ROOT_COUNT; }

EmbeddedRootView embedded_root_view(size_t index) {
  const EmbeddedRoot& e = kEmbeddedRoots[index];
  return {e.subject_hash, e.sha256_hex, e.has_server_distrust_after != 0, e.server_distrust_after};
}

std::string embedded_root_der(size_t index) {
  return base64_decode(kEmbeddedRoots[index].der_base64, "embedded root " + std::to_string(index));
}

const char* embedded_nss_version() { return TRUSTBUNDLE_EMBEDDED_NSS_VERSION; }

int64_t embedded_as_of() { return TRUSTBUNDLE_EMBEDDED_AS_OF; }

const std::string& embedded_bundle_version() {
  static const std::string version = std::string(embedded_nss_version()) + "/" + format_rfc3339(embedded_as_of());
  return version;
}

const std::vector<RootRecord>& embedded_roots() {
  static const std::vector<RootRecord> roots = decode_roots();
  return roots;
}

const std::string& embedded_pem() {
  static const std::string pem = format_certifi_pem(embedded_roots());
  return pem;
}

}  // namespace trustbundle
