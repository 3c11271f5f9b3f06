#include "verify/verify_hints.h"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

#include <vector>

#include "base/cert_info.h"
#include "base/encoding.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {
namespace {

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {0};
  int len = ASN1_STRING_length(ip);
  const unsigned char* data = ASN1_STRING_get0_data(ip);
  if (len == 4) inet_ntop(AF_INET, data, buf, sizeof buf);
  else if (len == 16) inet_ntop(AF_INET6, data, buf, sizeof buf);
  else return "(malformed IP address)";
  return buf;
}

std::string days_text(int64_t seconds) {
  int64_t days = seconds / 86400;
  if (days == 0) return "less than a day";
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

// A name from a certificate, quoted, safe on a terminal (hints end up in
// exception messages and command output).
std::string quoted_name(const X509_NAME* name) { return "'" + terminal_text(display_name(name)) + "'"; }

std::string who(const HintContext& ctx) {
  if (ctx.cert == nullptr) return "a certificate";
  std::string name = quoted_name(X509_get_subject_name(ctx.cert));
  return ctx.depth == 0 ? "the certificate " + name : "the CA certificate " + name + " (depth " + std::to_string(ctx.depth) + ")";
}

std::string issuer_of(const HintContext& ctx) {
  return ctx.cert == nullptr ? "an unknown issuer" : quoted_name(X509_get_issuer_name(ctx.cert));
}

}  // namespace

std::vector<std::string> subject_alt_names(X509* cert) {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
    if (gn->type == GEN_DNS) {
      const ASN1_STRING* s = gn->d.dNSName;
      names.push_back(replace_invalid_utf8(
          std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)))));
    } else if (gn->type == GEN_IPADD) {
      names.push_back(ip_text(gn->d.iPAddress));
    }
  }
  GENERAL_NAMES_free(sans);
  return names;
}

std::string display_name(const X509_NAME* name) {
  int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (idx >= 0) {
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx)));
    if (len >= 0) {
      std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
      OPENSSL_free(utf8);
      return replace_invalid_utf8(out);
    }
  }
  char* line = X509_NAME_oneline(name, nullptr, 0);
  std::string out = line != nullptr ? line : "";
  OPENSSL_free(line);
  return replace_invalid_utf8(out);
}

std::string verify_hint(const HintContext& ctx) {
  switch (ctx.reason) {
    case TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      if (ctx.chain_given <= static_cast<size_t>(ctx.depth) + 1 && ctx.depth == 0)
        return "the server did not send its intermediate certificate: " + issuer_of(ctx) +
               " is missing from the chain (configure the server to send the full chain)";
      return "issued by " + issuer_of(ctx) +
             ", which is not trusted: if it is your own CA, add it with TRUSTBUNDLE_EXTRA_CA_CERTS or pass it as an extra CA";
    case TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN:
      return "issued by " + issuer_of(ctx) +
             ", which is not trusted: if it is your own CA, add it with TRUSTBUNDLE_EXTRA_CA_CERTS or pass it as an extra CA";
    case TRUSTBUNDLE_REASON_SELF_SIGNED:
      return who(ctx) + " is self-signed: trust it only on purpose, by adding it with TRUSTBUNDLE_EXTRA_CA_CERTS or passing it as an extra CA";
    case TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED: {
      int64_t end = ctx.cert ? asn1_time_seconds_or_zero(X509_get0_notAfter(ctx.cert)) : 0;
      return who(ctx) + " expired on " + format_date(end) + ", " + days_text(ctx.check_time - end) +
             " before the check time: renew it";
    }
    case TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID: {
      int64_t start = ctx.cert ? asn1_time_seconds_or_zero(X509_get0_notBefore(ctx.cert)) : 0;
      return who(ctx) + " is not valid until " + format_date(start) + ", " + days_text(start - ctx.check_time) +
             " after the check time: check the clock";
    }
    case TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH:
    case TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH: {
      std::vector<std::string> names = ctx.cert ? subject_alt_names(ctx.cert) : std::vector<std::string>();
      if (names.empty())
        return terminal_text(ctx.host) + " is not among the certificate's names: it has no subjectAltName (the subject CN is never used)";
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + terminal_text(n);
      return terminal_text(ctx.host) + " is not among the certificate's names: " + list;
    }
    case TRUSTBUNDLE_REASON_INVALID_PURPOSE:
      return who(ctx) + " is not allowed for TLS " + (ctx.client_purpose ? "client" : "server") +
             " authentication: its extended key usage lacks " + (ctx.client_purpose ? "clientAuth" : "serverAuth");
    case TRUSTBUNDLE_REASON_PATH_LENGTH_EXCEEDED: {
      // OpenSSL reports the CA whose own pathLenConstraint is exceeded.
      long limit = ctx.cert ? X509_get_pathlen(ctx.cert) : -1;
      return who(ctx) + " allows at most " + std::to_string(limit < 0 ? 0 : limit) +
             " CA certificate(s) below it (pathLenConstraint); this chain has more";
    }
    case TRUSTBUNDLE_REASON_NAME_CONSTRAINTS_VIOLATION:
      return "a name in " + who(ctx) + " is outside the names its issuing CA is allowed to certify (name constraints)";
    case TRUSTBUNDLE_REASON_ROOT_DISTRUSTED:
      return "the root " + (ctx.cert ? quoted_name(X509_get_subject_name(ctx.cert)) : std::string("CA")) +
             " is distrusted for certificates issued after " +
             format_date(ctx.distrust_after) + ": get a certificate from another CA";
    case TRUSTBUNDLE_REASON_CERT_SIGNATURE_FAILURE:
      return "the signature on " + who(ctx) + " does not verify: the chain is corrupt or mismatched";
    case TRUSTBUNDLE_REASON_INVALID_CA:
      return who(ctx) + " is not a valid CA (basicConstraints or keyUsage): it cannot issue certificates";
    case TRUSTBUNDLE_REASON_CERT_CHAIN_TOO_LONG:
      return "the chain has more intermediates than allowed";
    case TRUSTBUNDLE_REASON_WEAK_KEY_OR_SIGNATURE:
      return who(ctx) + " uses a key or signature weaker than 112-bit security (e.g. RSA < 2048, SHA-1)";
    case TRUSTBUNDLE_REASON_INVALID_CERTIFICATE:
      return who(ctx) + " is malformed or breaks the X.509 profile: reissue it";
    case TRUSTBUNDLE_REASON_CERT_REVOKED:
      return who(ctx) + " has been revoked by its CA";
    case TRUSTBUNDLE_REASON_CRL_PROBLEM:
      return "revocation could not be checked for " + who(ctx) + ": a CRL is missing, expired or invalid";
    case TRUSTBUNDLE_REASON_UNSUPPORTED_KEY:
      return (ctx.cert != nullptr && ctx.depth < 0 ? "the certificate '" + display_name(X509_get_subject_name(ctx.cert)) + "'"
                                                   : who(ctx)) +
             " has an RSA key no CA should issue (see the message): reissue it with an ordinary key, "
             "RSA 2048 to 8192 bits with exponent 65537, or ECDSA";
    case TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED:
      return "the certificates sent offer too many candidate paths or too costly signatures to check: "
             "send only the chain from the leaf to its root";
    default:
      return "";
  }
}

}  // namespace trustbundle
