#include "doctor/net_connect.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/errors.h"

namespace trustbundle {
namespace {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

std::string address_text(const Address& a) {
  char buf[INET6_ADDRSTRLEN] = {0};
  int port = 0;
  if (a.storage.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&a.storage);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    port = ntohs(in->sin_port);
  } else if (a.storage.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&a.storage);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    port = ntohs(in6->sin6_port);
  }
  return format_endpoint(buf, port);
}

// getaddrinfo cannot be cancelled, so it runs on a detached thread that
// owns its state; the caller waits only as long as the deadline allows.
struct Lookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  int rc = 0;
  std::vector<Address> addresses;
};

void run_lookup(const std::shared_ptr<Lookup>& lookup, const std::string& host, const std::string& port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list);
  std::vector<Address> found;
  for (addrinfo* ai = list; rc == 0 && ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Address a;
    std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
    a.length = ai->ai_addrlen;
    found.push_back(a);
  }
  if (list != nullptr) ::freeaddrinfo(list);
  std::lock_guard<std::mutex> lock(lookup->mutex);
  lookup->rc = rc;
  lookup->addresses = std::move(found);
  lookup->done = true;
  lookup->done_cv.notify_all();
}

bool is_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Resolves or explains why not in `why` (addresses empty).
std::vector<Address> resolve(const Target& target, const Deadline& deadline, std::string& why) {
  auto lookup = std::make_shared<Lookup>();
  const std::string port = std::to_string(target.port);
  if (is_literal(target.host)) {
    run_lookup(lookup, target.host, port, AI_NUMERICHOST);  // no resolver involved
  } else {
    std::thread(run_lookup, lookup, target.host, port, 0).detach();
    std::unique_lock<std::mutex> lock(lookup->mutex);
    if (!lookup->done_cv.wait_for(lock, std::chrono::milliseconds(deadline.remaining_ms()), [&] { return lookup->done; })) {
      why = "DNS lookup of '" + target.host + "' did not answer in time";
      return {};
    }
  }
  std::lock_guard<std::mutex> lock(lookup->mutex);
  if (lookup->rc != 0) {
    why = "DNS lookup of '" + target.host + "' failed: " + ::gai_strerror(lookup->rc);
    return {};
  }
  if (lookup->addresses.empty()) why = "DNS lookup of '" + target.host + "' gave no address";
  return lookup->addresses;
}

int failure_of_errno(int err) {
  switch (err) {
    case ECONNREFUSED: return TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED;
    case ETIMEDOUT: return TRUSTBUNDLE_FAILURE_TIMEOUT;
    default: return TRUSTBUNDLE_FAILURE_NETWORK;
  }
}

std::string errno_sentence(int err, const std::string& where) {
  switch (err) {
    case ECONNREFUSED: return "connection refused by " + where + ": nothing listens on that port";
    case ETIMEDOUT: return "connecting to " + where + " timed out";
    default: return "cannot connect to " + where + ": " + std::strerror(err);
  }
}

// One address: the connected fd, or -1 with conn.failure and conn.message set.
int connect_one(const Address& a, const Deadline& deadline, TcpConnection& conn) {
  conn.address = address_text(a);
  int fd = ::socket(a.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    conn.failure = TRUSTBUNDLE_FAILURE_NETWORK;
    conn.message = std::string("cannot create a socket: ") + std::strerror(errno);
    return -1;
  }
  int err = 0;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&a.storage), a.length) != 0) {
    err = errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int ready = ::poll(&p, 1, deadline.remaining_ms());
      if (ready == 0) {
        ::close(fd);
        conn.failure = TRUSTBUNDLE_FAILURE_TIMEOUT;
        conn.message = "connecting to " + conn.address + " timed out (no answer to the TCP handshake)";
        return -1;
      }
      socklen_t len = sizeof err;
      if (ready < 0) err = errno;
      else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    }
  }
  if (err != 0) {
    ::close(fd);
    conn.failure = failure_of_errno(err);
    conn.message = errno_sentence(err, conn.address);
    return -1;
  }
  return fd;
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
    if (!is_literal(rest)) throw bad("not HOST:PORT; an IPv6 address with a port is written [ADDRESS]:PORT");
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
  std::vector<Address> addresses = resolve(target, deadline, why);
  if (addresses.empty()) {
    conn.failure = TRUSTBUNDLE_FAILURE_DNS;
    conn.message = why;
    return conn;
  }
  // Like browsers: each address in the resolver's order until one answers.
  for (const Address& a : addresses) {
    if (deadline.remaining_ms() == 0) {
      conn.failure = TRUSTBUNDLE_FAILURE_TIMEOUT;
      conn.message = "connecting to " + format_endpoint(target.host, target.port) + " timed out";
      break;
    }
    conn.fd = connect_one(a, deadline, conn);
    if (conn.fd >= 0) {
      conn.failure = TRUSTBUNDLE_FAILURE_NONE;
      conn.message.clear();
      break;
    }
  }
  return conn;
}

}  // namespace trustbundle
