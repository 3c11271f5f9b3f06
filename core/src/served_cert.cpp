#include "served_cert.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "cert_info.h"
#include "verify_hints.h"

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

std::string ip_text(const ASN1_OCTET_STRING* ip) {
  char buf[INET6_ADDRSTRLEN] = {0};
  int len = ASN1_STRING_length(ip);
  const unsigned char* data = ASN1_STRING_get0_data(ip);
  if (len == 4) inet_ntop(AF_INET, data, buf, sizeof buf);
  else if (len == 16) inet_ntop(AF_INET6, data, buf, sizeof buf);
  else return "(malformed IP address)";
  return buf;
}

std::vector<std::string> alt_names_of(X509* cert) {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
    if (gn->type == GEN_DNS) {
      const ASN1_STRING* s = gn->d.dNSName;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (gn->type == GEN_IPADD) {
      names.push_back(ip_text(gn->d.iPAddress));
    }
  }
  GENERAL_NAMES_free(sans);
  return names;
}

}  // namespace

ServedCert describe_served(const std::string& der, const std::string& where) {
  ServedCert out;
  out.cert = parse_der_certificate(der, where);
  out.der = der;
  CertInfo info = describe_certificate(der, where);
  X509* x = out.cert.get();
  out.subject = info.subject;
  out.issuer = info.issuer;
  out.name = display_name(X509_get_subject_name(x));
  out.issuer_name = display_name(X509_get_issuer_name(x));
  out.not_before = info.not_before;
  out.not_after = info.not_after;
  out.sha256_hex = info.sha256_hex;
  const EVP_PKEY* key = X509_get0_pubkey(x);
  out.key_type = key != nullptr ? key_type_of(key) : "unknown";
  out.key_bits = key != nullptr ? EVP_PKEY_get_bits(key) : 0;
  out.self_signed = X509_self_signed(x, 1) == 1;
  out.is_ca = X509_check_ca(x) != 0;
  out.alt_names = alt_names_of(x);
  ERR_clear_error();
  return out;
}

}  // namespace trustbundle
