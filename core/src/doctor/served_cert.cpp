#include "doctor/served_cert.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/cert_info.h"
#include "base/encoding.h"
#include "verify/verify_hints.h"

namespace trustbundle {
namespace {

std::string key_type_of(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return "RSA";
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_DSA: return "DSA";
    default: return "unknown";
  }
}

}  // namespace

ServedCert describe_served(const std::string& der, const std::string& where) {
  ServedCert out;
  out.cert = parse_der_certificate(der, where);
  out.der = der;
  CertInfo info = describe_served_certificate(der, where);
  X509* x = out.cert.get();
  out.subject = replace_invalid_utf8(info.subject);  // a server's names may hold any bytes
  out.issuer = replace_invalid_utf8(info.issuer);
  out.name = display_name(X509_get_subject_name(x));
  out.issuer_name = display_name(X509_get_issuer_name(x));
  out.not_before = info.not_before;
  out.not_after = info.not_after;
  out.times_readable = info.times_readable;
  out.sha256_hex = info.sha256_hex;
  const EVP_PKEY* key = X509_get0_pubkey(x);
  out.key_type = key != nullptr ? key_type_of(key) : "unknown";
  out.key_bits = key != nullptr ? EVP_PKEY_get_bits(key) : 0;
  out.self_signed = X509_self_signed(x, 1) == 1;
  out.is_ca = X509_check_ca(x) != 0;
  out.alt_names = subject_alt_names(x);
  ERR_clear_error();
  return out;
}

}  // namespace trustbundle
