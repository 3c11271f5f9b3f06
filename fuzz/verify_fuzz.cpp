// trustbundle_verify through the C ABI with arbitrary chains, names, times
// and options, against the embedded Mozilla roots plus the fixed test root
// (fixed_pki.h, so chains in the seeds can verify). Input layout:
//   byte 0     flags: bit 0 client purpose, bit 1 check at the time below,
//              bit 2 the last element is the untrusted pool, bit 3 the
//              element before it is CRL data, bits 4-7 max_depth + 1
//   bytes 1-4  time: seconds after 2020-01-01, little endian
//   byte 5     host length N, then N bytes of host
//   the rest   chain elements separated by "TBFZ" (leaf first)
#include <cstring>
#include <string>
#include <vector>

#include "fixed_pki.h"
#include "fuzz_check.h"
#include "harness.h"
#include "trustbundle/trustbundle.h"

namespace tbfuzz {
namespace {

const trustbundle_store* shared_store() {
  static const trustbundle_store* store = [] {
    trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
    options.env = 0;  // the environment must not change what a crash input does
    trustbundle_store_builder* builder = nullptr;
    trustbundle_store* built = nullptr;
    TB_FUZZ_CHECK(trustbundle_store_builder_new(&builder, &options, nullptr) == TRUSTBUNDLE_OK, "builder");
    TB_FUZZ_CHECK(trustbundle_store_builder_add_data(builder, reinterpret_cast<const unsigned char*>(kRootPem),
                                                     std::strlen(kRootPem), "fixed root", nullptr) == TRUSTBUNDLE_OK,
                  "fixed root");
    TB_FUZZ_CHECK(trustbundle_store_build(&built, builder, nullptr) == TRUSTBUNDLE_OK, "store");
    trustbundle_store_builder_free(builder);
    return built;  // kept for the life of the process
  }();
  return store;
}

void check_result(int status, const trustbundle_result* result, const trustbundle_error& error) {
  TB_FUZZ_CHECK(std::memchr(error.message, 0, sizeof error.message) != nullptr, "unterminated error message");
  if (status != TRUSTBUNDLE_OK) {
    TB_FUZZ_CHECK(status == TRUSTBUNDLE_E_PARSE || status == TRUSTBUNDLE_E_LIMIT ||
                      status == TRUSTBUNDLE_E_INVALID_ARGUMENT,
                  "verify failed with an unexpected status");
    TB_FUZZ_CHECK(result == nullptr, "a result on failure");
    TB_FUZZ_CHECK(error.status == status && error.message[0] != '\0', "error struct not filled");
    return;
  }
  TB_FUZZ_CHECK(result != nullptr, "no result on success");
  const int ok = trustbundle_result_ok(result);
  const int reason = trustbundle_result_reason(result);
  const size_t count = trustbundle_result_chain_count(result);
  // Every reason the header names (the enum is append-only: the last one moves).
  TB_FUZZ_CHECK(reason >= TRUSTBUNDLE_REASON_OK && reason <= TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED,
                "reason out of range");
  TB_FUZZ_CHECK((ok == 1) == (reason == TRUSTBUNDLE_REASON_OK), "ok and reason disagree");
  TB_FUZZ_CHECK((ok == 1) == (count > 0), "ok and chain disagree");
  TB_FUZZ_CHECK(ok == 1 ? trustbundle_result_depth(result) == -1 : trustbundle_result_depth(result) >= -1, "depth");
  TB_FUZZ_CHECK(ok == 1 || trustbundle_result_message(result)[0] != '\0', "a rejection without a message");
  TB_FUZZ_CHECK(count <= TRUSTBUNDLE_MAX_DEPTH + 2, "verified chain longer than the depth limit");
  for (size_t i = 0; i < count; ++i) {
    size_t len = 0;
    TB_FUZZ_CHECK(trustbundle_result_chain_der(result, i, &len) != nullptr && len > 0, "missing chain DER");
  }
}

}  // namespace

int verify(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  const uint8_t flags = data[0];
  const uint32_t offset = static_cast<uint32_t>(data[1]) | static_cast<uint32_t>(data[2]) << 8 |
                          static_cast<uint32_t>(data[3]) << 16 | static_cast<uint32_t>(data[4]) << 24;
  const size_t host_len = data[5];
  if (size < 6 + host_len) return 0;
  const std::string host(reinterpret_cast<const char*>(data + 6), host_len);
  std::vector<std::string> parts = split_parts(
      std::string(reinterpret_cast<const char*>(data + 6 + host_len), size - 6 - host_len),
      TRUSTBUNDLE_MAX_CHAIN_CERTS + 4);

  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  options.purpose = (flags & 1) ? TRUSTBUNDLE_PURPOSE_CLIENT : TRUSTBUNDLE_PURPOSE_SERVER;
  options.has_time = (flags & 2) ? 1 : 0;
  options.time = 1577836800 + static_cast<int64_t>(offset);  // 2020-01-01 + offset
  options.max_depth = (flags >> 4) - 1;
  options.host = host.c_str();  // an embedded NUL shortens it, as it would for any C caller
  std::string untrusted, crls;
  if ((flags & 4) && parts.size() > 1) {
    untrusted = parts.back();
    parts.pop_back();
  }
  if ((flags & 8) && parts.size() > 1) {
    crls = parts.back();
    parts.pop_back();
  }
  options.untrusted = reinterpret_cast<const unsigned char*>(untrusted.data());
  options.untrusted_len = untrusted.size();
  options.crls = reinterpret_cast<const unsigned char*>(crls.data());
  options.crls_len = crls.size();

  std::string chain;
  std::vector<size_t> lengths;
  for (const std::string& part : parts) {
    chain += part;
    lengths.push_back(part.size());
  }
  trustbundle_result* result = nullptr;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_verify(&result, shared_store(), reinterpret_cast<const unsigned char*>(chain.data()),
                                  lengths.data(), lengths.size(), &options, &error);
  check_result(status, result, error);
  trustbundle_result_free(result);
  return 0;
}

}  // namespace tbfuzz
