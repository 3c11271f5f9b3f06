#include "verify/key_policy.h"

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <memory>

namespace trustbundle {
namespace {

struct AnyStackFree {
  void operator()(ASN1_SEQUENCE_ANY* p) const { sk_ASN1_TYPE_pop_free(p, ASN1_TYPE_free); }
};

// Bits of a non-negative big-endian integer's magnitude.
int magnitude_bits(const unsigned char* bytes, int len) {
  while (len > 0 && *bytes == 0) ++bytes, --len;
  if (len == 0) return 0;
  int bits = (len - 1) * 8;
  for (unsigned char top = *bytes; top != 0; top >>= 1) ++bits;
  return bits;
}

}  // namespace

std::string unsupported_key(X509* cert) {
  // The exponent is read from the key's DER (SEQUENCE { n, e }): asking the
  // provider for it costs more than the rest of a verification's checks.
  const unsigned char* der = nullptr;
  int der_len = 0;
  ASN1_OBJECT* algorithm = nullptr;
  X509_PUBKEY* spki = X509_get_X509_PUBKEY(cert);
  if (spki == nullptr || X509_PUBKEY_get0_param(&algorithm, &der, &der_len, nullptr, spki) != 1) return "";
  const int nid = OBJ_obj2nid(algorithm);
  if (nid != NID_rsaEncryption && nid != NID_rsassaPss) return "";  // other algorithms have fixed costs
  std::unique_ptr<ASN1_SEQUENCE_ANY, AnyStackFree> numbers(d2i_ASN1_SEQUENCE_ANY(nullptr, &der, der_len));
  ERR_clear_error();
  if (!numbers || sk_ASN1_TYPE_num(numbers.get()) != 2 ||
      ASN1_TYPE_get(sk_ASN1_TYPE_value(numbers.get(), 0)) != V_ASN1_INTEGER ||
      ASN1_TYPE_get(sk_ASN1_TYPE_value(numbers.get(), 1)) != V_ASN1_INTEGER)
    return "its RSA public key cannot be read";
  const ASN1_INTEGER* n = sk_ASN1_TYPE_value(numbers.get(), 0)->value.integer;
  const ASN1_INTEGER* e = sk_ASN1_TYPE_value(numbers.get(), 1)->value.integer;
  if (ASN1_STRING_type(n) == V_ASN1_NEG_INTEGER || ASN1_STRING_type(e) == V_ASN1_NEG_INTEGER)
    return "its RSA public key holds a negative number";
  const int modulus_bits = magnitude_bits(ASN1_STRING_get0_data(n), ASN1_STRING_length(n));
  const int exponent_bits = magnitude_bits(ASN1_STRING_get0_data(e), ASN1_STRING_length(e));
  if (modulus_bits > kMaxRsaModulusBits)
    return "its RSA modulus has " + std::to_string(modulus_bits) + " bits (at most " +
           std::to_string(kMaxRsaModulusBits) + " are accepted)";
  const int e_len = ASN1_STRING_length(e);
  if (e_len == 0 || (ASN1_STRING_get0_data(e)[e_len - 1] & 1) == 0) return "its RSA public exponent is even";
  if (exponent_bits > kMaxRsaExponentBits)
    return "its RSA public exponent has " + std::to_string(exponent_bits) +
           " bits (it must be below 2^32; 65537 is usual)";
  return "";
}

}  // namespace trustbundle
