// What changed from NSS 2.74 to 2.86: 6 server roots added, 35 removed (19
// deleted objects, 16 with the websites bit turned off), distrust-after set
// for ePKI and Izenpe.com. Through the C++ core, the C ABI and the CLI.
#include <set>

#include "bundle/bundle_diff.h"
#include "bundle/certdata_curation.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

namespace {

const std::set<std::string> kAdded = {"TrustAsia TLS ECC Root CA",         "TrustAsia TLS RSA Root CA",
                                      "SwissSign RSA TLS Root CA 2022 - 1", "OISTE Server Root ECC G1",
                                      "OISTE Server Root RSA G1",           "e-Szigno TLS Root CA 2023"};

size_t count_kind(const std::vector<DiffEntry>& entries, Change kind) {
  size_t n = 0;
  for (const DiffEntry& e : entries) n += e.change == kind;
  return n;
}

const DiffEntry* find_entry(const std::vector<DiffEntry>& entries, Change kind, const std::string& label) {
  for (const DiffEntry& e : entries)
    if (e.change == kind && e.label == label) return &e;
  return nullptr;
}

std::vector<DiffEntry> diff_274_286() {
  return diff_bundles(load_bundle_snapshot(tbtest::older_certdata_text(), "certdata-older.txt"),
                      load_bundle_snapshot(tbtest::certdata_text(), "certdata.txt"));
}

// The JSON's top-level count for a kind, e.g. "added": 6.
long json_count(const std::string& json, const std::string& key) {
  size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) return -1;
  return std::strtol(json.c_str() + at + key.size() + 4, nullptr, 10);
}

}  // namespace

TEST(Diff, Nss274To286AddedAndRemoved) {
  TB_REQUIRE_SHARED();
  std::vector<DiffEntry> entries = diff_274_286();
  std::set<std::string> added;
  for (const DiffEntry& e : entries)
    if (e.change == Change::Added) {
      added.insert(e.label);
      EXPECT_EQ(e.detail, "new root") << e.label;
      EXPECT_EQ(e.sha256_hex.size(), 64u);
    }
  EXPECT_EQ(added, kAdded);
  EXPECT_EQ(count_kind(entries, Change::Added), 6u);

  size_t deleted = 0, turned_off = 0;
  for (const DiffEntry& e : entries) {
    if (e.change != Change::Removed) continue;
    if (e.detail == "removed from the data")
      ++deleted;
    else if (e.detail.rfind("server trust turned off", 0) == 0)
      ++turned_off;
    else
      ADD_FAILURE() << "unexpected detail for " << e.label << ": " << e.detail;
  }
  EXPECT_EQ(count_kind(entries, Change::Removed), 35u);
  EXPECT_EQ(deleted, 19u);
  EXPECT_EQ(turned_off, 16u);
  // Spot checks, both kinds.
  ASSERT_NE(find_entry(entries, Change::Removed, "Baltimore CyberTrust Root"), nullptr);
  EXPECT_EQ(find_entry(entries, Change::Removed, "Baltimore CyberTrust Root")->detail, "removed from the data");
  ASSERT_NE(find_entry(entries, Change::Removed, "GlobalSign Root CA"), nullptr);
  EXPECT_EQ(find_entry(entries, Change::Removed, "GlobalSign Root CA")->detail.rfind("server trust turned off", 0), 0u);
}

TEST(Diff, Nss274To286CountsMatchTheCuratedBundles) {
  TB_REQUIRE_SHARED();
  // 2.74 had 150 server-trusted roots, 2.86 has 121: 150 + 6 - 35.
  size_t old_trusted = 0, new_trusted = 0;
  for (const RootRecord& r : tbtest::roots_274()) old_trusted += r.server_trust == Trust::Trusted;
  for (const RootRecord& r : tbtest::roots_286()) new_trusted += r.server_trust == Trust::Trusted;
  EXPECT_EQ(old_trusted + 6 - 35, new_trusted);
}

