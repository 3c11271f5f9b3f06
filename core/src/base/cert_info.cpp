#include "base/cert_info.h"

#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <vector>

#include "base/encoding.h"
#include "base/errors.h"
#include "base/time_util.h"

namespace trustbundle {
namespace {

std::string entry_utf8(const X509_NAME_ENTRY* entry) {
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
  if (len < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::string certifi_name(const X509_NAME* name) {
  std::string cn;
  std::vector<std::string> org, unit;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    if (nid == NID_commonName) cn = entry_utf8(entry);
    if (nid == NID_organizationName) org.push_back(entry_utf8(entry));
    if (nid == NID_organizationalUnitName) unit.push_back(entry_utf8(entry));
  }
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
  };
  std::string out;
  auto add = [&out](const char* key, const std::string& value) {
    if (value.empty()) return;
    out += (out.empty() ? "" : " ") + std::string(key) + "=" + value;
  };
  add("CN", cn);
  add("O", join(org));
  add("OU", join(unit));
  return out;
}

bool read_asn1_time(const ASN1_TIME* t, int64_t& out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  out = utc_seconds(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return true;
}

std::string decimal_serial(const ASN1_INTEGER* serial) {
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return "0";
  char* dec = BN_bn2dec(bn.get());
  std::string out = dec != nullptr ? dec : "0";
  OPENSSL_free(dec);
  return out;
}

}  // namespace

int64_t asn1_time_seconds_or_zero(const ASN1_TIME* t) {
  int64_t out = 0;
  return read_asn1_time(t, out) ? out : 0;
}

std::string digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "digest failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

X509Ptr parse_der_certificate(const std::string& der, const std::string& where) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw parse_error(where, "not a DER X.509 certificate");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size())
    throw parse_error(where, "trailing bytes after the DER certificate");
  cache_extensions_now(cert.get());
  return cert;
}

void cache_extensions_now(X509* cert) {
  // OpenSSL fills a certificate's extension cache (key ids, flags) on first
  // use; doing it here, before the certificate is shared between threads,
  // keeps concurrent verifications from racing on that lazy fill.
  X509_check_purpose(cert, -1, 0);
}

CertInfo describe_served_certificate(const std::string& der, const std::string& where) {
  X509Ptr cert = parse_der_certificate(der, where);
  CertInfo info;
  info.subject = certifi_name(X509_get_subject_name(cert.get()));
  info.issuer = certifi_name(X509_get_issuer_name(cert.get()));
  info.serial = decimal_serial(X509_get0_serialNumber(cert.get()));
  info.times_readable = read_asn1_time(X509_get0_notBefore(cert.get()), info.not_before) &&
                        read_asn1_time(X509_get0_notAfter(cert.get()), info.not_after);
  if (!info.times_readable) info.not_before = info.not_after = 0;
  info.sha256_hex = hex_lower(digest(EVP_sha256(), der));
  info.sha1_hex = hex_lower(digest(EVP_sha1(), der));
  info.md5_hex = hex_lower(digest(EVP_md5(), der));
  info.subject_hash = X509_NAME_hash_ex(X509_get_subject_name(cert.get()), nullptr, nullptr, nullptr);
  return info;
}

CertInfo describe_certificate(const std::string& der, const std::string& where) {
  CertInfo info = describe_served_certificate(der, where);
  if (!info.times_readable) throw parse_error(where, "certificate has an unreadable validity time");
  return info;
}

}  // namespace trustbundle
