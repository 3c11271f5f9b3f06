// The curation rule over time (DESIGN.md section 2) on NSS 2.86: the counts
// at certifi's release dates, the distrust-after + 398 days instants, and
// curl mode.
#include "bundle/certdata_curation.h"
#include "base/encoding.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"

using namespace trustbundle;

namespace {

size_t count_server_trusted(const std::vector<RootRecord>& roots) {
  size_t n = 0;
  for (const RootRecord& r : roots) n += r.server_trust == Trust::Trusted;
  return n;
}

// Checks that `label` is in the certifi bundle exactly through
// distrust-after + 398 days and out one second later.
void expect_drops_out_at(const std::string& label, const std::string& distrust_after) {
  const RootRecord* root = tbtest::find_label(tbtest::roots_286(), label);
  ASSERT_NE(root, nullptr) << label;
  ASSERT_TRUE(root->has_server_distrust_after) << label;
  const int64_t d = parse_time(distrust_after);
  EXPECT_EQ(root->server_distrust_after, d) << label;
  const int64_t last_in = d + 398LL * 86400;
  EXPECT_EQ(last_in, d + kDistrustGraceSeconds);
  const auto& all = tbtest::roots_286();
  EXPECT_TRUE(tbtest::contains_label(curate(all, CurationMode::Certifi, d), label));
  EXPECT_TRUE(tbtest::contains_label(curate(all, CurationMode::Certifi, last_in), label))
      << label << " should still be in at " << format_rfc3339(last_in);
  EXPECT_FALSE(tbtest::contains_label(curate(all, CurationMode::Certifi, last_in + 1), label))
      << label << " should be out at " << format_rfc3339(last_in + 1);
}

}  // namespace

