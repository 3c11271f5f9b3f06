// Public keys the verifier refuses before it checks any signature with
// them: RSA keys whose public exponent is even or above 2^32, or whose
// modulus is over 8192 bits. Such keys serve no one, and verifying with a
// 3,000-bit exponent costs as much as thousands of ordinary checks (issue
// 15). RSA moduli under 2048 bits are left to the policy's auth level 2,
// which calls them WEAK_KEY_OR_SIGNATURE wherever they sit on the path.
#pragma once

#include <openssl/x509.h>

#include <string>

namespace trustbundle {

constexpr int kMaxRsaModulusBits = 8192;
constexpr int kMaxRsaExponentBits = 32;  // e < 2^32

// Why cert's key is refused ("its RSA public exponent has 3000 bits ..."),
// or "" when it is not.
std::string unsupported_key(X509* cert);

}  // namespace trustbundle
