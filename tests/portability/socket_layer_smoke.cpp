// Drives the doctor's socket layer (core/src/doctor/platform_socket.h)
// against a listener on 127.0.0.1 made in this process. Built natively it
// checks the POSIX layer; built with MinGW-w64 and run under wine, the
// Winsock one. Prints one line per check; exit 0 when all pass.
#include "doctor/platform_socket.h"

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include <cstdio>
#include <string>
#include <vector>

using namespace trustbundle;

namespace {

int passed = 0;
int failed = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  (ok ? passed : failed)++;
}

// The layer is client-only, so the server side is plain OS calls.
struct Listener {
  SocketHandle socket = kNoSocket;
  int port = 0;
};

Listener listen_on_loopback() {
  Listener l;
  l.socket = static_cast<SocketHandle>(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (l.socket == kNoSocket || ::bind(l.socket, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(l.socket, 4) != 0 || ::getsockname(l.socket, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return Listener{};
  l.port = ntohs(a.sin_port);
  return l;
}

std::vector<SocketAddress> loopback(int port) {
  std::vector<SocketAddress> found;
  int rc = socket_resolve("127.0.0.1", std::to_string(port), true, found);
  check(rc == 0 && found.size() == 1, "resolve 127.0.0.1 (numeric): one address");
  return found;
}

void exchange(const SocketAddress& address, const Listener& listener) {
  SocketConnect c = socket_connect(address, 5000);
  check(c.result == SocketConnect::connected, "connect to 127.0.0.1:" + std::to_string(listener.port));
  if (c.result != SocketConnect::connected) return;
  auto server = static_cast<SocketHandle>(::accept(listener.socket, nullptr, nullptr));
  check(server != kNoSocket, "the listener accepts");

  char buf[16];
  int err = 0;
  check(socket_recv_now(c.socket, buf, sizeof buf, &err) < 0 && socket_fault(err) == SocketFault::would_block,
        "recv_now with nothing sent: would block");
  check(socket_wait(c.socket, SocketWait::writable, 1000, &err) > 0, "wait writable");
  check(socket_send(c.socket, "hello", 5, &err) == 5, "send 5 bytes");
  check(socket_recv(server, buf, sizeof buf, &err) == 5 && std::string(buf, 5) == "hello", "the server reads them");
  check(::send(server, "world", 5, 0) == 5, "the server answers");
  check(socket_wait(c.socket, SocketWait::readable, 5000, &err) > 0, "wait readable");
  check(socket_recv(c.socket, buf, sizeof buf, &err) == 5 && std::string(buf, 5) == "world", "recv the answer");
  check(socket_wait(c.socket, SocketWait::readable, 50, &err) == 0, "wait readable again: times out");
  socket_close(server);
  check(socket_wait(c.socket, SocketWait::readable, 5000, &err) > 0 && socket_recv_now(c.socket, buf, sizeof buf, &err) == 0,
        "the server closes: end of stream");
  socket_close(c.socket);
}

void refused() {
  Listener gone = listen_on_loopback();  // a port that was just free, now closed again
  socket_close(gone.socket);
  std::vector<SocketAddress> found = loopback(gone.port);
  if (found.empty()) return;
  SocketConnect c = socket_connect(found[0], 5000);
  check(c.result == SocketConnect::failed && socket_fault(c.error) == SocketFault::refused,
        "connect to a closed port: refused (" + socket_error_text(c.error) + ")");
  if (c.result == SocketConnect::connected) socket_close(c.socket);
}

}  // namespace

int main() {
#if defined(_WIN32)
  WSADATA data;
  WSAStartup(MAKEWORD(2, 2), &data);  // for the listener's raw calls; the layer starts Winsock itself
#endif
  check(socket_is_ip_literal("127.0.0.1") && socket_is_ip_literal("::1") && !socket_is_ip_literal("localhost"),
        "IP literals told from names");
  std::vector<SocketAddress> none;
  int rc = socket_resolve("not-an-address", "443", true, none);
  check(rc != 0 && none.empty() && !resolve_error_text(rc).empty(),
        "numeric resolve of a name fails (" + (rc != 0 ? resolve_error_text(rc) : std::string("no error")) + ")");

  Listener listener = listen_on_loopback();
  check(listener.socket != kNoSocket, "listen on 127.0.0.1");
  if (listener.socket != kNoSocket) {
    std::vector<SocketAddress> found = loopback(listener.port);
    if (!found.empty()) {
      check(found[0].ip == "127.0.0.1" && found[0].port == listener.port, "the address as text: " + found[0].ip);
      exchange(found[0], listener);
    }
    socket_close(listener.socket);
  }
  refused();
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
