#include "cert_factory.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace tbrel {
namespace {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

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

// subject NULL: "O=trustbundle reliability, CN=cn".
std::shared_ptr<X509> new_cert(const std::string& cn, const X509_NAME* subject, EVP_PKEY* key,
                               const X509_NAME* issuer_name, long serial, Validity validity) {
  std::shared_ptr<X509> cert(X509_new(), X509Deleter());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  if (subject != nullptr) {
    check(X509_set_subject_name(cert.get(), subject) == 1, "subject");
  } else {
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("trustbundle reliability"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                               0);
  }
  X509_set_issuer_name(cert.get(), issuer_name != nullptr ? issuer_name : X509_get_subject_name(cert.get()));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), validity.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), validity.not_after);
  X509_set_pubkey(cert.get(), key);
  return cert;
}

Issued sign_ca(Issued out, const Issued* issuer) {
  X509* signer = issuer ? issuer->cert.get() : out.cert.get();
  add_ext(out.cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
  add_ext(out.cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(out.cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer) add_ext(out.cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  check(X509_sign(out.cert.get(), issuer ? issuer->key.get() : out.key.get(), EVP_sha256()) > 0, "sign CA");
  return out;
}

}  // namespace

std::shared_ptr<EVP_PKEY> new_ec_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EC key");
  return std::shared_ptr<EVP_PKEY>(key, PkeyDeleter());
}

std::shared_ptr<EVP_PKEY> rsa_key_with_exponent(int modulus_bits, int exponent_bits) {
  BnPtr p(BN_new()), q(BN_new()), n(BN_new()), e(BN_new()), d(BN_new()), phi(BN_new()), p1(BN_new()), q1(BN_new()),
      gcd(BN_new()), dmp1(BN_new()), dmq1(BN_new()), iqmp(BN_new());
  std::unique_ptr<BN_CTX, decltype(&BN_CTX_free)> bn(BN_CTX_new(), BN_CTX_free);
  check(p && q && n && e && d && phi && p1 && q1 && gcd && dmp1 && dmq1 && iqmp && bn, "BN_new");
  check(BN_generate_prime_ex(p.get(), modulus_bits / 2, 0, nullptr, nullptr, nullptr) == 1, "prime p");
  do {
    check(BN_generate_prime_ex(q.get(), modulus_bits - modulus_bits / 2, 0, nullptr, nullptr, nullptr) == 1, "prime q");
    BN_mul(n.get(), p.get(), q.get(), bn.get());
  } while (BN_num_bits(n.get()) != modulus_bits);
  BN_sub(p1.get(), p.get(), BN_value_one());
  BN_sub(q1.get(), q.get(), BN_value_one());
  BN_mul(phi.get(), p1.get(), q1.get(), bn.get());
  do {  // top bit set, odd, invertible mod phi
    check(BN_rand(e.get(), exponent_bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1, "exponent");
    BN_gcd(gcd.get(), e.get(), phi.get(), bn.get());
  } while (!BN_is_one(gcd.get()));
  check(BN_mod_inverse(d.get(), e.get(), phi.get(), bn.get()) != nullptr, "private exponent");
  BN_mod(dmp1.get(), d.get(), p1.get(), bn.get());
  BN_mod(dmq1.get(), d.get(), q1.get(), bn.get());
  check(BN_mod_inverse(iqmp.get(), q.get(), p.get(), bn.get()) != nullptr, "CRT coefficient");

  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  check(bld != nullptr, "OSSL_PARAM_BLD_new");
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get());
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  bool ok = params != nullptr && pctx && EVP_PKEY_fromdata_init(pctx.get()) == 1 &&
            EVP_PKEY_fromdata(pctx.get(), &key, EVP_PKEY_KEYPAIR, params) == 1;
  OSSL_PARAM_free(params);
  check(ok && key != nullptr, "RSA key from its numbers");
  return std::shared_ptr<EVP_PKEY>(key, PkeyDeleter());
}

std::shared_ptr<EVP_PKEY> rsa_public_key(int modulus_bits, unsigned long exponent) {
  BnPtr n(BN_new()), e(BN_new());
  check(n && e && BN_rand(n.get(), modulus_bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1 &&
            BN_set_word(e.get(), exponent) == 1,
        "public key numbers");
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  check(bld && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) == 1,
        "public key params");
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld.get());
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  bool ok = params != nullptr && pctx && EVP_PKEY_fromdata_init(pctx.get()) == 1 &&
            EVP_PKEY_fromdata(pctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
  OSSL_PARAM_free(params);
  check(ok && key != nullptr, "RSA public key from its numbers");
  return std::shared_ptr<EVP_PKEY>(key, PkeyDeleter());
}

Issued make_ca(const std::string& cn, const Issued* issuer, std::shared_ptr<EVP_PKEY> key, long serial,
               Validity validity) {
  Issued out;
  out.key = key ? key : new_ec_key();
  out.cert = new_cert(cn, nullptr, out.key.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : nullptr, serial,
                      validity);
  return sign_ca(out, issuer);
}

Issued make_ca_named(const X509_NAME* subject, std::shared_ptr<EVP_PKEY> key, const Issued* issuer, long serial,
                     Validity validity) {
  Issued out;
  out.key = std::move(key);
  out.cert = new_cert("", subject, out.key.get(), issuer ? X509_get_subject_name(issuer->cert.get()) : nullptr, serial,
                      validity);
  return sign_ca(out, issuer);
}

Issued make_leaf(const std::string& host, const Issued& issuer, Validity validity) {
  Issued out;
  out.key = new_ec_key();
  out.cert = new_cert(host, nullptr, out.key.get(), X509_get_subject_name(issuer.cert.get()), 7, validity);
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
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), Validity().not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), Validity().not_after);
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

std::string private_key_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  check(bio != nullptr && PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "key PEM");
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
