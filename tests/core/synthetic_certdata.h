// Small synthetic certdata.txt snippets written by tests: a certificate
// object and its trust object for any DER certificate, with or without a
// server distrust-after date. Used by the core tests and by the
// verification tests that need distrusted roots of their own.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace tbtest {

// ----------------------------------------------- synthetic certdata.txt

// "\ooo" escapes, 16 bytes per line, as certdata.txt writes them.
inline std::string octal_lines(const std::string& bytes) {
  std::string out;
  char buf[8];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(bytes[i]));
    out += buf;
    if (i % 16 == 15 || i + 1 == bytes.size()) out += "\n";
  }
  return out;
}

inline std::string md_digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) throw std::runtime_error("EVP_Digest");
  return std::string(reinterpret_cast<char*>(out), len);
}

// What a certdata object pair needs to know about one certificate.
struct SyntheticCert {
  std::string label;
  std::string der;
  std::string subject_der;
  std::string issuer_der;
  std::string serial_der;  // the DER INTEGER, as CKA_SERIAL_NUMBER holds it
};

inline SyntheticCert synthetic_cert(const std::string& der, const std::string& label) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!x) throw std::runtime_error("synthetic_cert: not a DER certificate");
  auto i2d_str = [](auto fn, auto* obj) {
    unsigned char* buf = nullptr;
    int len = fn(obj, &buf);
    if (len <= 0) throw std::runtime_error("i2d failed");
    std::string s(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
    OPENSSL_free(buf);
    return s;
  };
  SyntheticCert c;
  c.label = label;
  c.der = der;
  c.subject_der = i2d_str(i2d_X509_NAME, X509_get_subject_name(x.get()));
  c.issuer_der = i2d_str(i2d_X509_NAME, X509_get_issuer_name(x.get()));
  c.serial_der = i2d_str(i2d_ASN1_INTEGER, const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(x.get())));
  return c;
}

inline std::string certdata_header() {
  return "#\n# Synthetic certdata.txt written by a trustbundle test.\n#\nBEGINDATA\n"
         "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
         "CKA_LABEL UTF8 \"Mozilla Builtin Roots\"\n";
}

// distrust_after: "" writes CK_BBOOL CK_FALSE; otherwise a YYMMDDHHMMSSZ date.
inline std::string certificate_object(const SyntheticCert& c, const std::string& distrust_after = "") {
  std::string out = "\n#\n# Certificate \"" + c.label + "\"\n#\n";
  out += "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n";
  out += "CKA_LABEL UTF8 \"" + c.label + "\"\n";
  out += "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509\n";
  out += "CKA_SUBJECT MULTILINE_OCTAL\n" + octal_lines(c.subject_der) + "END\n";
  out += "CKA_ID UTF8 \"0\"\n";
  out += "CKA_ISSUER MULTILINE_OCTAL\n" + octal_lines(c.issuer_der) + "END\n";
  out += "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + octal_lines(c.serial_der) + "END\n";
  out += "CKA_VALUE MULTILINE_OCTAL\n" + octal_lines(c.der) + "END\n";
  out += "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n";
  if (distrust_after.empty())
    out += "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n";
  else
    out += "# For Server Distrust After: " + distrust_after + "\nCKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n" +
           octal_lines(distrust_after) + "END\n";
  out += "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n";
  return out;
}

struct TrustSpec {
  std::string server = "CKT_NSS_TRUSTED_DELEGATOR";  // "" leaves the attribute out
  std::string email = "CKT_NSS_MUST_VERIFY_TRUST";
  std::string code = "CKT_NSS_MUST_VERIFY_TRUST";
  std::string server_distrust_after;  // YYMMDDHHMMSSZ in the trust object (as Izenpe.com), or ""
};

inline std::string trust_object(const SyntheticCert& c, const TrustSpec& t = TrustSpec()) {
  std::string out = "\n# Trust for \"" + c.label + "\"\n";
  out += "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n";
  out += "CKA_LABEL UTF8 \"" + c.label + "\"\n";
  out += "CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n" + octal_lines(md_digest(EVP_sha1(), c.der)) + "END\n";
  out += "CKA_CERT_MD5_HASH MULTILINE_OCTAL\n" + octal_lines(md_digest(EVP_md5(), c.der)) + "END\n";
  out += "CKA_ISSUER MULTILINE_OCTAL\n" + octal_lines(c.issuer_der) + "END\n";
  out += "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + octal_lines(c.serial_der) + "END\n";
  if (!t.server_distrust_after.empty())
    out += "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n" + octal_lines(t.server_distrust_after) + "END\n";
  if (!t.server.empty()) out += "CKA_TRUST_SERVER_AUTH CK_TRUST " + t.server + "\n";
  if (!t.email.empty()) out += "CKA_TRUST_EMAIL_PROTECTION CK_TRUST " + t.email + "\n";
  if (!t.code.empty()) out += "CKA_TRUST_CODE_SIGNING CK_TRUST " + t.code + "\n";
  out += "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n";
  return out;
}

// A fresh self-signed EC P-256 certificate, for cases the real data cannot
// give (any serial, any name, any validity).
inline std::string make_certificate(const std::string& common_name, long serial, int64_t not_before,
                                    int64_t not_after) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  if (!key || !x) throw std::runtime_error("make_certificate: allocation failed");
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(not_after));
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("trustbundle tests"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509_set_pubkey(x.get(), key.get());
  if (X509_sign(x.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("make_certificate: sign failed");
  unsigned char* buf = nullptr;
  int len = i2d_X509(x.get(), &buf);
  if (len <= 0) throw std::runtime_error("make_certificate: i2d failed");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return der;
}

}  // namespace tbtest
