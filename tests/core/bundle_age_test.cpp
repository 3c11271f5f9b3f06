// Issue 18: the bundle's age and the doctor's STALE_BUNDLE finding. Every
// instant is given explicitly: nothing here depends on today's date.
#include <cstdlib>

#include "base/time_util.h"
#include "doctor/bundle_age.h"
#include "test_support.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

namespace {

const int64_t kAsOf = parse_time("2026-01-01T00:00:00Z");
constexpr int64_t kDay = 86400;

VerifyOutcome failed(int reason) {
  VerifyOutcome o;
  o.ok = false;
  o.reason = reason;
  return o;
}

std::vector<Finding> diagnose(const VerifyOutcome& outcome, int64_t now, int64_t max_days,
                              std::vector<Finding> findings = {}) {
  check_bundle_age(findings, outcome, kAsOf, now, max_days);
  return findings;
}

}  // namespace

TEST(BundleAge, WholeDaysNeverNegative) {
  EXPECT_EQ(age_in_days(kAsOf, kAsOf), 0);
  EXPECT_EQ(age_in_days(kAsOf, kAsOf + kDay - 1), 0);
  EXPECT_EQ(age_in_days(kAsOf, kAsOf + 181 * kDay), 181);
  EXPECT_EQ(age_in_days(kAsOf, kAsOf - 5 * kDay), 0);  // a clock behind the data
}

TEST(BundleAge, StaleBundleOnlyWhenOldAndAnIssuerIsUnknown) {
  const VerifyOutcome no_issuer = failed(TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  auto old = diagnose(no_issuer, kAsOf + 181 * kDay, kStaleBundleDays);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].code, TRUSTBUNDLE_FINDING_STALE_BUNDLE);
  EXPECT_EQ(old[0].severity, TRUSTBUNDLE_SEVERITY_WARNING);
  EXPECT_NE(old[0].message.find("181 days old"), std::string::npos) << old[0].message;
  EXPECT_NE(old[0].message.find("2026-01-01"), std::string::npos) << old[0].message;
  EXPECT_FALSE(old[0].fix_client.empty());
  EXPECT_STREQ(finding_name(TRUSTBUNDLE_FINDING_STALE_BUNDLE), "STALE_BUNDLE");

  EXPECT_TRUE(diagnose(no_issuer, kAsOf + 180 * kDay, kStaleBundleDays).empty());  // the threshold itself is fine
  EXPECT_TRUE(diagnose(no_issuer, kAsOf + 400 * kDay, 0).empty());                  // 0 turns it off
  EXPECT_EQ(diagnose(no_issuer, kAsOf + 31 * kDay, 30).size(), 1u);                 // the threshold is the caller's

  VerifyOutcome ok;
  ok.ok = true;
  EXPECT_TRUE(diagnose(ok, kAsOf + 400 * kDay, kStaleBundleDays).empty());
  EXPECT_TRUE(diagnose(failed(TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED), kAsOf + 400 * kDay, kStaleBundleDays).empty());

  // A self-signed root the bundle does not know fails another way, with UNKNOWN_ROOT.
  Finding unknown_root;
  unknown_root.code = TRUSTBUNDLE_FINDING_UNKNOWN_ROOT;
  auto sent_root = diagnose(failed(TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN), kAsOf + 400 * kDay,
                            kStaleBundleDays, {unknown_root});
  ASSERT_EQ(sent_root.size(), 2u);
  EXPECT_EQ(sent_root[1].code, TRUSTBUNDLE_FINDING_STALE_BUNDLE);
}

TEST(BundleAge, ThresholdFromTheEnvironmentOnlyWhenItIsANumber) {
  const char* saved = std::getenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS");
  std::string keep = saved ? saved : "";
  for (auto [text, want] : std::vector<std::pair<const char*, int64_t>>{
           {"", kStaleBundleDays}, {"90", 90}, {"0", 0}, {"-5", kStaleBundleDays}, {"12x", kStaleBundleDays},
           {"9999999", kStaleBundleDays}, {" 90", kStaleBundleDays}}) {
    setenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS", text, 1);
    EXPECT_EQ(stale_bundle_days(), want) << "'" << text << "'";
  }
  if (saved)
    setenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS", keep.c_str(), 1);
  else
    unsetenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS");
}

TEST(BundleAge, InfoShowsTheAgeAtAGivenTime) {
  TB_REQUIRE_CLI();
  const int64_t as_of = trustbundle_bundle_as_of();
  auto fresh = tbtest::run_cli({"info", "--at", format_rfc3339(as_of + 10 * kDay)});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_NE(fresh.out.find("age:         10 days\n"), std::string::npos) << fresh.out;
  auto stale = tbtest::run_cli({"info", "--at", format_rfc3339(as_of + 200 * kDay)});
  EXPECT_NE(stale.out.find("age:         200 days (stale"), std::string::npos) << stale.out;
  auto json = tbtest::run_cli({"info", "--json", "--at", std::to_string(as_of + 3 * kDay)});
  EXPECT_NE(json.out.find("\"age_days\": 3,"), std::string::npos) << json.out;
  EXPECT_EQ(tbtest::run_cli({"info", "--at", "yesterday"}).exit_code, 2);
}
