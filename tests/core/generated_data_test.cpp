// core/data/ is exactly what the converter makes from the inputs pinned in
// core/data/SOURCE.conf, and the library embeds that same bundle.
#include <algorithm>
#include <map>

#include "bundle/bundle_diff.h"
#include "bundle/bundle_outputs.h"
#include "base/cert_info.h"
#include "bundle/certdata_curation.h"
#include "bundle/embedded_bundle.h"
#include "base/encoding.h"
#include "bundle/materialize.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

namespace {

std::string data_file(const std::string& name) { return tbtest::source_dir() + "/core/data/" + name; }

std::map<std::string, std::string> source_conf() {
  std::map<std::string, std::string> conf;
  for (const std::string& line : tbtest::split_lines(tbtest::read_file(data_file("SOURCE.conf")))) {
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq != std::string::npos) conf[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return conf;
}

}  // namespace

TEST(GeneratedData, EmbeddedPemEqualsCommittedCacertPem) {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  ASSERT_NE(pem, nullptr);
  EXPECT_EQ(std::strlen(pem), len);
  const std::string committed = tbtest::read_file(data_file("cacert.pem"));
  EXPECT_TRUE(std::string(pem, len) == committed) << "the embedded bundle differs from core/data/cacert.pem";
  EXPECT_EQ(embedded_pem(), committed);
}

TEST(GeneratedData, EmbeddedVersionMatchesSourceConf) {
  auto conf = source_conf();
  EXPECT_EQ(std::string(trustbundle_bundle_nss_version()), conf.at("nss_version"));
  EXPECT_EQ(trustbundle_bundle_as_of(), parse_time(conf.at("as_of")));
  EXPECT_EQ(std::string(trustbundle_bundle_version()), conf.at("nss_version") + "/" + conf.at("as_of"));
  EXPECT_EQ(trustbundle_root_count(), tbtest::count_occurrences(tbtest::read_file(data_file("cacert.pem")),
                                                                "-----BEGIN CERTIFICATE-----"));
}

TEST(GeneratedData, EmbeddedMetadataMatchesTheDer) {
  for (const RootRecord& r : embedded_roots()) {
    CertInfo info = describe_certificate(r.der, r.label);
    EXPECT_EQ(info.sha256_hex, r.info.sha256_hex) << r.label;
    EXPECT_EQ(info.sha1_hex, r.info.sha1_hex) << r.label;
    EXPECT_EQ(info.md5_hex, r.info.md5_hex) << r.label;
    EXPECT_EQ(info.subject, r.info.subject) << r.label;
    EXPECT_EQ(info.issuer, r.info.issuer) << r.label;
    EXPECT_EQ(info.serial, r.info.serial) << r.label;
    EXPECT_EQ(info.not_before, r.info.not_before) << r.label;
    EXPECT_EQ(info.not_after, r.info.not_after) << r.label;
    EXPECT_EQ(info.subject_hash, r.info.subject_hash) << r.label;
    EXPECT_EQ(r.server_trust, Trust::Trusted) << r.label;
  }
}

TEST(GeneratedData, CommittedFilesEqualAFreshBuildAtSourceConfAsOf) {
  TB_REQUIRE_SHARED();
  auto conf = source_conf();
  // SOURCE.conf names files relative to ../shared.
  const std::string certdata = tbtest::shared_dir() + "/../" + conf.at("certdata");
  ASSERT_TRUE(tbtest::path_exists(certdata)) << certdata;
  const std::string text = tbtest::read_file(certdata);
  BundleFacts facts;
  facts.nss_version = conf.at("nss_version");
  facts.as_of = parse_time(conf.at("as_of"));
  facts.mode = "certifi";
  facts.source_sha256 = hex_lower(digest(EVP_sha256(), text));
  ASSERT_EQ(facts.source_sha256, conf.at("certdata_sha256")) << certdata << " is not the file SOURCE.conf pins";

  std::vector<RootRecord> bundle = curate(load_certdata(text, certdata), CurationMode::Certifi, facts.as_of);
  EXPECT_TRUE(format_certifi_pem(bundle) == tbtest::read_file(data_file("cacert.pem")))
      << "core/data/cacert.pem is stale: run ci/regenerate-data";
  EXPECT_TRUE(format_manifest(bundle, facts) == tbtest::read_file(data_file("manifest.json")))
      << "core/data/manifest.json is stale: run ci/regenerate-data";
  EXPECT_TRUE(format_embedded_include(bundle, facts) == tbtest::read_file(data_file("bundle_data.inc")))
      << "core/data/bundle_data.inc is stale: run ci/regenerate-data";
}

TEST(GeneratedData, ManifestCarriesIzenpeDistrustFromTheTrustObject) {
  const std::string manifest = tbtest::read_file(data_file("manifest.json"));
  size_t at = manifest.find("\"label\": \"Izenpe.com\"");
  ASSERT_NE(at, std::string::npos);
  size_t end = manifest.find('}', at);
  EXPECT_NE(manifest.substr(at, end - at).find("\"server_distrust_after\": \"2026-04-15T23:59:59Z\""),
            std::string::npos);
  // And through the C ABI.
  bool found = false;
  for (size_t i = 0; i < trustbundle_root_count(); ++i) {
    trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
    ASSERT_EQ(trustbundle_root_get(&info, i, nullptr), TRUSTBUNDLE_OK);
    if (std::string(info.label) != "Izenpe.com") continue;
    found = true;
    EXPECT_EQ(info.has_server_distrust_after, 1);
    EXPECT_EQ(info.server_distrust_after, parse_time("2026-04-15T23:59:59Z"));
  }
  EXPECT_TRUE(found);
}

TEST(GeneratedData, CommittedCapathEqualsTheExport) {
  const std::string dir = data_file("capath");
  if (!tbtest::path_exists(dir)) GTEST_SKIP() << "core/data/capath is not committed in this tree";
  std::vector<std::pair<std::string, std::string>> files = capath_files(embedded_roots());
  std::vector<std::string> expected_names;
  for (const auto& f : files) expected_names.push_back(f.first);
  std::sort(expected_names.begin(), expected_names.end());
  EXPECT_EQ(tbtest::list_dir(dir), expected_names);
  for (const auto& f : files)
    EXPECT_TRUE(tbtest::path_exists(dir + "/" + f.first) && tbtest::read_file(dir + "/" + f.first) == f.second)
        << "core/data/capath/" << f.first << " is stale: run ci/regenerate-data";
}

TEST(GeneratedData, ChangesMdHoldsThe274To286Diff) {
  TB_REQUIRE_SHARED();
  const std::string changes = tbtest::read_file(data_file("CHANGES.md"));
  EXPECT_NE(changes.find("do not edit"), std::string::npos);
  const std::string diff = format_diff_markdown(
      diff_bundles(load_bundle_snapshot(tbtest::older_certdata_text(), "certdata-older.txt"),
                   load_bundle_snapshot(tbtest::certdata_text(), "certdata.txt")));
  EXPECT_NE(changes.find(diff), std::string::npos) << "core/data/CHANGES.md is stale: run ci/regenerate-data";
  EXPECT_NE(changes.find("### Added (6)"), std::string::npos);
  EXPECT_NE(changes.find("### Removed (35)"), std::string::npos);
}
