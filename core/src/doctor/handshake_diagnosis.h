// What the conversation itself says, apart from the chain: why it did not
// happen (each cause with its fixes), client certificates (mTLS), and old
// protocol versions.
#pragma once

#include <string>
#include <vector>

#include "doctor/finding.h"
#include "doctor/tls_probe.h"

namespace trustbundle {

struct HandshakeContext {
  std::string host;          // as given in the target
  std::string endpoint;      // "host:port"
  std::string servername;    // SNI sent ("" = none)
  bool client_given = false; // a client certificate was loaded to offer
  std::string client_name;   // its CN
  int language = TRUSTBUNDLE_LANGUAGE_CLI;  // whose option names the fixes use
};

// failure / failure_message: the TCP step's outcome when it failed, else
// the TLS capture's. Fills findings for both halves.
std::vector<Finding> diagnose_handshake(int failure, const std::string& failure_message, const TlsCapture& tls,
                                        const HandshakeContext& ctx);

}  // namespace trustbundle
