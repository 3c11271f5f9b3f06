// A real TLS handshake on 127.0.0.1: `openssl s_server` presents the
// server-localhost chain of the test PKI; an OpenSSL client in this test
// captures the certificates in the order the server sent them (it does not
// judge them: SSL_VERIFY_NONE), and trustbundle_verify judges the captured
// chain exactly as the vectors say (localhost-dns, localhost-ip).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <thread>

#include "verify_support.h"

namespace {

using Clock = std::chrono::steady_clock;

// A port that was free a moment ago (bind to 0, read it, close).
int pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{5, 0};  // never hang on a stuck server
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// `openssl s_server` on 127.0.0.1; killed (and reaped) by the destructor,
// and by the kernel if this test process dies first (PR_SET_PDEATHSIG).
class TlsServer {
 public:
  // send_chain: also send server-localhost/chain.pem after the leaf.
  explicit TlsServer(bool send_chain) {
    for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) try_start(send_chain);
  }
  ~TlsServer() { stop(); }
  TlsServer(const TlsServer&) = delete;
  TlsServer& operator=(const TlsServer&) = delete;

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  const std::string& why_not() const { return why_; }

 private:
  void try_start(bool send_chain) {
    port_ = pick_free_port();
    if (port_ <= 0) {
      why_ = "no free port";
      return;
    }
    std::vector<std::string> argv{tbv::openssl_cli(), "s_server", "-quiet", "-accept",
                                  "127.0.0.1:" + std::to_string(port_), "-cert", tbv::pki("server-localhost/leaf.pem"),
                                  "-key", tbv::pki("server-localhost/leaf.key"), "-www"};
    if (send_chain) {
      argv.push_back("-cert_chain");
      argv.push_back(tbv::pki("server-localhost/chain.pem"));
    }
    pid_ = tbv::spawn(argv, {}, io_.file("out"), io_.file("err"), /*die_with_parent=*/true);
    // Wait (bounded, ~5 s) until it accepts connections, or has exited.
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        why_ = "openssl s_server exited: " + tbv::read_file(io_.file("err"));
        pid_ = -1;
        return;
      }
      int fd = connect_loopback(port_);
      if (fd >= 0) {
        ::close(fd);  // s_server logs the aborted handshake and accepts the next one
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    why_ = "openssl s_server did not listen on 127.0.0.1:" + std::to_string(port_) + " within 5 s: " +
           tbv::read_file(io_.file("err"));
    stop();
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  tbv::TempDir io_;
  pid_t pid_ = -1;
  int port_ = -1;
  std::string why_;
};

struct SslCtxFree { void operator()(SSL_CTX* p) const { SSL_CTX_free(p); } };
struct SslFree { void operator()(SSL* p) const { SSL_free(p); } };

// Handshakes with SNI "localhost" and returns the peer's certificates as
// DER, in the order the server sent them (leaf first). Throws on failure.
std::vector<std::string> capture_chain(int port) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) throw std::runtime_error("SSL_CTX_new");
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // we capture; trustbundle judges
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  if (!ssl) throw std::runtime_error("SSL_new");
  SSL_set_tlsext_host_name(ssl.get(), "localhost");
  int fd = connect_loopback(port);
  if (fd < 0) throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  SSL_set_fd(ssl.get(), fd);
  int rc = SSL_connect(ssl.get());
  std::vector<std::string> out;
  if (rc == 1) {
    // Client side: the stack holds the peer's own certificate first.
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());
    for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) out.push_back(tbv::der_of(sk_X509_value(chain, i)));
    SSL_shutdown(ssl.get());
  }
  unsigned long err = ERR_get_error();
  ERR_clear_error();
  ::close(fd);
  if (rc != 1) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    throw std::runtime_error(std::string("TLS handshake failed: ") + buf);
  }
  return out;
}

struct Verdict {
  int status = -1;
  bool ok = false;
  std::string reason;
  int depth = -2;
  size_t chain_length = 0;
  std::string hint;
  std::string anchor_der;
};

Verdict verify(const trustbundle_store* store, const std::vector<std::string>& der_chain, const char* host) {
  tbv::PackedChain chain;
  for (const std::string& der : der_chain) chain.add(der);
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = host;  // checked now: server-localhost is valid from the day before the PKI was made
  trustbundle_result* raw = nullptr;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  Verdict v;
  v.status = trustbundle_verify(&raw, store, chain.data(), chain.lengths.data(), chain.lengths.size(), &opts, &err);
  tbv::ResultPtr result(raw);
  if (!result) {
    v.hint = err.message;
    return v;
  }
  v.ok = trustbundle_result_ok(result.get()) == 1;
  v.reason = trustbundle_reason_name(trustbundle_result_reason(result.get()));
  v.depth = trustbundle_result_depth(result.get());
  v.chain_length = trustbundle_result_chain_count(result.get());
  v.hint = trustbundle_result_hint(result.get());
  if (v.chain_length > 0) {
    size_t len = 0;
    const unsigned char* der = trustbundle_result_chain_der(result.get(), v.chain_length - 1, &len);
    v.anchor_der.assign(reinterpret_cast<const char*>(der), len);
  }
  return v;
}

