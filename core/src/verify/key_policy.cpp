#include "verify/key_policy.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/openssl_ptr.h"

namespace trustbundle {

std::string unsupported_key(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  ERR_clear_error();
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return "";  // other algorithms have fixed costs
  BIGNUM* raw_e = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &raw_e) != 1) {
    ERR_clear_error();
    return "its RSA public exponent cannot be read";
  }
  BignumPtr e(raw_e);
  const int modulus_bits = EVP_PKEY_get_bits(key);
  if (modulus_bits > kMaxRsaModulusBits)
    return "its RSA modulus has " + std::to_string(modulus_bits) + " bits (at most " +
           std::to_string(kMaxRsaModulusBits) + " are accepted)";
  if (!BN_is_odd(e.get())) return "its RSA public exponent is even";
  if (BN_num_bits(e.get()) > kMaxRsaExponentBits)
    return "its RSA public exponent has " + std::to_string(BN_num_bits(e.get())) +
           " bits (it must be below 2^32; 65537 is usual)";
  return "";
}

}  // namespace trustbundle
