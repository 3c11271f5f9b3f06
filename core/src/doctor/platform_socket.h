// The doctor's only contact with the operating system's sockets: what the
// probe needs and no more. platform_socket_posix.cpp implements it on
// POSIX (the build and tests run here), platform_socket_winsock.cpp on
// Windows with the Winsock API. Each file compiles to nothing on the other
// platform, so a build may list both (the Go binding includes every file).
//
// No system header here: the other doctor files stay free of <sys/socket.h>
// and <winsock2.h> (and the latter's macros).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace trustbundle {

#if defined(_WIN32)
using SocketHandle = std::uintptr_t;              // a Winsock SOCKET
constexpr SocketHandle kNoSocket = ~SocketHandle{0};  // INVALID_SOCKET
#else
using SocketHandle = int;                         // a file descriptor
constexpr SocketHandle kNoSocket = -1;
#endif

// One resolved address: the bytes connect() takes, and the same as text.
struct SocketAddress {
  alignas(8) unsigned char raw[128] = {0};  // a sockaddr_storage
  unsigned length = 0;
  std::string ip;  // "127.0.0.1", "::1" (no brackets); empty for another family
  int port = 0;
};

// What an OS error code (errno, WSAGetLastError()) means to the probe.
enum class SocketFault { interrupted, would_block, refused, timed_out, other };
SocketFault socket_fault(int code);
std::string socket_error_text(int code);  // strerror / FormatMessage, one line

// True when host is an IPv4 or IPv6 address literal (no brackets).
bool socket_is_ip_literal(const std::string& host);

// Blocking getaddrinfo for TCP (numeric_only: no resolver, literals only).
// Returns 0 and fills out, or a resolver code for resolve_error_text.
int socket_resolve(const std::string& host, const std::string& port, bool numeric_only,
                   std::vector<SocketAddress>& out);
std::string resolve_error_text(int code);

// A non-blocking, not inherited TCP connection to address, the handshake
// awaited at most timeout_ms.
struct SocketConnect {
  enum Result { connected, cannot_create, timed_out, failed };
  Result result = failed;
  SocketHandle socket = kNoSocket;  // set only when connected
  int error = 0;                    // the OS code for cannot_create and failed
};
SocketConnect socket_connect(const SocketAddress& address, int timeout_ms);

// Waits until the socket can be read (or written): > 0 ready, 0 timed out,
// < 0 failed with *error set.
enum class SocketWait { readable, writable };
int socket_wait(SocketHandle socket, SocketWait what, int timeout_ms, int* error);

// One send/recv: bytes moved (0 from recv: the peer closed), or -1 with
// *error set. send never raises SIGPIPE. recv_now never blocks, even on a
// blocking socket a caller handed in.
std::ptrdiff_t socket_send(SocketHandle socket, const char* data, std::size_t len, int* error);
std::ptrdiff_t socket_recv(SocketHandle socket, char* out, std::size_t len, int* error);
std::ptrdiff_t socket_recv_now(SocketHandle socket, char* out, std::size_t len, int* error);

void socket_close(SocketHandle socket);

}  // namespace trustbundle
