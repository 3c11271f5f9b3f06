// The socket layer on Windows, written to the Winsock 2 API. Compiled here
// with MinGW-w64 (CTest portability.winsock_*), never run on Windows.
#if defined(_WIN32)

// Before any Windows header: no min/max macros (other doctor files call
// std::min after this one when a build includes them all in one unit).
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif

#include "doctor/platform_socket.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <climits>
#include <cstring>
#include <type_traits>

#if defined(_MSC_VER)
#pragma comment(lib, "ws2_32.lib")
#endif

#if _WIN32_WINNT < 0x0600
#error "the doctor's sockets need Windows Vista or later (WSAPoll, inet_pton): define _WIN32_WINNT >= 0x0600"
#endif

namespace trustbundle {
namespace {

static_assert(std::is_same<SOCKET, SocketHandle>::value, "SocketHandle is SOCKET");
static_assert(INVALID_SOCKET == kNoSocket, "kNoSocket is INVALID_SOCKET");
static_assert(sizeof(sockaddr_storage) <= sizeof(SocketAddress::raw), "SocketAddress::raw holds a SOCKADDR_STORAGE");

// Winsock must be started before its first call. Once per process, never
// cleaned up: a library cannot know when its host is done with sockets.
int winsock_started() {
  static const int rc = [] {
    WSADATA data;
    return WSAStartup(MAKEWORD(2, 2), &data);
  }();
  return rc;
}

// Winsock reports errors through WSAGetLastError(), not errno.
int last_error() { return WSAGetLastError(); }

int clamp_int(std::size_t len) { return len > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(len); }

std::wstring widen(const std::string& utf8) {
  if (utf8.empty()) return std::wstring();
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) return std::wstring();
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), &out[0], n);
  return out;
}

void describe(const sockaddr* sa, SocketAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    a.port = ntohs(in->sin_port);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    a.port = ntohs(in6->sin6_port);
  }
  a.ip = buf;
}

// Waits for a connect in progress. select, not WSAPoll: before Windows 10
// 2004, WSAPoll never reported a refused connect (it waited out the
// timeout); select's except set does. 0 connected, else the error code.
int finish_connect(SOCKET s, int timeout_ms, bool* timed_out) {
  fd_set writable;
  fd_set failed;
  FD_ZERO(&writable);
  FD_ZERO(&failed);
  FD_SET(s, &writable);
  FD_SET(s, &failed);
  timeval tv;
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  int ready = select(0, nullptr, &writable, &failed, &tv);  // the first argument is ignored
  if (ready == 0) {
    *timed_out = true;
    return 0;
  }
  if (ready == SOCKET_ERROR) return last_error();
  int err = 0;
  int len = sizeof err;
  if (getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) != 0) return last_error();
  if (err == 0 && FD_ISSET(s, &failed)) err = WSAECONNREFUSED;  // failed, though SO_ERROR says nothing
  return err;
}

}  // namespace

SocketFault socket_fault(int code) {
  switch (code) {
    case WSAEINTR: return SocketFault::interrupted;
    case WSAEWOULDBLOCK: return SocketFault::would_block;
    case WSAECONNREFUSED: return SocketFault::refused;
    case WSAETIMEDOUT: return SocketFault::timed_out;
    default: return SocketFault::other;
  }
}

// The system's sentence for a Winsock code, as strerror gives one on POSIX:
// one line, without the trailing period and CR LF FormatMessage adds.
std::string socket_error_text(int code) {
  char buf[512] = {0};
  DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                           static_cast<DWORD>(code), 0, buf, sizeof buf, nullptr);
  std::string text(buf, n);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ' || text.back() == '.'))
    text.pop_back();
  if (text.empty()) text = "Winsock error " + std::to_string(code);
  return text;
}

