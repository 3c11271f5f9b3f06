// unique_ptr aliases so OpenSSL objects are freed on every path.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace trustbundle {

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
struct EvpPkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };

using X509Ptr = std::unique_ptr<X509, X509Free>;
using BignumPtr = std::unique_ptr<BIGNUM, BnFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, StoreCtxFree>;

}  // namespace trustbundle
