// extern "C" entry points for stores, verification and key checks.
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "abi/capi_guard.h"
#include "abi/capi_handles.h"
#include "verify/cert_source.h"
#include "verify/key_pair.h"
#include "verify/trust_store.h"
#include "trustbundle/trustbundle.h"
#include "verify/verifier.h"
#include "verify/verify_reasons.h"

using namespace trustbundle;

struct trustbundle_store_builder {
  StoreConfig config;
};

struct trustbundle_result {
  VerifyOutcome outcome;
};

namespace {

}  // namespace

extern "C" {

int trustbundle_store_builder_new(trustbundle_store_builder** out, const trustbundle_store_options* options,
                                  trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    auto builder = std::make_unique<trustbundle_store_builder>();
    if (options != nullptr) {
      require(options->version >= 1, "options->version is 0: initialize with TRUSTBUNDLE_STORE_OPTIONS_INIT");
      builder->config.mozilla = options->mozilla != 0;
      builder->config.env = options->env != 0;
      builder->config.system = options->system != 0;
    }
    *out = builder.release();
  });
}

int trustbundle_store_builder_add_path(trustbundle_store_builder* builder, const char* path, trustbundle_error* error) {
  return guarded(error, [&] {
    require(builder != nullptr, "builder is NULL");
    require(path != nullptr && *path != '\0', "path is NULL or empty");
    builder->config.add_path(path);
  });
}

int trustbundle_store_builder_add_data(trustbundle_store_builder* builder, const unsigned char* data, size_t len,
                                       const char* name, trustbundle_error* error) {
  return guarded(error, [&] {
    require(builder != nullptr, "builder is NULL");
    require(data != nullptr || len == 0, "data is NULL");
    std::string label = name != nullptr && *name != '\0' ? name : "CA data";
    within_limit(len, TRUSTBUNDLE_MAX_INPUT_BYTES, label);
    if (len == 0) throw parse_error(label, "empty: no certificate in it");
    builder->config.add_data(bytes(data, len), label);
  });
}

int trustbundle_store_build(trustbundle_store** out, const trustbundle_store_builder* builder, trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(builder != nullptr, "builder is NULL");
    auto store = std::make_unique<trustbundle_store>();
    store->store = TrustStore::build(builder->config);
    *out = store.release();
  });
}

int trustbundle_store_new_default(trustbundle_store** out, trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    auto store = std::make_unique<trustbundle_store>();
    store->store = TrustStore::build(StoreConfig());
    *out = store.release();
  });
}

size_t trustbundle_store_extra_count(const trustbundle_store* store) {
  return store != nullptr ? store->store->extra_count() : 0;
}

const char* trustbundle_store_extra_pem(const trustbundle_store* store, size_t* out_len) {
  const char* pem = store != nullptr ? store->store->extra_pem().c_str() : "";
  if (out_len != nullptr) *out_len = store != nullptr ? store->store->extra_pem().size() : 0;
  return pem;
}

void trustbundle_store_builder_free(trustbundle_store_builder* builder) { delete builder; }

void trustbundle_store_free(trustbundle_store* store) { delete store; }

const char* trustbundle_reason_name(int reason) { return reason_name(reason); }

