#include "doctor/tls_probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/cert_info.h"
#include "verify/cert_source.h"
#include "base/errors.h"
#include "doctor/platform_socket.h"
#include "doctor/socket_bio.h"
#include "verify/verify_hints.h"

namespace trustbundle {
namespace {

struct SslCtxFree { void operator()(SSL_CTX* p) const { SSL_CTX_free(p); } };
struct SslFree { void operator()(SSL* p) const { SSL_free(p); } };

// How long to listen after a TLS 1.3 handshake that asked for a client
// certificate: the server judges it only after its Finished, so its refusal
// arrives as an alert just after the handshake "succeeded". A session
// ticket says it accepted (servers send them only after the client's
// Finished), so most servers answer long before this.
constexpr int kSettleMs = 1000;

// What the message callback sees of the conversation.
struct Observed {
  bool cert_request = false;
  bool session_ticket = false;
  int alert_received = -1;
};

void on_message(int write_p, int, int content_type, const void* buf, size_t len, SSL*, void* arg) {
  auto* seen = static_cast<Observed*>(arg);
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (write_p != 0 || len < 1) return;
  if (content_type == SSL3_RT_ALERT && len >= 2 && bytes[1] != SSL3_AD_CLOSE_NOTIFY && seen->alert_received < 0)
    seen->alert_received = bytes[1];
  if (content_type == SSL3_RT_HANDSHAKE && bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) seen->cert_request = true;
  if (content_type == SSL3_RT_HANDSHAKE && bytes[0] == SSL3_MT_NEWSESSION_TICKET) seen->session_ticket = true;
}

// Waits for the socket to be ready for what OpenSSL asked; false on timeout.
bool wait_ready(SocketHandle socket, int ssl_error, const Deadline& deadline) {
  SocketWait what = ssl_error == SSL_ERROR_WANT_WRITE ? SocketWait::writable : SocketWait::readable;
  for (;;) {
    int ms = deadline.remaining_ms();
    if (ms == 0) return false;
    int err = 0;
    int ready = socket_wait(socket, what, ms, &err);
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (socket_fault(err) != SocketFault::interrupted) return true;  // let OpenSSL meet the error itself
  }
}

bool looks_like_http(const std::string& bytes) { return bytes.rfind("HTTP/", 0) == 0; }

// TLS records start with a content type 20..24 (change_cipher_spec .. heartbeat).
bool looks_like_tls(const std::string& bytes) {
  if (bytes.empty()) return true;
  auto type = static_cast<unsigned char>(bytes[0]);
  return type >= 20 && type <= 24;
}

// The first line of a non-TLS answer, printable, for the message.
std::string first_line(const std::string& bytes) {
  std::string line;
  for (char c : bytes) {
    if (c == '\r' || c == '\n') break;
    line.push_back(c >= 0x20 && c < 0x7f ? c : '.');
  }
  return line;
}

bool client_cert_alert(int alert) {
  switch (alert) {
    case SSL3_AD_HANDSHAKE_FAILURE:
    case SSL3_AD_BAD_CERTIFICATE:
    case SSL3_AD_UNSUPPORTED_CERTIFICATE:
    case SSL3_AD_CERTIFICATE_REVOKED:
    case SSL3_AD_CERTIFICATE_EXPIRED:
    case SSL3_AD_CERTIFICATE_UNKNOWN:
    case TLS1_AD_UNKNOWN_CA:
    case TLS1_AD_ACCESS_DENIED:
    case TLS1_AD_DECRYPT_ERROR:
    case TLS13_AD_CERTIFICATE_REQUIRED:
      return true;
    default:
      return false;
  }
}

// OpenSSL stops at the first record header (5 bytes); read what else the
// peer sent at once, so a message can quote its whole first line.
void top_up(SocketHandle socket, SocketTap& tap, const Deadline& deadline) {
  Deadline brief(std::min(200, deadline.remaining_ms()));
  char buf[64];
  while (tap.first_bytes.size() < sizeof buf && tap.first_bytes.find('\n') == std::string::npos) {
    int err = 0;
    if (socket_wait(socket, SocketWait::readable, brief.remaining_ms(), &err) <= 0) break;
    std::ptrdiff_t n = socket_recv_now(socket, buf, sizeof buf - tap.first_bytes.size(), &err);
    if (n <= 0) break;
    tap.first_bytes.append(buf, static_cast<size_t>(n));
  }
}

std::string seconds_text(int ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000 != 0) s += "." + std::to_string(ms % 1000 / 100);
  return s + " s";
}

std::unique_ptr<SSL_CTX, SslCtxFree> make_context() {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot create a TLS context");
  // Observe everything a server may present, old protocols and weak keys
  // included: the verification policy judges it afterwards, not OpenSSL now.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  return ctx;
}

void offer_identity(SSL* ssl, const ClientIdentity& id) {
  if (SSL_use_certificate(ssl, id.cert.get()) != 1 || SSL_use_PrivateKey(ssl, id.key.get()) != 1)
    throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot load the client certificate into the TLS connection");
  for (const X509Ptr& c : id.chain)
    if (SSL_add1_chain_cert(ssl, c.get()) != 1) throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot load the client chain");
}

void record_session(SSL* ssl, TlsCapture& out) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);  // client side: the server's own first, as sent
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    // OpenSSL can accept off the wire what it cannot write back in a form it
    // reads again; such a certificate ends the captured chain (and says so).
    std::string der;
    try {
      der = der_of(sk_X509_value(chain, i));
      parse_der_certificate(der, "served certificate");
    } catch (const Error&) {
      out.unreadable_cert = i;
      break;
    }
    out.chain_der.push_back(der);
  }
  const STACK_OF(X509_NAME)* cas = SSL_get0_peer_CA_list(ssl);
  for (int i = 0; cas != nullptr && i < sk_X509_NAME_num(cas); ++i)
    out.acceptable_cas.push_back(display_name(sk_X509_NAME_value(cas, i)));
}

