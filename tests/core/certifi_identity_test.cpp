// Byte identity with certifi: the certifi-mode output for NSS 2.86 at the
// dates of certifi 2026.4.22 and 2026.5.20 equals their cacert.pem. The
// releases come from the package index: tests/core/fetch_certifi.sh DIR,
// then TRUSTBUNDLE_CERTIFI_DIR=DIR.
#include <cstdlib>

#include "bundle/certdata_curation.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"

using namespace trustbundle;

namespace {

void expect_same_as_certifi(const std::string& version, const std::string& as_of, size_t expected_roots) {
  const char* dir = std::getenv("TRUSTBUNDLE_CERTIFI_DIR");
  if (dir == nullptr || *dir == '\0')
    GTEST_SKIP() << "TRUSTBUNDLE_CERTIFI_DIR is not set; run tests/core/fetch_certifi.sh DIR and set it to DIR "
                    "to compare with certifi "
                 << version;
  const std::string path = std::string(dir) + "/" + version + "/cacert.pem";
  ASSERT_TRUE(tbtest::path_exists(path)) << "TRUSTBUNDLE_CERTIFI_DIR is set but " << path
                                         << " is missing (run tests/core/fetch_certifi.sh)";
  const std::string certifi = tbtest::read_file(path);
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time(as_of));
  EXPECT_EQ(bundle.size(), expected_roots);
  const std::string ours = format_certifi_pem(bundle);
  EXPECT_EQ(tbtest::count_occurrences(certifi, "-----BEGIN CERTIFICATE-----"), expected_roots);
  if (ours != certifi) {
    size_t at = 0;
    while (at < ours.size() && at < certifi.size() && ours[at] == certifi[at]) ++at;
    FAIL() << "differs from certifi " << version << " at byte " << at << " (line " << tbtest::line_of(ours, at)
           << "): ours '" << ours.substr(at > 40 ? at - 40 : 0, 120) << "' vs certifi '"
           << certifi.substr(at > 40 ? at - 40 : 0, 120) << "'";
  }
}

}  // namespace

TEST(CertifiIdentity, Release2026_4_22) {
  TB_REQUIRE_SHARED();
  expect_same_as_certifi("2026.4.22", "2026-04-22T00:00:00Z", 120);
}

TEST(CertifiIdentity, Release2026_5_20) {
  TB_REQUIRE_SHARED();
  expect_same_as_certifi("2026.5.20", "2026-05-20T00:00:00Z", 119);
}
