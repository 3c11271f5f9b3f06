#include "doctor/bundle_age.h"

#include <cstdlib>
#include <string>

#include "base/time_util.h"

namespace trustbundle {

int64_t stale_bundle_days() {
  // The environment is untrusted: digits only, at most six of them.
  const char* text = std::getenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS");
  if (text == nullptr || *text == '\0') return kStaleBundleDays;
  int64_t days = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9' || p - text >= 6) return kStaleBundleDays;
    days = days * 10 + (*p - '0');
  }
  return days;
}

void check_bundle_age(std::vector<Finding>& findings, const VerifyOutcome& outcome, int64_t as_of, int64_t now,
                      int64_t max_days) {
  if (outcome.ok || max_days <= 0) return;
  if (!has_finding(findings, TRUSTBUNDLE_FINDING_UNKNOWN_ROOT) &&
      outcome.reason != TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
    return;
  const int64_t age = age_in_days(as_of, now);
  if (age <= max_days) return;
  Finding f;
  f.code = TRUSTBUNDLE_FINDING_STALE_BUNDLE;
  f.severity = TRUSTBUNDLE_SEVERITY_WARNING;
  f.message = "the root bundle is " + std::to_string(age) + " days old (curated as of " + format_date(as_of) +
              ", more than " + std::to_string(max_days) + "): a root Mozilla added since then may be the missing issuer";
  f.fix_client = "upgrade trustbundle to the newest release (its roots are listed in core/data/changes.atom)";
  findings.push_back(f);
}

}  // namespace trustbundle
