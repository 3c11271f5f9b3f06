// Lazy access to the embedded roots for OpenSSL: an X509_LOOKUP that finds
// roots by subject, parsing each one only when a verification first asks
// for it, once per process.
#pragma once

#include <openssl/x509_vfy.h>

#include <cstddef>

namespace trustbundle {

// Adds the lookup to a store. Throws Error(INTERNAL) on allocation failure.
void add_embedded_lookup(X509_STORE* store);

// Number of embedded roots parsed so far in this process (for tests and
// benchmarks that check laziness).
size_t embedded_roots_parsed();

}  // namespace trustbundle
