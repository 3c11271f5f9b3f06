#include "cert_factory.h"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace tbrel {
namespace {

constexpr long kNotBefore = 1704067200;  // 2024-01-01
constexpr long kNotAfter = 2366841600;   // 2045-01-01

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("cert_factory: ") + what);
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr && X509_add_ext(cert, ext, -1) == 1, "extension");
  X509_EXTENSION_free(ext);
}

std::shared_ptr<X509> new_cert(const std::string& cn, EVP_PKEY* key, X509_NAME* issuer_name, long serial) {
  std::shared_ptr<X509> cert(X509_new(), X509Deleter());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("trustbundle reliability"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer_name != nullptr ? issuer_name : name);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), kNotBefore);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), kNotAfter);
  X509_set_pubkey(cert.get(), key);
  return cert;
}

}  // namespace

std::shared_ptr<EVP_PKEY> new_ec_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EC key");
  return std::shared_ptr<EVP_PKEY>(key, PkeyDeleter());
}

Issued make_ca(const std::string& cn, const Issued* issuer, std::shared_ptr<EVP_PKEY> key, long serial) {
  Issued out;
  out.key = key ? key : new_ec_key();
  out.cert = new_cert(cn, out.key.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : nullptr, serial);
  X509* signer = issuer ? issuer->cert.get() : out.cert.get();
  add_ext(out.cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(out.cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(out.cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(out.cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  check(X509_sign(out.cert.get(), issuer ? issuer->key.get() : out.key.get(), EVP_sha256()) > 0, "sign CA");
  return out;
}

Issued make_leaf(const std::string& host, const Issued& issuer) {
  Issued out;
  out.key = new_ec_key();
  out.cert = new_cert(host, out.key.get(), X509_get_subject_name(issuer.cert.get()), 7);
  X509* signer = issuer.cert.get();
  add_ext(out.cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(out.cert.get(), signer, NID_key_usage, "critical,digitalSignature");
  add_ext(out.cert.get(), signer, NID_ext_key_usage, "serverAuth");
  add_ext(out.cert.get(), signer, NID_subject_alt_name, ("DNS:" + host).c_str());
  add_ext(out.cert.get(), signer, NID_subject_key_identifier, "hash");
  add_ext(out.cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  check(X509_sign(out.cert.get(), issuer.key.get(), EVP_sha256()) > 0, "sign leaf");
  return out;
}

std::string tiny_self_signed_der(long serial) {
  static EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");  // shared: only the serial differs
  check(key != nullptr, "Ed25519 key");
  std::shared_ptr<X509> cert(X509_new(), X509Deleter());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("t"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), kNotBefore);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), kNotAfter);
  X509_set_pubkey(cert.get(), key);
  check(X509_sign(cert.get(), key, nullptr) > 0, "sign tiny");
  return to_der(cert.get());
}

std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

std::string to_der(X509* cert) {
  unsigned char* buf = nullptr;
  int len = i2d_X509(cert, &buf);
  check(len > 0, "i2d_X509");
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

}  // namespace tbrel
