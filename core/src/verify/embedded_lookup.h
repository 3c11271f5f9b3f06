// Lazy access to the embedded roots by subject: each root is parsed only
// when a verification first asks for its subject, once per process. The
// trust store offers them as anchor candidates beside its extra CAs.
#pragma once

#include <openssl/x509.h>

#include <cstddef>
#include <vector>

namespace trustbundle {

struct EmbeddedRoot {
  X509* cert;    // borrowed: parsed once, kept for the process
  size_t index;  // for embedded_root_view
};

// The embedded roots whose subject is name (usually none or one).
// subject_hash: X509_NAME_hash_ex of name (callers that have it save a
// SHA-1); 0 computes it. distrusted_only: only those with a server
// distrust-after date, so that a distrust check parses nothing it does not need.
std::vector<EmbeddedRoot> embedded_roots_with_subject(const X509_NAME* name, unsigned long subject_hash = 0,
                                                      bool distrusted_only = false);

// Number of embedded roots parsed so far in this process (for tests and
// benchmarks that check laziness).
size_t embedded_roots_parsed();

}  // namespace trustbundle