int trustbundle_verify(trustbundle_result** out, const trustbundle_store* store, const unsigned char* chain,
                       const size_t* lengths, size_t count, const trustbundle_verify_options* options,
                       trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(store != nullptr, "store is NULL");
    require(count > 0, "count is 0: no certificate to verify");
    require(chain != nullptr && lengths != nullptr, "chain or lengths is NULL");
    if (count > TRUSTBUNDLE_MAX_CHAIN_CERTS)
      throw Error(TRUSTBUNDLE_E_LIMIT, std::to_string(count) + " certificates is over the chain limit of " +
                                           std::to_string(TRUSTBUNDLE_MAX_CHAIN_CERTS));
    // Every length against its limit before anything is copied.
    size_t total = 0;
    for (size_t i = 0; i < count; ++i) {
      within_limit(lengths[i], TRUSTBUNDLE_MAX_INPUT_BYTES, "chain element " + std::to_string(i));
      total += lengths[i];  // cannot wrap: each term is at most the limit, checked before the next
      within_limit(total, TRUSTBUNDLE_MAX_INPUT_BYTES, "the chain buffer");
    }
    if (options != nullptr) {
      require(options->version >= 1, "options->version is 0: initialize with TRUSTBUNDLE_VERIFY_OPTIONS_INIT");
      within_limit(options->untrusted_len, TRUSTBUNDLE_MAX_INPUT_BYTES,
                   "untrusted intermediates (options->untrusted)");
      within_limit(options->crls_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "CRL data (options->crls)");
    }
    std::vector<std::string> buffers;
    buffers.reserve(count);
    size_t offset = 0;
    for (size_t i = 0; i < count; ++i) {
      buffers.push_back(bytes(chain + offset, lengths[i]));
      offset += lengths[i];
    }
    VerifyRequest request;
    request.chain = decode_chain(buffers, "chain");
    if (options != nullptr) {
      require(options->purpose == TRUSTBUNDLE_PURPOSE_SERVER || options->purpose == TRUSTBUNDLE_PURPOSE_CLIENT,
              "options->purpose must be TRUSTBUNDLE_PURPOSE_SERVER or _CLIENT");
      request.host = options->host != nullptr ? options->host : "";
      request.has_time = options->has_time != 0;
      request.time = options->time;
      request.client_purpose = options->purpose == TRUSTBUNDLE_PURPOSE_CLIENT;
      request.max_depth = options->max_depth;
      require(options->untrusted != nullptr || options->untrusted_len == 0,
              "options->untrusted is NULL but options->untrusted_len is not 0");
      require(options->crls != nullptr || options->crls_len == 0, "options->crls is NULL but options->crls_len is not 0");
      if (options->untrusted != nullptr && options->untrusted_len > 0)
        request.untrusted = decode_chain({bytes(options->untrusted, options->untrusted_len)}, "untrusted intermediates",
                                         TRUSTBUNDLE_MAX_UNTRUSTED_CERTS);
      if (options->crls != nullptr && options->crls_len > 0) request.crls_pem = bytes(options->crls, options->crls_len);
    }
    auto result = std::make_unique<trustbundle_result>();
    result->outcome = verify_chain(*store->store, request);
    *out = result.release();
  });
}

int trustbundle_result_ok(const trustbundle_result* r) { return r != nullptr && r->outcome.ok ? 1 : 0; }

int trustbundle_result_reason(const trustbundle_result* r) {
  return r != nullptr ? r->outcome.reason : TRUSTBUNDLE_REASON_OTHER;
}

int trustbundle_result_depth(const trustbundle_result* r) { return r != nullptr ? r->outcome.depth : -1; }

long trustbundle_result_openssl_code(const trustbundle_result* r) { return r != nullptr ? r->outcome.openssl_code : 0; }

const char* trustbundle_result_message(const trustbundle_result* r) {
  return r != nullptr ? r->outcome.message.c_str() : "";
}

const char* trustbundle_result_hint(const trustbundle_result* r) { return r != nullptr ? r->outcome.hint.c_str() : ""; }

size_t trustbundle_result_chain_count(const trustbundle_result* r) {
  return r != nullptr ? r->outcome.chain_der.size() : 0;
}

const unsigned char* trustbundle_result_chain_der(const trustbundle_result* r, size_t index, size_t* out_len) {
  if (r == nullptr || index >= r->outcome.chain_der.size()) {
    if (out_len != nullptr) *out_len = 0;
    return nullptr;
  }
  const std::string& der = r->outcome.chain_der[index];
  if (out_len != nullptr) *out_len = der.size();
  return reinterpret_cast<const unsigned char*>(der.data());
}

void trustbundle_result_free(trustbundle_result* result) { delete result; }

int trustbundle_check_key_pair(trustbundle_key_check* out, const unsigned char* cert, size_t cert_len,
                               const unsigned char* key, size_t key_len, const char* passphrase, int has_time,
                               int64_t at, trustbundle_error* error) {
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(out->version >= 1, "out->version is 0: initialize with TRUSTBUNDLE_KEY_CHECK_INIT");
    require(cert != nullptr && cert_len > 0, "cert is NULL or empty");
    require(key != nullptr && key_len > 0, "key is NULL or empty");
    within_limit(cert_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "cert");
    within_limit(key_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "key");
    KeyPairCheck check = check_key_pair(bytes(cert, cert_len), bytes(key, key_len), passphrase,
                                        has_time ? at : static_cast<int64_t>(std::time(nullptr)));
    out->match = check.match ? 1 : 0;
    out->client_auth = check.client_auth ? 1 : 0;
    out->valid = check.valid ? 1 : 0;
    out->not_before = check.not_before;
    out->not_after = check.not_after;
  });
}

}  // extern "C"