class Handshake : public ::testing::Test {
 protected:
  void SetUp() override {
    TBV_REQUIRE_PKI();
    ASSERT_FALSE(tbv::openssl_cli().empty()) << "the `openssl` command was not found when the build was configured";
    ::signal(SIGPIPE, SIG_IGN);
  }
  // The variable must not leak a CA into the "default store" checks.
  tbv::ScopedEnv no_env_{"TRUSTBUNDLE_EXTRA_CA_CERTS", std::nullopt};
};

TEST_F(Handshake, FullChainVerifiesAsTheVectorsSay) {
  TlsServer server(/*send_chain=*/true);
  ASSERT_TRUE(server.running()) << server.why_not();
  std::vector<std::string> captured = capture_chain(server.port());

  // What was sent, in order: the leaf, then the intermediate.
  std::vector<tbv::X509Ptr> leaf = tbv::read_pem_certs(tbv::pki("server-localhost/leaf.pem"));
  std::vector<tbv::X509Ptr> inter = tbv::read_pem_certs(tbv::pki("server-localhost/chain.pem"));
  ASSERT_EQ(captured.size(), 2u);
  EXPECT_EQ(captured[0], tbv::der_of(leaf.at(0).get()));
  EXPECT_EQ(captured[1], tbv::der_of(inter.at(0).get()));

  tbv::StorePtr extra = tbv::make_store(/*mozilla=*/true, {tbv::pki("root.pem")});
  std::string root_der = tbv::der_of(tbv::read_pem_certs(tbv::pki("root.pem")).at(0).get());
  for (const char* host : {"localhost", "127.0.0.1"}) {
    SCOPED_TRACE(host);
    Verdict v = verify(extra.get(), captured, host);
    ASSERT_EQ(v.status, TRUSTBUNDLE_OK) << v.hint;
    EXPECT_TRUE(v.ok) << v.reason << ": " << v.hint;
    EXPECT_EQ(v.reason, "OK");
    EXPECT_EQ(v.depth, -1);
    EXPECT_EQ(v.chain_length, 3u);
    EXPECT_EQ(v.anchor_der, root_der) << "the chain ends at Test Root CA";
  }

  // The Mozilla roots alone do not know Test Root CA.
  tbv::StorePtr mozilla = tbv::default_store();
  Verdict untrusted = verify(mozilla.get(), captured, "localhost");
  ASSERT_EQ(untrusted.status, TRUSTBUNDLE_OK) << untrusted.hint;
  EXPECT_FALSE(untrusted.ok);
  EXPECT_EQ(untrusted.reason, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  EXPECT_EQ(untrusted.depth, 1);
  EXPECT_NE(untrusted.hint.find("TRUSTBUNDLE_EXTRA_CA_CERTS"), std::string::npos) << untrusted.hint;

  Verdict wrong = verify(extra.get(), captured, "wrong.example.test");
  ASSERT_EQ(wrong.status, TRUSTBUNDLE_OK) << wrong.hint;
  EXPECT_FALSE(wrong.ok);
  EXPECT_EQ(wrong.reason, "HOSTNAME_MISMATCH");
  EXPECT_EQ(wrong.depth, 0);
  EXPECT_NE(wrong.hint.find("wrong.example.test"), std::string::npos) << wrong.hint;
  EXPECT_NE(wrong.hint.find("localhost"), std::string::npos) << wrong.hint;
}

TEST_F(Handshake, LeafOnlyServerIsAMissingIntermediate) {
  TlsServer server(/*send_chain=*/false);
  ASSERT_TRUE(server.running()) << server.why_not();
  std::vector<std::string> captured = capture_chain(server.port());
  ASSERT_EQ(captured.size(), 1u) << "s_server without -cert_chain sends only the leaf";

  tbv::StorePtr extra = tbv::make_store(/*mozilla=*/true, {tbv::pki("root.pem")});
  Verdict v = verify(extra.get(), captured, "localhost");
  ASSERT_EQ(v.status, TRUSTBUNDLE_OK) << v.hint;
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.reason, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  EXPECT_EQ(v.depth, 0);
  EXPECT_NE(v.hint.find("did not send its intermediate"), std::string::npos) << v.hint;
  EXPECT_NE(v.hint.find("Test Intermediate CA"), std::string::npos) << v.hint;
}

// The server is gone once its owner is: nothing keeps listening after a test.
TEST_F(Handshake, ServerIsStoppedWithItsOwner) {
  int port = -1;
  {
    TlsServer server(/*send_chain=*/true);
    ASSERT_TRUE(server.running()) << server.why_not();
    port = server.port();
  }
  int fd = connect_loopback(port);
  if (fd >= 0) ::close(fd);
  EXPECT_LT(fd, 0) << "something still listens on 127.0.0.1:" << port;
}

}  // namespace
