// PEM and DER from a peer: decode_chain over "TBFZ"-separated elements
// (the C ABI's lengths array) and read_pem_certificates over the whole
// input. What decodes must re-encode and decode again to the same bytes.
#include <string>
#include <vector>

#include "verify/cert_source.h"
#include "fuzz_check.h"
#include "harness.h"
#include "bundle/pem_format.h"

namespace tbfuzz {

int chain(const uint8_t* data, size_t size) {
  using namespace trustbundle;
  const std::string bytes(reinterpret_cast<const char*>(data), size);

  std::vector<X509Ptr> certs;
  const std::vector<std::string> parts = split_parts(bytes, TRUSTBUNDLE_MAX_CHAIN_CERTS + 4);
  if (accepts([&] { certs = decode_chain(parts, "fuzz"); }, {TRUSTBUNDLE_E_PARSE, TRUSTBUNDLE_E_LIMIT})) {
    TB_FUZZ_CHECK(!certs.empty() && certs.size() <= TRUSTBUNDLE_MAX_CHAIN_CERTS, "chain size out of bounds");
    for (const X509Ptr& cert : certs) {
      std::string der;
      // i2d can refuse what d2i accepted (OpenSSL keeps the parsed form);
      // that is INTERNAL by design, never a crash.
      if (!accepts([&] { der = der_of(cert.get()); }, {TRUSTBUNDLE_E_INTERNAL})) continue;
      std::vector<X509Ptr> again;
      TB_FUZZ_CHECK(accepts([&] { again = decode_chain({pem_block(der, 64)}, "re-encoded"); }, {}),
                    "a re-encoded certificate does not decode");
      TB_FUZZ_CHECK(again.size() == 1, "re-encoded certificate count");
    }
  }

  std::vector<PemCertificate> blocks;
  if (accepts([&] { blocks = read_pem_certificates(bytes, "fuzz"); }, {TRUSTBUNDLE_E_PARSE})) {
    for (const PemCertificate& block : blocks) {
      TB_FUZZ_CHECK(!block.der.empty(), "an empty block was returned");
      std::vector<PemCertificate> again;
      TB_FUZZ_CHECK(accepts([&] { again = read_pem_certificates(pem_block(block.der, 64), "again"); }, {}),
                    "pem_block output does not read back");
      TB_FUZZ_CHECK(again.size() == 1 && again[0].der == block.der, "PEM round trip changed the bytes");
    }
  }
  return 0;
}

}  // namespace tbfuzz
