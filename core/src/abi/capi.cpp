// extern "C" entry points of trustbundle.h: argument checks, a guarded call
// into the C++ core, and conversion of results to plain C data.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bundle/bundle_diff.h"
#include "abi/capi_guard.h"
#include "bundle/embedded_bundle.h"
#include "bundle/materialize.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

struct trustbundle_diff {
  std::vector<DiffEntry> entries;
  std::string json;
};

namespace trustbundle {

int fail(trustbundle_error* error, int status, const std::string& message) {
  if (error != nullptr) {
    error->status = status;
    error->reason = 0;
    error->depth = -1;
    error->openssl_code = 0;
    // Cut at the buffer's size, never inside a UTF-8 sequence: back off over
    // continuation bytes to the start of the character that does not fit.
    size_t n = std::min(message.size(), sizeof(error->message) - 1);
    if (n < message.size())
      while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;
    std::memcpy(error->message, message.data(), n);
    error->message[n] = '\0';
  }
  return status;
}

}  // namespace trustbundle

namespace {

void copy_path(char* out, size_t cap, const std::string& path) {
  if (path.size() + 1 > cap)
    throw Error(TRUSTBUNDLE_E_BUFFER_TOO_SMALL,
                "path needs " + std::to_string(path.size() + 1) + " bytes, buffer has " + std::to_string(cap));
  std::memcpy(out, path.c_str(), path.size() + 1);
}

// NULL means "the default place"; "" is a mistake, not a synonym for it.
std::string optional_dir(const char* dir) {
  if (dir != nullptr && *dir == '\0') throw invalid_argument("dir is an empty string: pass NULL for the default");
  return dir != nullptr ? dir : "";
}

}  // namespace

extern "C" {

const char* trustbundle_version(void) { return TRUSTBUNDLE_VERSION_STRING; }

int trustbundle_version_number(void) { return TRUSTBUNDLE_VERSION_NUMBER; }

const char* trustbundle_status_name(int status) {
  switch (status) {
    case TRUSTBUNDLE_OK: return "OK";
    case TRUSTBUNDLE_E_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case TRUSTBUNDLE_E_PARSE: return "PARSE";
    case TRUSTBUNDLE_E_IO: return "IO";
    case TRUSTBUNDLE_E_NOT_FOUND: return "NOT_FOUND";
    case TRUSTBUNDLE_E_BUFFER_TOO_SMALL: return "BUFFER_TOO_SMALL";
    case TRUSTBUNDLE_E_LIMIT: return "LIMIT";
    case TRUSTBUNDLE_E_INTERNAL: return "INTERNAL";
    case TRUSTBUNDLE_E_PASSPHRASE: return "PASSPHRASE";
    default: return "UNKNOWN";
  }
}

int trustbundle_time_parse(int64_t* out_seconds, const char* text, trustbundle_error* error) {
  return guarded(error, [&] {
    require(out_seconds != nullptr, "out_seconds is NULL");
    require(text != nullptr, "text is NULL");
    *out_seconds = parse_time(text);
  });
}

const char* trustbundle_bundle_nss_version(void) { return embedded_nss_version(); }

int64_t trustbundle_bundle_as_of(void) { return embedded_as_of(); }

int64_t trustbundle_bundle_age_days(int64_t at) { return age_in_days(embedded_as_of(), at); }

const char* trustbundle_bundle_version(void) {
  try {
    return embedded_bundle_version().c_str();
  } catch (...) {
    return "";
  }
}

size_t trustbundle_root_count(void) {
  try {
    return embedded_root_count();
  } catch (...) {
    return 0;
  }
}

int trustbundle_root_get(trustbundle_root_info* out, size_t index, trustbundle_error* error) {
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(out->version >= 1, "out->version is 0: initialize with TRUSTBUNDLE_ROOT_INFO_INIT");
    const auto& roots = embedded_roots();
    if (index >= roots.size())
      throw Error(TRUSTBUNDLE_E_NOT_FOUND,
                  "root index " + std::to_string(index) + " is out of range (count " + std::to_string(roots.size()) + ")");
    const RootRecord& r = roots[index];
    out->label = r.label.c_str();
    out->sha256_hex = r.info.sha256_hex.c_str();
    out->sha1_hex = r.info.sha1_hex.c_str();
    out->subject = r.info.subject.c_str();
    out->issuer = r.info.issuer.c_str();
    out->serial = r.info.serial.c_str();
    out->not_before = r.info.not_before;
    out->not_after = r.info.not_after;
    out->server_trust = static_cast<int>(r.server_trust);
    out->email_trust = static_cast<int>(r.email_trust);
    out->has_server_distrust_after = r.has_server_distrust_after ? 1 : 0;
    out->server_distrust_after = r.server_distrust_after;
    out->der = reinterpret_cast<const unsigned char*>(r.der.data());
    out->der_len = r.der.size();
  });
}

