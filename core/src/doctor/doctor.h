// `trustbundle doctor`: probe a live endpoint, judge what it served with
// the verification policy, and explain every problem with its fixes. The
// CLI and the C ABI (capi_probe.cpp) both run this and render its report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "doctor/finding.h"
#include "doctor/served_cert.h"
#include "doctor/tls_probe.h"
#include "verify/trust_store.h"
#include "verify/verifier.h"

namespace trustbundle {

constexpr int kDefaultProbeTimeoutMs = 10000;

struct DoctorRequest {
  std::string target;        // "host[:port]", "[v6]:port" or an https:// URL
  std::string servername;    // "" = the target's host
  int timeout_ms = kDefaultProbeTimeoutMs;  // the whole probe; <= 0 = the default
  std::string client_cert;   // both empty: offer no client certificate
  std::string client_key;
  bool has_passphrase = false;
  std::string passphrase;
  int language = TRUSTBUNDLE_LANGUAGE_CLI;  // whose option names the fixes use
};

struct DoctorReport {
  std::string target;        // as given
  std::string host;
  int port = 0;
  std::string endpoint;      // "host:port"
  std::string servername;    // the name verified
  std::string sni;           // the SNI sent; "" = none (IP literal)
  std::string address;       // the address connected to (or tried last)
  int timeout_ms = 0;
  int64_t checked_at = 0;    // Unix seconds
  int language = TRUSTBUNDLE_LANGUAGE_CLI;  // whose option names the fixes use

  int failure = TRUSTBUNDLE_FAILURE_NONE;
  std::string failure_message;
  TlsCapture tls;
  std::vector<ServedCert> served;  // as sent
  bool verified = false;           // a chain was captured and judged
  VerifyOutcome outcome;
  bool client_given = false;
  std::string client_name;

  std::vector<Finding> findings;   // errors first
  int verdict = TRUSTBUNDLE_VERDICT_UNREACHABLE;
  std::string label;               // "OK", a reason name or a failure name
  std::string message;             // the verdict in one sentence
  std::string fix_client;          // one fix per line
  std::string fix_server;
};

// Throws Error for a malformed request (INVALID_ARGUMENT) or unreadable
// client credentials (PARSE, PASSPHRASE); an unreachable endpoint is a report.
DoctorReport run_doctor(const TrustStore& store, const DoctorRequest& request);

// run_doctor without the connect: the handshake runs over socket (borrowed:
// connected, non-blocking; a file descriptor on POSIX), whatever is at its
// other end. The fuzz target puts arbitrary server bytes there.
DoctorReport run_doctor_on_socket(const TrustStore& store, const DoctorRequest& request, SocketHandle socket);

}  // namespace trustbundle
