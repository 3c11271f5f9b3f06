// Extra CAs from a user (TRUSTBUNDLE_EXTRA_CA_CERTS, add_data): PEM, DER or
// certdata.txt through load_certs_from_bytes, then a store built from them.
#include <string>
#include <vector>

#include "verify/cert_source.h"
#include "fuzz_check.h"
#include "harness.h"
#include "bundle/pem_format.h"
#include "verify/trust_store.h"

namespace tbfuzz {

int extra_ca(const uint8_t* data, size_t size) {
  using namespace trustbundle;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<LoadedCert> certs;
  if (!accepts([&] { certs = load_certs_from_bytes(bytes, "fuzz.pem"); }, {TRUSTBUNDLE_E_PARSE, TRUSTBUNDLE_E_LIMIT}))
    return 0;
  TB_FUZZ_CHECK(!certs.empty() && certs.size() <= TRUSTBUNDLE_MAX_SOURCE_CERTS, "certificate count out of bounds");

  StoreConfig config;
  config.mozilla = false;  // only what the input holds: keeps each run small
  config.env = false;
  config.extras = std::move(certs);
  std::shared_ptr<const TrustStore> store;
  TB_FUZZ_CHECK(accepts([&] { store = TrustStore::build(config); }, {}), "a store from loaded CAs fails to build");
  TB_FUZZ_CHECK(store->extra_count() == config.extras.size(), "store lost an anchor");
  std::vector<PemCertificate> back;
  TB_FUZZ_CHECK(accepts([&] { back = read_pem_certificates(store->extra_pem(), "extra pem"); }, {}),
                "the store's extra PEM does not read back");
  TB_FUZZ_CHECK(back.size() == config.extras.size(), "extra PEM count");
  return 0;
}

}  // namespace tbfuzz
