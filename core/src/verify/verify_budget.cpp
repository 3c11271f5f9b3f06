#include "verify/verify_budget.h"

#include "base/errors.h"

namespace trustbundle {
namespace {

int budget_index() {
  static const int index = X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

}  // namespace

VerifyBudget::VerifyBudget(size_t max_signature_checks, int time_limit_ms)
    : max_checks_(max_signature_checks),
      time_limit_ms_(time_limit_ms > 0 ? time_limit_ms : kDefaultVerifyTimeLimitMs),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(time_limit_ms_)) {}

bool VerifyBudget::time_left() {
  if (!exhausted_ && std::chrono::steady_clock::now() >= deadline_) exhausted_ = out_of_time_ = true;
  return !exhausted_;
}

bool VerifyBudget::spend_signature_check() {
  if (!time_left()) return false;
  if (checks_ >= max_checks_) {
    exhausted_ = true;
    return false;
  }
  ++checks_;
  return true;
}

std::string VerifyBudget::spent() const {
  return out_of_time_ ? std::to_string(time_limit_ms_) + " ms" : std::to_string(max_checks_) + " signature checks";
}

void VerifyBudget::attach(X509_STORE_CTX* ctx) {
  if (budget_index() < 0 || X509_STORE_CTX_set_ex_data(ctx, budget_index(), this) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot attach the verification budget");
}

VerifyBudget* VerifyBudget::of(X509_STORE_CTX* ctx) {
  return budget_index() < 0 ? nullptr : static_cast<VerifyBudget*>(X509_STORE_CTX_get_ex_data(ctx, budget_index()));
}

}  // namespace trustbundle
