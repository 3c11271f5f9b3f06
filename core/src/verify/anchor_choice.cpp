#include "verify/anchor_choice.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "base/cert_info.h"
#include "base/errors.h"
#include "verify/trust_store.h"
#include "verify/verify_budget.h"

namespace trustbundle {
namespace {

int owner_index() {
  static const int index = X509_STORE_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

const TrustStore* owner_of(X509_STORE_CTX* ctx) {
  X509_STORE* store = X509_STORE_CTX_get0_store(ctx);
  if (store == nullptr || owner_index() < 0) return nullptr;
  return static_cast<const TrustStore*>(X509_STORE_get_ex_data(store, owner_index()));
}

int64_t check_time(X509_STORE_CTX* ctx) {
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  if ((X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_USE_CHECK_TIME) != 0)
    return static_cast<int64_t>(X509_VERIFY_PARAM_get_time(param));
  return static_cast<int64_t>(std::time(nullptr));
}

struct Candidate {
  X509* cert;
  bool signs = true;  // its key verifies the certificate's signature (checked only among several)
  bool valid_now;
  bool may_sign;      // keyUsage allows keyCertSign
  bool self_signed;
  size_t order;
  int rank() const { return signs * 8 + valid_now * 4 + may_sign * 2 + self_signed; }
};

// Returns 1 with a new reference in *issuer, 0 when no anchor has the
// name (and key identifiers) of cert's issuer, -1 when the budget ran out.
int get_issuer(X509** issuer, X509_STORE_CTX* ctx, X509* cert) {
  *issuer = nullptr;
  const TrustStore* owner = owner_of(ctx);
  if (owner == nullptr) return 0;
  try {
    std::vector<X509Ptr> anchors = owner->anchors_with_subject(X509_get_issuer_name(cert));
    std::vector<Candidate> candidates;
    const int64_t now = check_time(ctx);
    for (size_t i = 0; i < anchors.size(); ++i) {
      X509* a = anchors[i].get();
      int rc = X509_check_issued(a, cert);
      if (rc != X509_V_OK && rc != X509_V_ERR_KEYUSAGE_NO_CERTSIGN) continue;  // as OpenSSL's own lookup
      int64_t from = asn1_time_seconds_or_zero(X509_get0_notBefore(a));
      int64_t to = asn1_time_seconds_or_zero(X509_get0_notAfter(a));
      candidates.push_back({a, true, from <= now && now <= to, rc == X509_V_OK, X509_self_signed(a, 0) == 1, i});
    }
    ERR_clear_error();
    if (candidates.empty()) return 0;
    if (candidates.size() > 1) {
      VerifyBudget* budget = VerifyBudget::of(ctx);
      for (Candidate& c : candidates) {
        EVP_PKEY* key = X509_get0_pubkey(c.cert);
        if (budget != nullptr && !budget->spend_signature_check(key)) return -1;
        c.signs = key != nullptr && X509_verify(cert, key) == 1;
      }
      ERR_clear_error();
    }
    const Candidate& best = *std::max_element(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.rank() != b.rank() ? a.rank() < b.rank() : a.order > b.order;
    });
    X509_up_ref(best.cert);
    *issuer = best.cert;
    return 1;
  } catch (...) {
    return -1;
  }
}

// Every anchor with this subject (OpenSSL asks when it checks whether a
// certificate it holds is itself an anchor).
STACK_OF(X509)* lookup_certs(X509_STORE_CTX* ctx, const X509_NAME* name) {
  const TrustStore* owner = owner_of(ctx);
  if (owner == nullptr) return nullptr;
  try {
    std::vector<X509Ptr> anchors = owner->anchors_with_subject(name);
    if (anchors.empty()) return nullptr;
    STACK_OF(X509)* out = sk_X509_new_null();
    for (X509Ptr& a : anchors) {
      if (out == nullptr || sk_X509_push(out, a.get()) == 0) {
        sk_X509_pop_free(out, X509_free);
        return nullptr;
      }
      a.release();  // the stack owns it now
    }
    return out;
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void install_anchor_choice(X509_STORE* store, const TrustStore* owner) {
  if (owner_index() < 0 || X509_STORE_set_ex_data(store, owner_index(), const_cast<TrustStore*>(owner)) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot attach the trust store to its X509_STORE");
  X509_STORE_set_get_issuer(store, get_issuer);
  X509_STORE_set_lookup_certs(store, lookup_certs);
}

}  // namespace trustbundle
