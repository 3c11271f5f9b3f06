// What one verification may spend: signature checks and wall time. Counts
// of certificates bound the input, not the work: one RSA check with a huge
// public exponent costs as much as thousands of ordinary ones, and a pool
// of look-alike CAs multiplies the paths to try (issue 15). Every place
// that checks a signature (path search, anchor choice, X509_verify_cert)
// spends from the same budget; when it runs out the verdict is
// TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED, never a guess.
#pragma once

#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace trustbundle {

constexpr size_t kMaxSignatureChecks = 1024;
constexpr int kDefaultVerifyTimeLimitMs = 5000;

class VerifyBudget {
 public:
  // time_limit_ms <= 0: kDefaultVerifyTimeLimitMs.
  VerifyBudget(size_t max_signature_checks, int time_limit_ms);

  // Takes one signature check; false (and exhausted() from then on) when
  // the checks or the time are used up.
  bool spend_signature_check();
  // False (and exhausted()) once the time is up.
  bool time_left();
  bool exhausted() const { return exhausted_; }
  size_t signature_checks() const { return checks_; }
  // What ran out, for the verdict's message: "1024 signature checks", "5000 ms".
  std::string spent() const;

  // The budget of a verification context (nullptr when none: contexts
  // OpenSSL makes itself, as for CRL paths, are bounded by the CRLs given).
  void attach(X509_STORE_CTX* ctx);
  static VerifyBudget* of(X509_STORE_CTX* ctx);

 private:
  size_t max_checks_;
  size_t checks_ = 0;
  int time_limit_ms_;
  std::chrono::steady_clock::time_point deadline_;
  bool exhausted_ = false;
  bool out_of_time_ = false;
};

}  // namespace trustbundle
