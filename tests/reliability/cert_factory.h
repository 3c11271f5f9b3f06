// Certificates made on the fly with OpenSSL for the limit tests: CA chains
// deeper than TRUSTBUNDLE_MAX_DEPTH, hostile pools, thousands of roots.
// Every CA follows the X.509 profile the verifier enforces (strict mode).
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace tbrel {

struct X509Deleter { void operator()(X509* p) const { X509_free(p); } };
struct PkeyDeleter { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };

struct Issued {
  std::shared_ptr<X509> cert;
  std::shared_ptr<EVP_PKEY> key;  // may hold only a public key (a cross-certificate of someone else's CA)
};

// Unix seconds; the default window is 2024-01-01 .. 2045-01-01, so tests
// pin their verification time inside the window they chose.
struct Validity {
  long not_before = 1704067200;  // 2024-01-01
  long not_after = 2366841600;   // 2045-01-01
};

std::shared_ptr<EVP_PKEY> new_ec_key();

// An RSA key whose public exponent has exactly exponent_bits bits (odd,
// coprime to the totient): the absurd keys of the cost tests.
std::shared_ptr<EVP_PKEY> rsa_key_with_exponent(int modulus_bits, int exponent_bits);

// An RSA public key with a random odd modulus of modulus_bits bits (not a
// product of two primes: nothing can sign with it) and this exponent, for
// the tests of keys refused on sight (even exponents, huge moduli).
std::shared_ptr<EVP_PKEY> rsa_public_key(int modulus_bits, unsigned long exponent);

// A CA named cn. issuer NULL: self-signed. key NULL: a new key.
Issued make_ca(const std::string& cn, const Issued* issuer, std::shared_ptr<EVP_PKEY> key = nullptr,
               long serial = 1, Validity validity = {});

// A CA with exactly this subject (copied) and key: impostors, re-issued
// roots and cross-certificates of existing CAs. issuer NULL: self-signed
// (key must then be a private key). The subject key identifier is the key's hash,
// as a CA's own would be.
Issued make_ca_named(const X509_NAME* subject, std::shared_ptr<EVP_PKEY> key, const Issued* issuer, long serial,
                     Validity validity = {});

// A TLS server leaf for host, issued by issuer.
Issued make_leaf(const std::string& host, const Issued& issuer, Validity validity = {});

// The smallest self-signed certificate that parses (Ed25519, CN only, no
// extensions): for files that must hold many certificates.
std::string tiny_self_signed_der(long serial);

std::string to_pem(X509* cert);
std::string to_der(X509* cert);
std::string private_key_pem(EVP_PKEY* key);  // PKCS#8, unencrypted

}  // namespace tbrel