TEST(Diff, Nss274To286DistrustChanges) {
  TB_REQUIRE_SHARED();
  std::vector<DiffEntry> entries = diff_274_286();
  const DiffEntry* epki = find_entry(entries, Change::DistrustChanged, "ePKI Root Certification Authority");
  ASSERT_NE(epki, nullptr);
  EXPECT_EQ(epki->detail, "server distrust-after none -> 2025-04-15T23:59:59Z");
  const DiffEntry* izenpe = find_entry(entries, Change::DistrustChanged, "Izenpe.com");
  ASSERT_NE(izenpe, nullptr);
  EXPECT_EQ(izenpe->detail, "server distrust-after none -> 2026-04-15T23:59:59Z");
  EXPECT_EQ(count_kind(entries, Change::DistrustChanged), 2u);
}

TEST(Diff, EntriesAreOrderedByKind) {
  TB_REQUIRE_SHARED();
  std::vector<DiffEntry> entries = diff_274_286();
  for (size_t i = 1; i < entries.size(); ++i)
    EXPECT_LE(static_cast<int>(entries[i - 1].change), static_cast<int>(entries[i].change));
}

TEST(Diff, ThroughTheCAbi) {
  TB_REQUIRE_SHARED();
  const std::string& old_text = tbtest::older_certdata_text();
  const std::string& new_text = tbtest::certdata_text();
  trustbundle_diff* diff = nullptr;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  ASSERT_EQ(trustbundle_diff_new(&diff, reinterpret_cast<const unsigned char*>(old_text.data()), old_text.size(),
                                 reinterpret_cast<const unsigned char*>(new_text.data()), new_text.size(), &error),
            TRUSTBUNDLE_OK)
      << error.message;
  ASSERT_NE(diff, nullptr);
  std::vector<DiffEntry> expected = diff_274_286();
  ASSERT_EQ(trustbundle_diff_count(diff), expected.size());
  size_t added = 0, removed = 0;
  std::set<std::string> distrust;
  for (size_t i = 0; i < trustbundle_diff_count(diff); ++i) {
    trustbundle_diff_entry e = TRUSTBUNDLE_DIFF_ENTRY_INIT;
    ASSERT_EQ(trustbundle_diff_get(&e, diff, i, nullptr), TRUSTBUNDLE_OK);
    EXPECT_EQ(e.change, static_cast<int>(expected[i].change));
    EXPECT_EQ(std::string(e.label), expected[i].label);
    EXPECT_EQ(std::string(e.sha256_hex), expected[i].sha256_hex);
    EXPECT_EQ(std::string(e.detail), expected[i].detail);
    added += e.change == TRUSTBUNDLE_CHANGE_ADDED;
    removed += e.change == TRUSTBUNDLE_CHANGE_REMOVED;
    if (e.change == TRUSTBUNDLE_CHANGE_DISTRUST_CHANGED) distrust.insert(e.label);
  }
  EXPECT_EQ(added, 6u);
  EXPECT_EQ(removed, 35u);
  EXPECT_EQ(distrust, (std::set<std::string>{"ePKI Root Certification Authority", "Izenpe.com"}));

  trustbundle_diff_entry past = TRUSTBUNDLE_DIFF_ENTRY_INIT;
  EXPECT_EQ(trustbundle_diff_get(&past, diff, trustbundle_diff_count(diff), &error), TRUSTBUNDLE_E_NOT_FOUND);
  EXPECT_EQ(error.status, TRUSTBUNDLE_E_NOT_FOUND);

  const char* json = trustbundle_diff_json(diff);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(json_count(json, "added"), 6);
  EXPECT_EQ(json_count(json, "removed"), 35);
  EXPECT_EQ(json_count(json, "distrust_changed"), 2);
  EXPECT_EQ(std::string(json), format_diff_json(expected));
  trustbundle_diff_free(diff);
}

