// mTLS client certificate checks: does the key belong to the certificate,
// may it be used for client auth, is it valid at a time.
#pragma once

#include <cstdint>
#include <string>

#include "base/openssl_ptr.h"

namespace trustbundle {

struct KeyPairCheck {
  bool match = false;
  bool client_auth = false;
  bool valid = false;
  int64_t not_before = 0;
  int64_t not_after = 0;
};

// cert: PEM or DER. key: PEM (PKCS#8, traditional, encrypted or not) or DER.
// passphrase: nullptr when none. Throws Error(PARSE) for unreadable input,
// Error(PASSPHRASE) when the key is encrypted and the passphrase is missing
// or wrong. Never prompts on a terminal.
KeyPairCheck check_key_pair(const std::string& cert, const std::string& key, const char* passphrase, int64_t at);

// The private key alone, with the same formats, limits and errors.
EvpPkeyPtr read_private_key(const std::string& key, const char* passphrase);

}  // namespace trustbundle
