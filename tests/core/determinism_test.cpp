// The same input gives the same bytes: twice in one process, and through
// two separate runs of the CLI.
#include "bundle/bundle_outputs.h"
#include "base/cert_info.h"
#include "bundle/certdata_curation.h"
#include "base/encoding.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"

using namespace trustbundle;

namespace {

struct Outputs {
  std::string pem, curl, manifest, embed;
};

Outputs build_once(const std::string& text, int64_t as_of) {
  BundleFacts facts;
  facts.nss_version = "2.86";
  facts.as_of = as_of;
  facts.mode = "certifi";
  facts.source_sha256 = hex_lower(digest(EVP_sha256(), text));
  std::vector<RootRecord> all = load_certdata(text, "certdata.txt");
  std::vector<RootRecord> bundle = curate(all, CurationMode::Certifi, as_of);
  Outputs o;
  o.pem = format_certifi_pem(bundle);
  o.curl = format_curl_pem(curate(all, CurationMode::Curl, as_of), "2.86", as_of);
  o.manifest = format_manifest(bundle, facts);
  o.embed = format_embedded_include(bundle, facts);
  return o;
}

}  // namespace

TEST(Determinism, TwoBuildsInOneProcessAreIdentical) {
  TB_REQUIRE_SHARED();
  const int64_t as_of = parse_time("2026-05-20T00:00:00Z");
  const std::string copy = tbtest::certdata_text();  // a separate buffer
  Outputs a = build_once(tbtest::certdata_text(), as_of);
  Outputs b = build_once(copy, as_of);
  EXPECT_TRUE(a.pem == b.pem);
  EXPECT_TRUE(a.curl == b.curl);
  EXPECT_TRUE(a.manifest == b.manifest);
  EXPECT_TRUE(a.embed == b.embed);
  EXPECT_FALSE(a.pem.empty());
  // The output depends on as_of and nothing else of the moment.
  Outputs later = build_once(copy, parse_time("2027-06-01T00:00:00Z"));
  EXPECT_FALSE(later.pem == a.pem);
}

TEST(Determinism, TwoCliBuildsWriteIdenticalFiles) {
  TB_REQUIRE_SHARED();
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  for (const char* run : {"1", "2"}) {
    auto r = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", "2026-05-20T00:00:00Z", "--nss-version",
                              "2.86", "-o", dir.file(std::string("cacert") + run + ".pem"), "--manifest",
                              dir.file(std::string("manifest") + run + ".json"), "--embed",
                              dir.file(std::string("embed") + run + ".inc")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::pair<std::string, std::string> names[] = {{"cacert", ".pem"}, {"manifest", ".json"}, {"embed", ".inc"}};
  for (const auto& name : names) {
    const std::string one = name.first + "1" + name.second, two = name.first + "2" + name.second;
    const std::string a = tbtest::read_file(dir.file(one));
    EXPECT_FALSE(a.empty()) << one;
    EXPECT_TRUE(a == tbtest::read_file(dir.file(two))) << one << " and " << two << " differ";
  }
  // The CLI writes what the library formats.
  Outputs in_process = build_once(tbtest::certdata_text(), parse_time("2026-05-20T00:00:00Z"));
  EXPECT_TRUE(tbtest::read_file(dir.file("cacert1.pem")) == in_process.pem);
  EXPECT_TRUE(tbtest::read_file(dir.file("manifest1.json")) == in_process.manifest);
  EXPECT_TRUE(tbtest::read_file(dir.file("embed1.inc")) == in_process.embed);
  // Nothing but the requested files (no temporary leftovers).
  EXPECT_EQ(tbtest::list_dir(dir.path()).size(), 6u);
}