TEST(Curation, CountsOfNss286) {
  TB_REQUIRE_SHARED();
  const auto& all = tbtest::roots_286();
  EXPECT_EQ(all.size(), 167u);
  EXPECT_EQ(count_server_trusted(all), 121u);
  EXPECT_EQ(curate(all, CurationMode::Certifi, parse_time("2026-04-22T00:00:00Z")).size(), 120u);
  EXPECT_EQ(curate(all, CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z")).size(), 119u);
}

TEST(Curation, BeforeAnyDistrustDateEveryServerTrustedRootIsIn) {
  TB_REQUIRE_SHARED();
  const auto& all = tbtest::roots_286();
  EXPECT_EQ(curate(all, CurationMode::Certifi, parse_time("2024-01-01T00:00:00Z")).size(), count_server_trusted(all));
}

TEST(Curation, EntrustRootCaDropsOutAtDistrustPlus398Days) {
  TB_REQUIRE_SHARED();
  expect_drops_out_at("Entrust Root Certification Authority", "2024-11-30T23:59:59Z");
  EXPECT_EQ(format_rfc3339(parse_time("2024-11-30T23:59:59Z") + kDistrustGraceSeconds), "2026-01-02T23:59:59Z");
}

TEST(Curation, EpkiDropsOutAtDistrustPlus398Days) {
  TB_REQUIRE_SHARED();
  expect_drops_out_at("ePKI Root Certification Authority", "2025-04-15T23:59:59Z");
}

TEST(Curation, IzenpeDropsOutAtItsTrustObjectDate) {
  TB_REQUIRE_SHARED();
  expect_drops_out_at("Izenpe.com", "2026-04-15T23:59:59Z");
}

TEST(Curation, KeepsCertdataOrder) {
  TB_REQUIRE_SHARED();
  const auto& all = tbtest::roots_286();
  std::vector<RootRecord> bundle = curate(all, CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  size_t last_line = 0;
  for (const RootRecord& r : bundle) {
    EXPECT_GT(r.line, last_line) << r.label;
    last_line = r.line;
  }
}

TEST(Curation, CurlModeKeepsRootsNotExpiredAtAsOf) {
  TB_REQUIRE_SHARED();
  const auto& all = tbtest::roots_286();
  for (const char* when : {"2026-05-20T00:00:00Z", "2030-01-01T00:00:00Z", "2036-06-01T00:00:00Z"}) {
    const int64_t as_of = parse_time(when);
    std::vector<RootRecord> expected;
    for (const RootRecord& r : all)
      if (r.server_trust == Trust::Trusted && as_of <= r.info.not_after) expected.push_back(r);
    std::vector<RootRecord> got = curate(all, CurationMode::Curl, as_of);
    ASSERT_EQ(got.size(), expected.size()) << when;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].info.sha256_hex, expected[i].info.sha256_hex) << when;
  }
  // Expiry does remove roots over these years.
  EXPECT_LT(curate(all, CurationMode::Curl, parse_time("2036-06-01T00:00:00Z")).size(),
            curate(all, CurationMode::Curl, parse_time("2026-05-20T00:00:00Z")).size());
}

TEST(Curation, CurlModeBoundaryIsNotAfterInclusive) {
  TB_REQUIRE_SHARED();
  const auto& all = tbtest::roots_286();
  // The server-trusted root that expires first after 2026-05-20.
  const RootRecord* first = nullptr;
  for (const RootRecord& r : all)
    if (r.server_trust == Trust::Trusted && r.info.not_after >= parse_time("2026-05-20T00:00:00Z") &&
        (first == nullptr || r.info.not_after < first->info.not_after))
      first = &r;
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(tbtest::contains_label(curate(all, CurationMode::Curl, first->info.not_after), first->label));
  EXPECT_FALSE(tbtest::contains_label(curate(all, CurationMode::Curl, first->info.not_after + 1), first->label));
}

TEST(Curation, CurlModeIgnoresDistrustDates) {
  TB_REQUIRE_SHARED();
  const RootRecord* entrust = tbtest::find_label(tbtest::roots_286(), "Entrust Root Certification Authority");
  ASSERT_NE(entrust, nullptr);
  const int64_t after_drop = entrust->server_distrust_after + kDistrustGraceSeconds + 1;
  ASSERT_LE(after_drop, entrust->info.not_after) << "the data no longer allows this check";
  EXPECT_FALSE(tbtest::contains_label(curate(tbtest::roots_286(), CurationMode::Certifi, after_drop), entrust->label));
  EXPECT_TRUE(tbtest::contains_label(curate(tbtest::roots_286(), CurationMode::Curl, after_drop), entrust->label));
}

TEST(Curation, CurlLayoutHasLabelUnderlineAnd76Columns) {
  TB_REQUIRE_SHARED();
  const int64_t as_of = parse_time("2026-05-20T00:00:00Z");
  std::vector<RootRecord> roots = curate(tbtest::roots_286(), CurationMode::Curl, as_of);
  ASSERT_FALSE(roots.empty());
  const std::string pem = format_curl_pem(roots, "2.86", as_of);
  std::vector<std::string> lines = tbtest::split_lines(pem);

  size_t index = 0, i = 0;
  // Header: comment lines only, then the first blank line.
  while (i < lines.size() && !lines[i].empty()) {
    EXPECT_EQ(lines[i].rfind("##", 0), 0u) << lines[i];
    ++i;
  }
  while (i < lines.size()) {
    ASSERT_LT(index, roots.size());
    const RootRecord& r = roots[index];
    ASSERT_EQ(lines[i], "") << "a blank line before " << r.label;
    ASSERT_LT(i + 3, lines.size());
    EXPECT_EQ(lines[i + 1], r.label);
    EXPECT_EQ(lines[i + 2], std::string(r.label.size(), '=')) << r.label;
    EXPECT_EQ(lines[i + 3], "-----BEGIN CERTIFICATE-----");
    i += 4;
    std::string body;
    while (i < lines.size() && lines[i] != "-----END CERTIFICATE-----") {
      EXPECT_LE(lines[i].size(), 76u);
      if (i + 1 < lines.size() && lines[i + 1] != "-----END CERTIFICATE-----") {
        EXPECT_EQ(lines[i].size(), 76u);
      }
      body += lines[i++];
    }
    ASSERT_LT(i, lines.size()) << "unterminated block for " << r.label;
    EXPECT_EQ(base64_decode(body, "curl block"), r.der) << r.label;
    ++i;
    ++index;
  }
  EXPECT_EQ(index, roots.size());
}
