#include "doctor/socket_bio.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/errors.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {
namespace {

constexpr size_t kTapBytes = 64;

struct State {
  SocketHandle socket;
  SocketTap* tap;
};

bool would_block(int err) {
  SocketFault fault = socket_fault(err);
  return fault == SocketFault::would_block || fault == SocketFault::interrupted;
}

int bio_write(BIO* bio, const char* data, int len) {
  auto* st = static_cast<State*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  int err = 0;
  std::ptrdiff_t n = socket_send(st->socket, data, static_cast<size_t>(len), &err);
  if (n < 0 && would_block(err)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int bio_read(BIO* bio, char* out, int len) {
  auto* st = static_cast<State*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  int err = 0;
  std::ptrdiff_t n = socket_recv(st->socket, out, static_cast<size_t>(len), &err);
  if (n < 0) {
    if (would_block(err)) BIO_set_retry_read(bio);
    else if (st->tap->read_error == 0) st->tap->read_error = err;
    return -1;
  }
  if (n == 0) {
    st->tap->eof = true;
    return 0;
  }
  SocketTap& tap = *st->tap;
  if (tap.first_bytes.size() < kTapBytes)
    tap.first_bytes.append(out, std::min(static_cast<size_t>(n), kTapBytes - tap.first_bytes.size()));
  tap.bytes_read += static_cast<size_t>(n);
  return static_cast<int>(n);
}

int bio_puts(BIO* bio, const char* text) { return bio_write(bio, text, static_cast<int>(std::strlen(text))); }

long bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;  // unbuffered: nothing to flush
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 0);
  return 1;
}

int bio_destroy(BIO* bio) {
  delete static_cast<State*>(BIO_get_data(bio));
  BIO_set_data(bio, nullptr);
  return 1;
}

// One method table per process, made on first use.
BIO_METHOD* method() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "trustbundle probe socket");
    if (made != nullptr) {
      BIO_meth_set_write(made, bio_write);
      BIO_meth_set_read(made, bio_read);
      BIO_meth_set_puts(made, bio_puts);
      BIO_meth_set_ctrl(made, bio_ctrl);
      BIO_meth_set_create(made, bio_create);
      BIO_meth_set_destroy(made, bio_destroy);
    }
    return made;
  }();
  return m;
}

}  // namespace

BIO* new_socket_bio(SocketHandle socket, SocketTap* tap) {
  auto state = std::make_unique<State>(State{socket, tap});
  BIO_METHOD* m = method();
  BIO* bio = m != nullptr ? BIO_new(m) : nullptr;
  if (bio == nullptr) throw Error(TRUSTBUNDLE_E_INTERNAL, "out of memory");
  BIO_set_data(bio, state.release());
  BIO_set_init(bio, 1);
  return bio;
}

}  // namespace trustbundle
