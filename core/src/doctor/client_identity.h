// The mTLS client certificate a probe offers: read, checked against its
// key before connecting (a mismatched key is a finding, not an offer), and
// loaded for the handshake.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "doctor/finding.h"
#include "doctor/tls_probe.h"

namespace trustbundle {

struct ClientSetup {
  std::unique_ptr<ClientIdentity> identity;  // nullptr: offer none
  std::string name;                          // the certificate's CN, for sentences
  std::vector<Finding> findings;
};

// cert: PEM (its chain may follow) or DER; key: PEM or DER, PKCS#8
// encrypted or not. passphrase: nullptr when none. Throws Error(PARSE) for
// unreadable input and Error(PASSPHRASE) for a missing or wrong passphrase.
ClientSetup load_client_identity(const std::string& cert, const std::string& key, const char* passphrase, int64_t now);

}  // namespace trustbundle
