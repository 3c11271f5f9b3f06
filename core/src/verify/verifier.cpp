#include "verify/verifier.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

#include "base/cert_info.h"
#include "base/errors.h"
#include "base/time_util.h"
#include "verify/cert_source.h"
#include "verify/key_policy.h"
#include "verify/path_search.h"
#include "verify/verify_budget.h"
#include "verify/verify_hints.h"
#include "verify/verify_reasons.h"

namespace trustbundle {
namespace {

struct X509StackFree { void operator()(STACK_OF(X509)* p) const { sk_X509_free(p); } };  // borrowed entries
struct CrlStackFree { void operator()(STACK_OF(X509_CRL)* p) const { sk_X509_CRL_pop_free(p, X509_CRL_free); } };

std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> read_crls(const std::string& pem) {
  std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> crls(sk_X509_CRL_new_null());
  if (pem.size() > TRUSTBUNDLE_MAX_INPUT_BYTES) throw Error(TRUSTBUNDLE_E_LIMIT, "CRL data is over the input limit");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!crls || !bio) throw Error(TRUSTBUNDLE_E_INTERNAL, "out of memory");
  for (;;) {
    X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr);
    if (crl == nullptr) {
      unsigned long e = ERR_peek_last_error();
      ERR_clear_error();
      if (ERR_GET_REASON(e) == PEM_R_NO_START_LINE) break;
      throw parse_error("CRL data", "a CRL does not parse");
    }
    sk_X509_CRL_push(crls.get(), crl);
  }
  if (sk_X509_CRL_num(crls.get()) == 0)
    throw parse_error("CRL data", "holds no PEM X509 CRL block (-----BEGIN X509 CRL-----)");
  return crls;
}

