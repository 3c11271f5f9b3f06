// An OpenSSL BIO over a non-blocking socket that never raises SIGPIPE
// (send with MSG_NOSIGNAL: a library must not kill its host process when a
// server hangs up) and keeps a tap on what came back, so a probe can tell
// plain HTTP or another protocol from TLS.
#pragma once

#include <openssl/bio.h>

#include <cstddef>
#include <string>

namespace trustbundle {

struct SocketTap {
  std::string first_bytes;   // the first bytes the peer sent (at most 64)
  size_t bytes_read = 0;
  bool eof = false;          // the peer closed its side
  int read_errno = 0;        // the first read error (ECONNRESET ...), 0 if none
};

// A BIO that reads and writes fd (borrowed: the caller closes it after the
// BIO is freed) and records into *tap (borrowed: must outlive the BIO).
// Throws Error(INTERNAL) on allocation failure.
BIO* new_socket_bio(int fd, SocketTap* tap);

}  // namespace trustbundle