// Why a handshake did not complete, from what was seen on the wire.
void classify_failure(const SocketTap& tap, const Observed& seen, bool timed_out, unsigned long ssl_err,
                      int timeout_ms, TlsCapture& out) {
  if (looks_like_http(tap.first_bytes)) {
    out.failure = TRUSTBUNDLE_FAILURE_PLAIN_HTTP;
    out.message = "the port answered in plain HTTP (\"" + first_line(tap.first_bytes) + "\"), not TLS";
  } else if (!looks_like_tls(tap.first_bytes)) {
    out.failure = TRUSTBUNDLE_FAILURE_NOT_TLS;
    out.message = "the port answered in another protocol (\"" + first_line(tap.first_bytes) + "\"), not TLS";
  } else if (timed_out) {
    out.failure = TRUSTBUNDLE_FAILURE_TIMEOUT;
    out.message = tap.bytes_read == 0
                      ? "the TCP connection opened, but the server did not answer the TLS handshake within " +
                            seconds_text(timeout_ms)
                      : "the TLS handshake did not complete within " + seconds_text(timeout_ms);
  } else if (seen.alert_received >= 0) {
    bool mtls = seen.cert_request && client_cert_alert(seen.alert_received);
    out.failure = mtls ? TRUSTBUNDLE_FAILURE_CLIENT_CERT : TRUSTBUNDLE_FAILURE_HANDSHAKE_ALERT;
    out.message = "the server ended the handshake with alert " + alert_name(seen.alert_received) + " (" +
                  std::to_string(seen.alert_received) + ")";
  } else if (tap.read_error != 0) {
    out.failure = TRUSTBUNDLE_FAILURE_NETWORK;
    out.message = "the connection broke during the TLS handshake: " + socket_error_text(tap.read_error);
  } else if (tap.eof) {
    out.failure = TRUSTBUNDLE_FAILURE_HANDSHAKE;
    out.message = tap.bytes_read == 0 ? "the server closed the connection without answering the TLS handshake"
                                      : "the server closed the connection during the TLS handshake, without an alert";
  } else {
    char buf[256] = {0};
    ERR_error_string_n(ssl_err, buf, sizeof buf);
    const char* reason = ERR_reason_error_string(ssl_err);
    out.failure = TRUSTBUNDLE_FAILURE_HANDSHAKE;
    out.message = std::string("the TLS handshake failed: ") + (reason != nullptr ? reason : buf);
  }
}

}  // namespace