// ok: X509_verify_cert checked a certificate's signature (it signals each
// one it passes), which the budget pays for; when the budget is spent the
// verification stops. Otherwise, RFC 5280 4.1.2.5: a certificate is valid
// through its notAfter second, inclusive; OpenSSL 3.0 calls it expired at
// that very second. Forgive exactly that case and nothing else.
int verify_callback(int ok, X509_STORE_CTX* ctx) {
  if (ok) {
    VerifyBudget* budget = VerifyBudget::of(ctx);
    X509* issuer = X509_STORE_CTX_get0_current_issuer(ctx);
    if (budget == nullptr || budget->spend_signature_check(issuer ? X509_get0_pubkey(issuer) : nullptr)) return 1;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  if (X509_STORE_CTX_get_error(ctx) != X509_V_ERR_CERT_HAS_EXPIRED) return 0;
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  if (cert == nullptr || (X509_VERIFY_PARAM_get_flags(param) & X509_V_FLAG_USE_CHECK_TIME) == 0) return 0;
  int64_t not_after = asn1_time_seconds_or_zero(X509_get0_notAfter(cert));
  if (not_after == 0 || not_after != static_cast<int64_t>(X509_VERIFY_PARAM_get_time(param))) return 0;
  X509_STORE_CTX_set_error(ctx, X509_V_OK);
  return 1;
}

// host: checked_host's form of request.host.
void configure(X509_STORE_CTX* ctx, const VerifyRequest& request, const std::string& host) {
  X509_STORE_CTX_set_verify_cb(ctx, verify_callback);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_STORE_CTX_set_purpose(ctx, request.client_purpose ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_auth_level(param, 2);
  // The subject CN is never a name: not for matching, not for name constraints.
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  int depth = request.max_depth < 0 || request.max_depth > TRUSTBUNDLE_MAX_DEPTH ? TRUSTBUNDLE_MAX_DEPTH : request.max_depth;
  X509_VERIFY_PARAM_set_depth(param, depth);
  if (request.has_time) X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(request.time));
  if (!host.empty()) {
    int ok = is_ip_literal(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                 : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1) throw invalid_argument("host '" + host + "' is not a valid DNS name or IP address");
  }
}

// Mozilla's distrust-after, on the CA's subject and key wherever they sit
// in the verified chain (the root, a re-issued copy, a cross-certificate).
// Scans from the anchor down: the depth reported is the highest.
bool distrusted(const TrustStore& store, STACK_OF(X509)* chain, int64_t issued, HintContext& hint, VerifyOutcome& out) {
  for (int depth = sk_X509_num(chain) - 1; depth >= 0; --depth) {
    X509* cert = sk_X509_value(chain, depth);
    int64_t after = 0;
    if (!store.distrust_after(cert, after) || issued <= after) continue;
    out.reason = TRUSTBUNDLE_REASON_ROOT_DISTRUSTED;
    out.depth = depth;
    out.message = "the CA '" + display_name(X509_get_subject_name(cert)) +
                  "' is distrusted for certificates issued after " + format_rfc3339(after) + "; this one was issued " +
                  format_rfc3339(issued);
    hint.reason = out.reason;
    hint.depth = depth;
    hint.cert = cert;
    hint.distrust_after = after;
    out.hint = verify_hint(hint);
    return true;
  }
  return false;
}

// One run of X509_verify_cert with exactly these untrusted certificates,
// then Mozilla's distrust-after on the path it chose.
VerifyOutcome attempt(const TrustStore& store, const VerifyRequest& request, const std::string& host,
                      const std::vector<X509*>& untrusted_certs, STACK_OF(X509_CRL)* crls, VerifyBudget& budget) {
  std::unique_ptr<STACK_OF(X509), X509StackFree> untrusted(sk_X509_new_null());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!untrusted || !ctx) throw Error(TRUSTBUNDLE_E_INTERNAL, "out of memory");
  for (X509* cert : untrusted_certs) sk_X509_push(untrusted.get(), cert);
  if (X509_STORE_CTX_init(ctx.get(), store.x509_store(), request.chain[0].get(), untrusted.get()) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot initialise a verification context");
  configure(ctx.get(), request, host);
  budget.attach(ctx.get());
  if (crls != nullptr) {
    X509_STORE_CTX_set0_crls(ctx.get(), crls);
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  }

  VerifyOutcome out;
  HintContext hint;
  hint.chain_given = request.chain.size();
  hint.host = host;
  hint.check_time = request.has_time ? request.time : static_cast<int64_t>(std::time(nullptr));
  hint.client_purpose = request.client_purpose;

  int rc = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (rc == 1) {
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
    const int64_t issued = asn1_time_seconds_or_zero(X509_get0_notBefore(request.chain[0].get()));
    if (distrusted(store, chain, issued, hint, out)) return out;
    for (int i = 0; i < sk_X509_num(chain); ++i) out.chain_der.push_back(der_of(sk_X509_value(chain, i)));
    out.ok = true;
    return out;
  }
  int err = X509_STORE_CTX_get_error(ctx.get());
  out.openssl_code = err;
  out.depth = X509_STORE_CTX_get_error_depth(ctx.get());
  out.reason = reason_from_openssl(err);
  out.message = X509_verify_cert_error_string(err);
  hint.reason = out.reason;
  hint.depth = out.depth;
  hint.cert = X509_STORE_CTX_get_current_cert(ctx.get());
  out.hint = verify_hint(hint);
  return out;
}

// A certificate whose key is refused, before any signature is checked:
// depth is its place in the chain as sent, -1 for the untrusted pool.
bool refused_key(const VerifyRequest& request, VerifyOutcome& out) {
  auto check = [&out](X509* cert, int depth, const std::string& where) {
    std::string why = unsupported_key(cert);
    if (why.empty()) return false;
    out.reason = TRUSTBUNDLE_REASON_UNSUPPORTED_KEY;
    out.depth = depth;
    out.message = where + " '" + display_name(X509_get_subject_name(cert)) + "' is refused: " + why;
    HintContext hint;
    hint.reason = out.reason;
    hint.depth = depth;
    hint.cert = cert;
    out.hint = verify_hint(hint);
    return true;
  };
  for (size_t i = 0; i < request.chain.size(); ++i)
    if (check(request.chain[i].get(), static_cast<int>(i), "certificate #" + std::to_string(i) + " of the chain"))
      return true;
  for (size_t i = 0; i < request.untrusted.size(); ++i)
    if (check(request.untrusted[i].get(), -1, "untrusted certificate #" + std::to_string(i))) return true;
  return false;
}

VerifyOutcome over_budget(const VerifyBudget& budget) {
  VerifyOutcome out;
  out.reason = TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED;
  out.depth = -1;
  out.message = "verification gave up after " + budget.spent() + ": the certificates given offer too many " +
                "candidate paths or too costly signatures";
  HintContext hint;
  hint.reason = out.reason;
  out.hint = verify_hint(hint);
  return out;
}

// Failures that another path through the intermediates cannot cure.
bool path_independent(const VerifyOutcome& out) {
  switch (out.reason) {
    case TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH:
    case TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH:
    case TRUSTBUNDLE_REASON_SELF_SIGNED:
      return true;
    case TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED:
    case TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID:
    case TRUSTBUNDLE_REASON_INVALID_PURPOSE:
    case TRUSTBUNDLE_REASON_WEAK_KEY_OR_SIGNATURE:
    case TRUSTBUNDLE_REASON_INVALID_CERTIFICATE:
      return out.depth == 0;  // the leaf itself is at fault
    default:
      return false;
  }
}

}  // namespace

VerifyOutcome verify_chain(const TrustStore& store, const VerifyRequest& request) {
  if (request.chain.empty()) throw invalid_argument("no certificate to verify");
  const std::string host = request.host.empty() ? "" : checked_host(request.host, "host");
  std::unique_ptr<STACK_OF(X509_CRL), CrlStackFree> crls;
  if (!request.crls_pem.empty()) crls = read_crls(request.crls_pem);
  VerifyOutcome refused;
  if (refused_key(request, refused)) return refused;

  VerifyBudget budget(kSignatureBudget, request.time_limit_ms);
  std::vector<X509*> pool;
  for (size_t i = 1; i < request.chain.size(); ++i) pool.push_back(request.chain[i].get());
  for (const X509Ptr& cert : request.untrusted) pool.push_back(cert.get());

  VerifyOutcome first = attempt(store, request, host, pool, crls.get(), budget);
  if (budget.exhausted()) return over_budget(budget);
  if (first.ok || path_independent(first) || pool.empty()) return first;
  // OpenSSL commits to the first issuer it finds. When that path fails, try
  // the other paths the intermediates allow, each alone, within the budget.
  const AlternativePaths others = alternative_paths(request.chain[0].get(), pool, store, budget);
  for (const std::vector<X509*>& path : others.paths) {
    if (!budget.time_left()) break;
    VerifyOutcome other = attempt(store, request, host, path, crls.get(), budget);
    if (other.ok) return other;
    if (budget.exhausted()) break;
  }
  // A search cut short has not seen every path: no verdict but that.
  if (budget.exhausted() || others.cut_short) return over_budget(budget);
  return first;
}

}  // namespace trustbundle
