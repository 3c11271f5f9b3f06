// A stale root store is a common cause of "unable to get local issuer
// certificate": when a chain fails for want of an issuer and the bundle is
// old, the doctor says that upgrading may fix it.
#pragma once

#include <cstdint>
#include <vector>

#include "doctor/finding.h"
#include "verify/verifier.h"

namespace trustbundle {

constexpr int64_t kStaleBundleDays = 180;

// $TRUSTBUNDLE_STALE_BUNDLE_DAYS when it is a whole number of days (0 turns
// the finding off), else kStaleBundleDays.
int64_t stale_bundle_days();

// Appends STALE_BUNDLE to findings when outcome failed for want of an issuer
// (UNKNOWN_ROOT, or UNABLE_TO_GET_ISSUER_CERT_LOCALLY) and the bundle curated
// at as_of is more than max_days old at now (Unix seconds). max_days 0: never.
void check_bundle_age(std::vector<Finding>& findings, const VerifyOutcome& outcome, int64_t as_of, int64_t now,
                      int64_t max_days);

}  // namespace trustbundle
