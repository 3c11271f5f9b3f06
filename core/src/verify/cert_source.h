// Loading certificates from what users hand us: PEM or DER bytes, a
// certdata.txt, a file, or a directory. Errors name the source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/openssl_ptr.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {

struct LoadedCert {
  X509Ptr cert;
  std::string der;
  bool has_server_distrust_after = false;  // only from certdata.txt sources
  int64_t server_distrust_after = 0;
};

// Every certificate in a buffer: PEM (one or more), DER, or certdata.txt
// (its server-trusted roots). Throws Error(PARSE) naming `source` when the
// buffer is empty, holds no certificate, or anything fails to parse.
std::vector<LoadedCert> load_certs_from_bytes(const std::string& bytes, const std::string& source);

// A file, or a directory's *.pem, *.crt, *.cer, *.der and hash-named files.
// Unreadable, empty or unparsable: Error naming the path. Bounded by
// TRUSTBUNDLE_MAX_INPUT_BYTES per file and TRUSTBUNDLE_MAX_SOURCE_CERTS.
std::vector<LoadedCert> load_certs_from_path(const std::string& path);

// Decodes a chain: each buffer is PEM (possibly several certificates) or DER.
// More than max_certs certificates: Error(LIMIT).
std::vector<X509Ptr> decode_chain(const std::vector<std::string>& buffers, const std::string& source,
                                  size_t max_certs = TRUSTBUNDLE_MAX_CHAIN_CERTS);

std::string der_of(X509* cert);

}  // namespace trustbundle
