// What one verification may spend: signature checks, weighed by what each
// costs, and wall time. Counts of certificates bound the input, not the
// work: one RSA check with a huge modulus or exponent costs as much as
// hundreds of ordinary ones, and a pool of look-alike CAs multiplies the
// paths to try (issue 15). Every place that checks a signature (path
// search, anchor choice, X509_verify_cert) pays from the same budget; when
// it runs out the verdict is TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED,
// never a guess. The whole x509-limbo corpus needs at most 100 units.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace trustbundle {

// One unit is a check with an RSA-2048 key whose exponent is 65537
// (about 17 us on the reference machine, DESIGN.md section 6).
constexpr size_t kSignatureBudget = 1024;
constexpr int kDefaultVerifyTimeLimitMs = 5000;

// What checking one signature with key costs, in those units: RSA and DSA
// grow with the square of the modulus, EC and EdDSA with the square of the
// curve size; at least 1. (An RSA exponent would multiply it too, but
// key_policy refuses exponents of 2^32 or more in any certificate sent, so
// at most it doubles; the time limit covers the rest.)
size_t signature_cost(EVP_PKEY* key);

class VerifyBudget {
 public:
  // time_limit_ms <= 0: kDefaultVerifyTimeLimitMs.
  VerifyBudget(size_t signature_budget, int time_limit_ms);

  // Pays for one signature check with key; false (and exhausted() from
  // then on) when the budget or the time is used up.
  bool spend_signature_check(EVP_PKEY* key);
  // False (and exhausted()) once the time is up.
  bool time_left();
  bool exhausted() const { return exhausted_; }
  size_t spent_units() const { return spent_; }
  // What ran out, for the verdict's message: "a budget of 1024 signature
  // checks", "5000 ms".
  std::string spent() const;

  // The budget of a verification context (nullptr when none: contexts
  // OpenSSL makes itself, as for CRL paths, are bounded by the CRLs given).
  void attach(X509_STORE_CTX* ctx);
  static VerifyBudget* of(X509_STORE_CTX* ctx);

 private:
  size_t budget_;
  size_t spent_ = 0;
  int time_limit_ms_;
  std::chrono::steady_clock::time_point deadline_;
  bool exhausted_ = false;
  bool out_of_time_ = false;
};

}  // namespace trustbundle
