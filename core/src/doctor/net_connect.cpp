#include "doctor/net_connect.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/errors.h"

namespace trustbundle {
namespace {

std::string address_text(const SocketAddress& a) { return format_endpoint(a.ip, a.port); }

// getaddrinfo cannot be cancelled, so it runs on a detached thread that
// owns its state; the caller waits only as long as the deadline allows.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  int rc = 0;
  std::vector<SocketAddress> addresses;
};

void run_lookup(const std::shared_ptr<Lookup>& lookup, const std::string& host, const std::string& port, bool numeric) {
  std::vector<SocketAddress> found;
  int rc = socket_resolve(host, port, numeric, found);
  std::lock_guard<std::mutex> lock(lookup->mutex);
  lookup->rc = rc;
  lookup->addresses = std::move(found);
  lookup->done = true;
  lookup->done_cv.notify_all();
}

// Resolves or explains why not in `why` (addresses empty).
std::vector<SocketAddress> resolve(const Target& target, const Deadline& deadline, std::string& why) {
  auto lookup = std::make_shared<Lookup>();
  const std::string port = std::to_string(target.port);
  if (socket_is_ip_literal(target.host)) {
    run_lookup(lookup, target.host, port, true);  // no resolver involved
  } else {
    std::thread(run_lookup, lookup, target.host, port, false).detach();
    std::unique_lock<std::mutex> lock(lookup->mutex);
    if (!lookup->done_cv.wait_for(lock, std::chrono::milliseconds(deadline.remaining_ms()), [&] { return lookup->done; })) {
      why = "DNS lookup of '" + target.host + "' did not answer in time";
      return {};
    }
  }
  std::lock_guard<std::mutex> lock(lookup->mutex);
  if (lookup->rc != 0) {
    why = "DNS lookup of '" + target.host + "' failed: " + resolve_error_text(lookup->rc);
    return {};
  }
  if (lookup->addresses.empty()) why = "DNS lookup of '" + target.host + "' gave no address";
  return lookup->addresses;
}

int failure_of_error(int err) {
  switch (socket_fault(err)) {
    case SocketFault::refused: return TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED;
    case SocketFault::timed_out: return TRUSTBUNDLE_FAILURE_TIMEOUT;
    default: return TRUSTBUNDLE_FAILURE_NETWORK;
  }
}

std::string error_sentence(int err, const std::string& where) {
  switch (socket_fault(err)) {
    case SocketFault::refused: return "connection refused by " + where + ": nothing listens on that port";
    case SocketFault::timed_out: return "connecting to " + where + " timed out";
    default: return "cannot connect to " + where + ": " + socket_error_text(err);
  }
}

// One address: the connected socket, or kNoSocket with conn.failure and conn.message set.
SocketHandle connect_one(const SocketAddress& a, const Deadline& deadline, TcpConnection& conn) {
  conn.address = address_text(a);
  SocketConnect c = socket_connect(a, deadline.remaining_ms());
  switch (c.result) {
    case SocketConnect::connected:
      return c.socket;
    case SocketConnect::cannot_create:
      conn.failure = TRUSTBUNDLE_FAILURE_NETWORK;
      conn.message = "cannot create a socket: " + socket_error_text(c.error);
      return kNoSocket;
    case SocketConnect::timed_out:
      conn.failure = TRUSTBUNDLE_FAILURE_TIMEOUT;
      conn.message = "connecting to " + conn.address + " timed out (no answer to the TCP handshake)";
      return kNoSocket;
    case SocketConnect::failed:
      break;
  }
  conn.failure = failure_of_error(c.error);
  conn.message = error_sentence(c.error, conn.address);
  return kNoSocket;
}

}  // namespace

int Deadline::remaining_ms() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - std::chrono::steady_clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

std::string format_endpoint(const std::string& host, int port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Target parse_target(const std::string& text) {
  std::string rest = text;
  auto bad = [&](const std::string& why) { return invalid_argument("target '" + text + "': " + why); };
  for (const char* scheme : {"https://", "HTTPS://"}) {
    if (rest.rfind(scheme, 0) == 0) {
      rest = rest.substr(std::strlen(scheme));
      rest = rest.substr(0, rest.find_first_of("/?#"));
    }
  }
  if (rest.find("://") != std::string::npos) throw bad("only https:// URLs are probed");
  Target t;
  std::string port;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos) throw bad("']' is missing");
    t.host = rest.substr(1, close - 1);
    std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw bad("expected ':PORT' after ']'");
      port = after.substr(1);
      if (port.empty()) throw bad("the port is empty");
    }
  } else if (std::count(rest.begin(), rest.end(), ':') > 1) {
    if (!socket_is_ip_literal(rest)) throw bad("not HOST:PORT; an IPv6 address with a port is written [ADDRESS]:PORT");
    t.host = rest;  // a bare IPv6 literal: no port
  } else {
    size_t colon = rest.find(':');
    t.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) throw bad("the port is empty");
    }
  }
  if (t.host.empty()) throw bad("the host is empty");
  if (t.host.find_first_of(" \t\r\n/@") != std::string::npos) throw bad("not a host name");
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) throw bad("the port is not a number");
    t.port = std::stoi(port);
    if (t.port < 1 || t.port > 65535) throw bad("the port must be 1..65535");
  }
  return t;
}

TcpConnection connect_tcp(const Target& target, const Deadline& deadline) {
  TcpConnection conn;
  std::string why;
  std::vector<SocketAddress> addresses = resolve(target, deadline, why);
  if (addresses.empty()) {
    conn.failure = TRUSTBUNDLE_FAILURE_DNS;
    conn.message = why;
    return conn;
  }
  // Like browsers: each address in the resolver's order until one answers.
  for (const SocketAddress& a : addresses) {
    if (deadline.remaining_ms() == 0) {
      conn.failure = TRUSTBUNDLE_FAILURE_TIMEOUT;
      conn.message = "connecting to " + format_endpoint(target.host, target.port) + " timed out";
      break;
    }
    conn.socket = connect_one(a, deadline, conn);
    if (conn.socket != kNoSocket) {
      conn.failure = TRUSTBUNDLE_FAILURE_NONE;
      conn.message.clear();
      break;
    }
  }
  return conn;
}

}  // namespace trustbundle
