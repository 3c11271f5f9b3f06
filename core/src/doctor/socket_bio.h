// An OpenSSL BIO over a non-blocking socket that never raises SIGPIPE
// (socket_send: a library must not kill its host process when a server
// hangs up) and keeps a tap on what came back, so a probe can tell
// plain HTTP or another protocol from TLS.
#pragma once

#include <openssl/bio.h>

#include <cstddef>
#include <string>

#include "doctor/platform_socket.h"

namespace trustbundle {

struct SocketTap {
  std::string first_bytes;   // the first bytes the peer sent (at most 64)
  size_t bytes_read = 0;
  bool eof = false;          // the peer closed its side
  int read_error = 0;        // the first read error (ECONNRESET, WSAECONNRESET ...), 0 if none
};

// A BIO that reads and writes socket (borrowed: the caller closes it after
// the BIO is freed) and records into *tap (borrowed: must outlive the BIO).
// Throws Error(INTERNAL) on allocation failure.
BIO* new_socket_bio(SocketHandle socket, SocketTap* tap);

}  // namespace trustbundle
