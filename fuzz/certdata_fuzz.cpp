// certdata.txt in: the parser, the certificate/trust pairing, both
// curation modes, both PEM layouts and the capath names. A file that loads
// must also be recognised as certdata and survive a PEM round trip.
#include <string>
#include <vector>

#include "bundle/certdata_curation.h"
#include "bundle/certdata_parser.h"
#include "fuzz_check.h"
#include "harness.h"
#include "bundle/materialize.h"
#include "bundle/pem_format.h"

namespace tbfuzz {

int certdata(const uint8_t* data, size_t size) {
  using namespace trustbundle;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<RootRecord> roots;
  if (!accepts([&] { roots = load_certdata(text, "fuzz.txt"); }, {TRUSTBUNDLE_E_PARSE})) return 0;

  TB_FUZZ_CHECK(looks_like_certdata(text), "loaded as certdata but not detected as certdata");
  const int64_t as_of = 1780272000;  // 2026-06-01
  for (CurationMode mode : {CurationMode::Certifi, CurationMode::Curl})
    TB_FUZZ_CHECK(curate(roots, mode, as_of).size() <= roots.size(), "curation added roots");

  std::vector<PemCertificate> back;
  const std::string pem = format_certifi_pem(roots);
  TB_FUZZ_CHECK(accepts([&] { back = read_pem_certificates(pem, "round trip"); }, {}), "own PEM does not read back");
  TB_FUZZ_CHECK(back.size() == roots.size(), "PEM round trip changed the count");
  for (size_t i = 0; i < back.size(); ++i) TB_FUZZ_CHECK(back[i].der == roots[i].der, "PEM round trip changed DER");
  format_curl_pem(roots, "0.0", as_of);
  TB_FUZZ_CHECK(capath_files(roots).size() == roots.size(), "capath file count");
  return 0;
}

}  // namespace tbfuzz