std::string alert_name(int code) {
  switch (code) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return "alert " + std::to_string(code);
  }
}

TlsCapture tls_handshake(SocketHandle socket, const TlsRequest& request, const Deadline& deadline) {
  const int timeout_ms = deadline.remaining_ms();
  SocketTap tap;  // before the SSL: its BIO and callback point here until it is freed
  Observed seen;
  auto ctx = make_context();
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl) throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot create a TLS connection");
  BIO* bio = new_socket_bio(socket, &tap);
  SSL_set_bio(ssl.get(), bio, bio);  // one reference for both directions
  SSL_set_msg_callback(ssl.get(), on_message);
  SSL_set_msg_callback_arg(ssl.get(), &seen);
  if (!request.sni.empty() && SSL_set_tlsext_host_name(ssl.get(), request.sni.c_str()) != 1)
    throw invalid_argument("servername '" + request.sni + "' cannot be sent as SNI");
  if (request.client != nullptr) offer_identity(ssl.get(), *request.client);
  SSL_set_connect_state(ssl.get());

  TlsCapture out;
  bool timed_out = false;
  unsigned long ssl_err = 0;
  int rc = 0;
  for (;;) {
    ERR_clear_error();
    rc = SSL_do_handshake(ssl.get());
    if (rc == 1) break;
    int e = SSL_get_error(ssl.get(), rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      if (wait_ready(socket, e, deadline)) continue;
      timed_out = true;
    }
    ssl_err = ERR_peek_last_error();
    break;
  }

  if (rc == 1 && seen.cert_request && SSL_version(ssl.get()) == TLS1_3_VERSION) {
    Deadline settle(std::min(kSettleMs, deadline.remaining_ms()));
    char buf[512];
    for (;;) {
      int n = SSL_read(ssl.get(), buf, sizeof buf);
      // A ticket, or application data: the server accepted; an alert: it did not.
      if (n > 0 || seen.session_ticket || seen.alert_received >= 0) break;
      int e = SSL_get_error(ssl.get(), n);
      if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) && wait_ready(socket, e, settle)) continue;
      break;
    }
  }
  ERR_clear_error();

  record_session(ssl.get(), out);
  out.cert_requested = seen.cert_request;
  out.cert_offered = seen.cert_request && request.client != nullptr;
  out.alert = seen.alert_received;
  if (rc == 1) {
    out.protocol = SSL_get_version(ssl.get());
    out.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl.get()));
    if (seen.alert_received >= 0 && seen.cert_request) {
      out.failure = TRUSTBUNDLE_FAILURE_CLIENT_CERT;
      out.message = "the server ended the connection with alert " + alert_name(seen.alert_received) + " (" +
                    std::to_string(seen.alert_received) + ") right after the handshake";
    }
    if (out.failure == TRUSTBUNDLE_FAILURE_NONE) SSL_shutdown(ssl.get());  // best effort: a polite close_notify
  } else {
    if (!tap.first_bytes.empty() && (looks_like_http(tap.first_bytes) || !looks_like_tls(tap.first_bytes)))
      top_up(socket, tap, deadline);
    classify_failure(tap, seen, timed_out, ssl_err, request.timeout_ms > 0 ? request.timeout_ms : timeout_ms, out);
  }
  ERR_clear_error();
  return out;
}

}  // namespace trustbundle
