// The TCP half of a probe: where to connect ("HOST[:PORT]"), name lookup
// and a non-blocking connect, all under one deadline. Failures are
// outcomes (a typed cause and a sentence), not exceptions.
#pragma once

#include <chrono>
#include <string>

#include "doctor/platform_socket.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {

// One bound for every step of a probe, so --timeout means the whole probe.
class Deadline {
 public:
  explicit Deadline(int timeout_ms)
      : end_(std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms)) {}
  int remaining_ms() const;  // 0 once passed

 private:
  std::chrono::steady_clock::time_point end_;
};

struct Target {
  std::string host;  // a DNS name or an IP literal (IPv6 without brackets)
  int port = 443;
};

// "host", "host:port", "[v6]:port", "v6", or an https:// URL (path ignored).
// Throws Error(INVALID_ARGUMENT) naming the text.
Target parse_target(const std::string& text);

// "host:port" or "[v6]:port"
std::string format_endpoint(const std::string& host, int port);

struct TcpConnection {
  SocketHandle socket = kNoSocket;          // non-blocking; the caller closes it (socket_close)
  int failure = TRUSTBUNDLE_FAILURE_NONE;   // trustbundle_failure
  std::string address;                      // the address connected (or tried last)
  std::string message;                      // why not, when socket == kNoSocket
};

// Resolves the host (bounded by the deadline: a stuck resolver is a DNS
// failure, not a hang) and tries each address in turn.
TcpConnection connect_tcp(const Target& target, const Deadline& deadline);

}  // namespace trustbundle
