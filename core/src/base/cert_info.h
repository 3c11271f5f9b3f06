// What the bundle needs to know about one certificate, read from its DER
// with OpenSSL: names in certifi's form, serial, validity, fingerprints.
#pragma once

#include <cstdint>
#include <string>

#include "base/openssl_ptr.h"

namespace trustbundle {

struct CertInfo {
  std::string subject;  // "CN=<last CN> O=<O/O> OU=<OU/OU>", UTF-8
  std::string issuer;
  std::string serial;   // decimal
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool times_readable = true;  // false: not_before/not_after are 0 (describe_served_certificate only)
  std::string sha256_hex;  // lowercase, no separators
  std::string sha1_hex;
  std::string md5_hex;
  unsigned long subject_hash = 0;  // as `openssl rehash` names files
};

// Parses DER; throws Error(PARSE) naming `where` when it is not a certificate.
X509Ptr parse_der_certificate(const std::string& der, const std::string& where);

// Fills OpenSSL's lazy per-certificate cache so the certificate can be shared
// read-only between threads. parse_der_certificate already calls it.
void cache_extensions_now(X509* cert);

// Throws Error(PARSE) also for an unreadable validity time: the bundle
// never guesses a date.
CertInfo describe_certificate(const std::string& der, const std::string& where);

// For certificates a peer sent, described even when they are broken: an
// unreadable validity time leaves times_readable false (verification says
// what is wrong with it) instead of throwing.
CertInfo describe_served_certificate(const std::string& der, const std::string& where);

std::string digest(const EVP_MD* md, const std::string& bytes);

// Unix seconds of a certificate time; 0 when it cannot be read (callers
// that must not guess use describe_certificate, which throws instead).
int64_t asn1_time_seconds_or_zero(const ASN1_TIME* t);

}  // namespace trustbundle