bool socket_is_ip_literal(const std::string& host) {
  winsock_started();
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// GetAddrInfoW: the host is UTF-8, which the ANSI getaddrinfo would read in
// the local code page. Its error codes are Winsock codes.
int socket_resolve(const std::string& host, const std::string& port, bool numeric_only,
                   std::vector<SocketAddress>& out) {
  if (int rc = winsock_started()) return rc;
  ADDRINFOW hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = numeric_only ? AI_NUMERICHOST : 0;
  ADDRINFOW* list = nullptr;
  std::wstring whost = widen(host);
  std::wstring wport = widen(port);
  int rc = GetAddrInfoW(whost.c_str(), wport.c_str(), &hints, &list);
  for (ADDRINFOW* ai = list; rc == 0 && ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
    SocketAddress a;
    std::memcpy(a.raw, ai->ai_addr, ai->ai_addrlen);
    a.length = static_cast<unsigned>(ai->ai_addrlen);
    describe(ai->ai_addr, a);
    out.push_back(a);
  }
  if (list != nullptr) FreeAddrInfoW(list);
  return rc;
}

std::string resolve_error_text(int code) { return socket_error_text(code); }

SocketConnect socket_connect(const SocketAddress& address, int timeout_ms) {
  SocketConnect out;
  if (int rc = winsock_started()) {
    out.result = SocketConnect::cannot_create;
    out.error = rc;
    return out;
  }
  const auto* sa = reinterpret_cast<const sockaddr*>(address.raw);
  // Not inherited by child processes, as SOCK_CLOEXEC on POSIX.
  SOCKET s = WSASocketW(sa->sa_family, SOCK_STREAM, IPPROTO_TCP, nullptr, 0,
                        WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  u_long non_blocking = 1;
  if (s == INVALID_SOCKET || ioctlsocket(s, FIONBIO, &non_blocking) != 0) {
    out.result = SocketConnect::cannot_create;
    out.error = last_error();
    if (s != INVALID_SOCKET) closesocket(s);
    return out;
  }
  int err = 0;
  if (connect(s, sa, static_cast<int>(address.length)) == SOCKET_ERROR) {
    err = last_error();
    // A non-blocking connect says WSAEWOULDBLOCK where POSIX says EINPROGRESS.
    if (err == WSAEWOULDBLOCK || err == WSAEINPROGRESS) {
      bool timed_out = false;
      err = finish_connect(s, timeout_ms, &timed_out);
      if (timed_out) {
        closesocket(s);
        out.result = SocketConnect::timed_out;
        return out;
      }
    }
  }
  if (err != 0) {
    closesocket(s);
    out.result = SocketConnect::failed;
    out.error = err;
    return out;
  }
  out.result = SocketConnect::connected;
  out.socket = s;
  return out;
}

int socket_wait(SocketHandle socket, SocketWait what, int timeout_ms, int* error) {
  WSAPOLLFD p{};
  p.fd = socket;
  p.events = what == SocketWait::writable ? POLLWRNORM : POLLRDNORM;
  int ready = WSAPoll(&p, 1, timeout_ms);
  if (ready == SOCKET_ERROR) {
    *error = last_error();
    return -1;
  }
  return ready;
}

// Windows has no SIGPIPE: a plain send is already safe for the host process.
std::ptrdiff_t socket_send(SocketHandle socket, const char* data, std::size_t len, int* error) {
  int n = send(socket, data, clamp_int(len), 0);
  if (n == SOCKET_ERROR) {
    *error = last_error();
    return -1;
  }
  return n;
}

std::ptrdiff_t socket_recv(SocketHandle socket, char* out, std::size_t len, int* error) {
  int n = recv(socket, out, clamp_int(len), 0);
  if (n == SOCKET_ERROR) {
    *error = last_error();
    return -1;
  }
  return n;
}

// Winsock has no MSG_DONTWAIT: ask first whether a recv would return at once
// (data, end of stream or an error), so a blocking socket cannot hang here.
std::ptrdiff_t socket_recv_now(SocketHandle socket, char* out, std::size_t len, int* error) {
  int ready = socket_wait(socket, SocketWait::readable, 0, error);
  if (ready < 0) return -1;
  if (ready == 0) {
    *error = WSAEWOULDBLOCK;
    return -1;
  }
  return socket_recv(socket, out, len, error);
}

void socket_close(SocketHandle socket) { closesocket(socket); }

}  // namespace trustbundle

#endif  // defined(_WIN32)
