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
  std::shared_ptr<EVP_PKEY> key;
};

std::shared_ptr<EVP_PKEY> new_ec_key();

// A CA named cn. issuer NULL: self-signed. key NULL: a new key.
Issued make_ca(const std::string& cn, const Issued* issuer, std::shared_ptr<EVP_PKEY> key = nullptr,
               long serial = 1);

// A TLS server leaf for host, issued by issuer.
Issued make_leaf(const std::string& host, const Issued& issuer);

// The smallest self-signed certificate that parses (Ed25519, CN only, no
// extensions): for files that must hold many certificates.
std::string tiny_self_signed_der(long serial);

std::string to_pem(X509* cert);
std::string to_der(X509* cert);

}  // namespace tbrel