const char* trustbundle_bundle_pem(size_t* out_len) {
  try {
    const std::string& pem = embedded_pem();
    if (out_len != nullptr) *out_len = pem.size();
    return pem.c_str();
  } catch (...) {
    if (out_len != nullptr) *out_len = 0;
    return nullptr;
  }
}

int trustbundle_materialize(char* path_out, size_t path_cap, const char* dir, trustbundle_error* error) {
  return guarded(error, [&] {
    require(path_out != nullptr, "path_out is NULL");
    copy_path(path_out, path_cap, materialize_pem(optional_dir(dir), embedded_pem()));
  });
}

int trustbundle_capath_export(char* path_out, size_t path_cap, const char* dir, trustbundle_error* error) {
  return guarded(error, [&] {
    require(path_out != nullptr, "path_out is NULL");
    copy_path(path_out, path_cap, export_capath(optional_dir(dir), embedded_roots()));
  });
}

int trustbundle_diff_new(trustbundle_diff** out, const unsigned char* old_data, size_t old_len,
                         const unsigned char* new_data, size_t new_len, trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(old_data != nullptr || old_len == 0, "old_data is NULL");
    require(new_data != nullptr || new_len == 0, "new_data is NULL");
    within_limit(old_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "old bundle");
    within_limit(new_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "new bundle");
    std::string old_text(reinterpret_cast<const char*>(old_data), old_len);
    std::string new_text(reinterpret_cast<const char*>(new_data), new_len);
    if (old_text.empty()) throw Error(TRUSTBUNDLE_E_PARSE, "old bundle: empty input");
    if (new_text.empty()) throw Error(TRUSTBUNDLE_E_PARSE, "new bundle: empty input");
    auto diff = std::make_unique<trustbundle_diff>();
    diff->entries =
        diff_bundles(load_bundle_snapshot(old_text, "old bundle"), load_bundle_snapshot(new_text, "new bundle"));
    diff->json = format_diff_json(diff->entries);
    *out = diff.release();
  });
}

size_t trustbundle_diff_count(const trustbundle_diff* diff) { return diff != nullptr ? diff->entries.size() : 0; }

int trustbundle_diff_get(trustbundle_diff_entry* out, const trustbundle_diff* diff, size_t index,
                         trustbundle_error* error) {
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(diff != nullptr, "diff is NULL");
    require(out->version >= 1, "out->version is 0: initialize with TRUSTBUNDLE_DIFF_ENTRY_INIT");
    if (index >= diff->entries.size())
      throw Error(TRUSTBUNDLE_E_NOT_FOUND, "diff index " + std::to_string(index) + " is out of range (count " +
                                               std::to_string(diff->entries.size()) + ")");
    const DiffEntry& e = diff->entries[index];
    out->change = static_cast<int>(e.change);
    out->label = e.label.c_str();
    out->sha256_hex = e.sha256_hex.c_str();
    out->detail = e.detail.c_str();
  });
}

const char* trustbundle_diff_json(const trustbundle_diff* diff) { return diff != nullptr ? diff->json.c_str() : nullptr; }

void trustbundle_diff_free(trustbundle_diff* diff) { delete diff; }

}  // extern "C"
