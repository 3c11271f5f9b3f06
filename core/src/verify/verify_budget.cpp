#include "verify/verify_budget.h"

#include <algorithm>

#include "base/errors.h"

namespace trustbundle {
namespace {

int budget_index() {
  static const int index = X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

}  // namespace

size_t signature_cost(EVP_PKEY* key) {
  if (key == nullptr) return 1;
  const size_t bits = static_cast<size_t>(std::max(EVP_PKEY_get_bits(key), 1));
  const int id = EVP_PKEY_get_base_id(key);
  const size_t unit = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS || id == EVP_PKEY_DSA ? 2048 : 256;
  return std::max<size_t>(1, bits * bits / (unit * unit));
}

VerifyBudget::VerifyBudget(size_t signature_budget, int time_limit_ms)
    : budget_(signature_budget),
      time_limit_ms_(time_limit_ms > 0 ? time_limit_ms : kDefaultVerifyTimeLimitMs),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(time_limit_ms_)) {}

bool VerifyBudget::time_left() {
  if (!exhausted_ && std::chrono::steady_clock::now() >= deadline_) exhausted_ = out_of_time_ = true;
  return !exhausted_;
}

bool VerifyBudget::spend_signature_check(EVP_PKEY* key) {
  if (!time_left()) return false;
  const size_t cost = signature_cost(key);
  if (spent_ + cost > budget_) {
    exhausted_ = true;
    return false;
  }
  spent_ += cost;
  return true;
}

std::string VerifyBudget::spent() const {
  return out_of_time_ ? std::to_string(time_limit_ms_) + " ms"
                      : "a budget of " + std::to_string(budget_) + " signature checks";
}

void VerifyBudget::attach(X509_STORE_CTX* ctx) {
  if (budget_index() < 0 || X509_STORE_CTX_set_ex_data(ctx, budget_index(), this) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot attach the verification budget");
}

VerifyBudget* VerifyBudget::of(X509_STORE_CTX* ctx) {
  return budget_index() < 0 ? nullptr : static_cast<VerifyBudget*>(X509_STORE_CTX_get_ex_data(ctx, budget_index()));
}

}  // namespace trustbundle
