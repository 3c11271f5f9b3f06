// The TLS half of a probe: a client handshake that observes and does not
// trust (SSL_VERIFY_NONE; the project's policy judges the captured chain
// afterwards), with a deadline, SNI and an optional client certificate.
#pragma once

#include <string>
#include <vector>

#include "doctor/net_connect.h"
#include "base/openssl_ptr.h"

namespace trustbundle {

// An mTLS client certificate, loaded and checked before connecting.
struct ClientIdentity {
  X509Ptr cert;
  std::vector<X509Ptr> chain;  // intermediates sent after it
  EvpPkeyPtr key;
};

struct TlsRequest {
  std::string sni;                         // empty = no SNI (IP literals)
  const ClientIdentity* client = nullptr;  // borrowed; nullptr = offer none
  int timeout_ms = 0;                      // the probe's whole budget, for messages
};

struct TlsCapture {
  int failure = TRUSTBUNDLE_FAILURE_NONE;  // trustbundle_failure
  std::string message;                     // why, when failure != NONE
  std::string protocol;                    // "TLSv1.3"; empty unless completed
  std::string cipher;
  std::vector<std::string> chain_der;      // as sent, even when the handshake failed after it
  int unreadable_cert = -1;                // index of a sent certificate that ended chain_der, -1 none
  bool cert_requested = false;             // a CertificateRequest came
  bool cert_offered = false;               // ... and a certificate was sent in reply
  std::vector<std::string> acceptable_cas; // CA names from the CertificateRequest
  int alert = -1;                          // the first alert received, -1 none
};

// Handshakes over the connected, non-blocking socket (borrowed).
TlsCapture tls_handshake(SocketHandle socket, const TlsRequest& request, const Deadline& deadline);

// RFC 8446 names: "certificate_required", "unknown_ca". "alert N" otherwise.
std::string alert_name(int code);

}  // namespace trustbundle