TEST(Diff, ThroughTheCli) {
  TB_REQUIRE_SHARED();
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"diff", tbtest::older_certdata_path(), tbtest::certdata_path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_count(r.out, "added"), 6);
  EXPECT_EQ(json_count(r.out, "removed"), 35);
  EXPECT_EQ(r.out, format_diff_json(diff_274_286()));
  for (const std::string& label : kAdded) EXPECT_NE(r.out.find("\"label\": \"" + label + "\""), std::string::npos);
  if (tbtest::is_executable(tbtest::python3())) {
    tbtest::TempDir dir;
    tbtest::write_file(dir.file("diff.json"), r.out);
    auto check = tbtest::run_command(
        {tbtest::python3(), "-c",
         "import json,sys; d=json.load(open(sys.argv[1]));"
         "c=d['changes']; k=lambda n: sum(1 for e in c if e['change']==n);"
         "assert d['added']==6==k('added'), d['added'];"
         "assert d['removed']==35==k('removed'), d['removed'];"
         "assert sum(1 for e in c if e['detail']=='removed from the data')==19;"
         "assert sum(1 for e in c if e['change']=='removed' and e['detail'].startswith('server trust turned off'))==16;"
         "print('ok')",
         dir.file("diff.json")});
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_EQ(check.out, "ok\n");
  }
  // The plain text form names the counts too.
  auto text = tbtest::run_cli({"diff", tbtest::older_certdata_path(), tbtest::certdata_path()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Added: 6\n"), std::string::npos);
  EXPECT_NE(text.out.find("Removed: 35\n"), std::string::npos);
}

TEST(Diff, PemAgainstCertdata) {
  TB_REQUIRE_SHARED();
  // certifi's bundle made from 2.74 (before any distrust date mattered) against 2.86's certdata.
  const std::string old_pem =
      format_certifi_pem(curate(tbtest::roots_274(), CurationMode::Certifi, parse_time("2025-01-31T00:00:00Z")));
  BundleSnapshot old_side = load_bundle_snapshot(old_pem, "old.pem");
  EXPECT_FALSE(old_side.from_certdata);
  EXPECT_EQ(old_side.roots.size(), 150u);
  std::vector<DiffEntry> entries = diff_bundles(old_side, load_bundle_snapshot(tbtest::certdata_text(), "certdata.txt"));
  EXPECT_EQ(count_kind(entries, Change::Added), 6u);
  EXPECT_EQ(count_kind(entries, Change::Removed), 35u);
  // A PEM carries no trust bits or dates, so nothing else is claimed.
  EXPECT_EQ(count_kind(entries, Change::TrustChanged), 0u);
  EXPECT_EQ(count_kind(entries, Change::DistrustChanged), 0u);
  std::set<std::string> added;
  for (const DiffEntry& e : entries)
    if (e.change == Change::Added) added.insert(e.label);
  EXPECT_EQ(added, kAdded);
}

TEST(Diff, PemAgainstPemBetweenCertifiReleases) {
  TB_REQUIRE_SHARED();
  const std::string april =
      format_certifi_pem(curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-04-22T00:00:00Z")));
  const std::string may =
      format_certifi_pem(curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z")));
  std::vector<DiffEntry> entries = diff_bundles(load_bundle_snapshot(april, "april.pem"), load_bundle_snapshot(may, "may.pem"));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].change, Change::Removed);
  EXPECT_EQ(entries[0].label, "ePKI Root Certification Authority");
  // Through the C ABI too.
  trustbundle_diff* diff = nullptr;
  ASSERT_EQ(trustbundle_diff_new(&diff, reinterpret_cast<const unsigned char*>(april.data()), april.size(),
                                 reinterpret_cast<const unsigned char*>(may.data()), may.size(), nullptr),
            TRUSTBUNDLE_OK);
  EXPECT_EQ(trustbundle_diff_count(diff), 1u);
  trustbundle_diff_free(diff);
}

TEST(Diff, IdenticalBundlesHaveNoChanges) {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  trustbundle_diff* diff = nullptr;
  ASSERT_EQ(trustbundle_diff_new(&diff, reinterpret_cast<const unsigned char*>(pem), len,
                                 reinterpret_cast<const unsigned char*>(pem), len, nullptr),
            TRUSTBUNDLE_OK);
  EXPECT_EQ(trustbundle_diff_count(diff), 0u);
  EXPECT_EQ(json_count(trustbundle_diff_json(diff), "added"), 0);
  trustbundle_diff_free(diff);
}
