// Parsed certificates kept across verifications. Parsing DER costs OpenSSL
// 3.0 about twice a whole chain verification, and servers see the same
// chains again and again; X509 objects are reference-counted and safe to
// share once parsed.
#pragma once

#include <cstddef>
#include <string>

#include "base/openssl_ptr.h"

namespace trustbundle {

constexpr size_t kCertCacheCapacity = 512;

// Like parse_der_certificate, but returns a shared object for DER seen
// recently. Thread-safe; bounded (oldest entries are dropped first).
X509Ptr parse_der_cached(const std::string& der, const std::string& where);

}  // namespace trustbundle
