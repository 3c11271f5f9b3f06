// The socket layer on POSIX (Linux, macOS, the BSDs): the calls the doctor
// made directly before the layer existed, unchanged.
#if !defined(_WIN32)

#include "doctor/platform_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trustbundle {
namespace {

static_assert(sizeof(sockaddr_storage) <= sizeof(SocketAddress::raw), "SocketAddress::raw holds a sockaddr_storage");

// macOS has neither SOCK_NONBLOCK nor SOCK_CLOEXEC nor MSG_NOSIGNAL: set
// the flags afterwards and turn SIGPIPE off on the socket instead.
int open_stream_socket(int family) {
#if defined(SOCK_NONBLOCK) && defined(SOCK_CLOEXEC)
  return ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
  int fd = ::socket(family, SOCK_STREAM, 0);
  if (fd < 0) return fd;
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
    int err = errno;
    ::close(fd);
    errno = err;
    return -1;
  }
#if defined(SO_NOSIGPIPE)
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#endif
  return fd;
#endif
}

#if defined(MSG_NOSIGNAL)
constexpr int kSendFlags = MSG_NOSIGNAL;
#else
constexpr int kSendFlags = 0;  // SO_NOSIGPIPE, set when the socket was made
#endif

}  // namespace

SocketFault socket_fault(int code) {
  if (code == EINTR) return SocketFault::interrupted;
  if (code == EAGAIN || code == EWOULDBLOCK) return SocketFault::would_block;
  if (code == ECONNREFUSED) return SocketFault::refused;
  if (code == ETIMEDOUT) return SocketFault::timed_out;
  return SocketFault::other;
}

std::string socket_error_text(int code) { return std::strerror(code); }

bool socket_is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

int socket_resolve(const std::string& host, const std::string& port, bool numeric_only,
                   std::vector<SocketAddress>& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = numeric_only ? AI_NUMERICHOST : 0;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list);
  for (addrinfo* ai = list; rc == 0 && ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SocketAddress a;
    std::memcpy(a.raw, ai->ai_addr, ai->ai_addrlen);
    a.length = static_cast<unsigned>(ai->ai_addrlen);
    char buf[INET6_ADDRSTRLEN] = {0};
    if (ai->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
      a.port = ntohs(in->sin_port);
    } else if (ai->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
      a.port = ntohs(in6->sin6_port);
    }
    a.ip = buf;
    out.push_back(a);
  }
  if (list != nullptr) ::freeaddrinfo(list);
  return rc;
}

std::string resolve_error_text(int code) { return ::gai_strerror(code); }

SocketConnect socket_connect(const SocketAddress& address, int timeout_ms) {
  SocketConnect out;
  const auto* sa = reinterpret_cast<const sockaddr*>(address.raw);
  int fd = open_stream_socket(sa->sa_family);
  if (fd < 0) {
    out.result = SocketConnect::cannot_create;
    out.error = errno;
    return out;
  }
  int err = 0;
  if (::connect(fd, sa, static_cast<socklen_t>(address.length)) != 0) {
    err = errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int ready = ::poll(&p, 1, timeout_ms);
      if (ready == 0) {
        ::close(fd);
        out.result = SocketConnect::timed_out;
        return out;
      }
      socklen_t len = sizeof err;
      if (ready < 0) err = errno;
      else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    }
  }
  if (err != 0) {
    ::close(fd);
    out.result = SocketConnect::failed;
    out.error = err;
    return out;
  }
  out.result = SocketConnect::connected;
  out.socket = fd;
  return out;
}

int socket_wait(SocketHandle socket, SocketWait what, int timeout_ms, int* error) {
  pollfd p{socket, static_cast<short>(what == SocketWait::writable ? POLLOUT : POLLIN), 0};
  int ready = ::poll(&p, 1, timeout_ms);
  if (ready < 0) *error = errno;
  return ready;
}

std::ptrdiff_t socket_send(SocketHandle socket, const char* data, std::size_t len, int* error) {
  ssize_t n = ::send(socket, data, len, kSendFlags);
  if (n < 0) *error = errno;
  return n;
}

std::ptrdiff_t socket_recv(SocketHandle socket, char* out, std::size_t len, int* error) {
  ssize_t n = ::recv(socket, out, len, 0);
  if (n < 0) *error = errno;
  return n;
}

std::ptrdiff_t socket_recv_now(SocketHandle socket, char* out, std::size_t len, int* error) {
  ssize_t n = ::recv(socket, out, len, MSG_DONTWAIT);
  if (n < 0) *error = errno;
  return n;
}

void socket_close(SocketHandle socket) { ::close(socket); }

}  // namespace trustbundle

#endif  // !defined(_WIN32)
