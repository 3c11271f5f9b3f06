// Helpers of the doctor tests (tests/doctor): where the fixtures are,
// servers on 127.0.0.1 (openssl s_server, a plain HTTP responder, a
// listener that never answers), and running `trustbundle doctor`.
// Every server is started by the test that needs it and stopped by its
// destructor; child processes die with the test (PR_SET_PDEATHSIG).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifndef TB_DOCTOR_FIXTURES
#define TB_DOCTOR_FIXTURES ""
#endif
#ifndef TB_CLI_PATH
#define TB_CLI_PATH ""
#endif
#ifndef TB_OPENSSL_CLI
#define TB_OPENSSL_CLI ""
#endif

namespace tbd {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

inline std::string fixtures() {
  const char* env = std::getenv("TB_DOCTOR_FIXTURES");
  return env != nullptr && *env != '\0' ? env : TB_DOCTOR_FIXTURES;
}
inline std::string pki(const std::string& rel) { return fixtures() + "/pki/" + rel; }
inline std::string extra(const std::string& rel) { return fixtures() + "/extra/" + rel; }
inline std::string cli() { return TB_CLI_PATH; }
inline std::string openssl() { return TB_OPENSSL_CLI; }

#define TBD_REQUIRE_FIXTURES()                                                                 \
  ASSERT_TRUE(std::filesystem::exists(tbd::extra("mtls-cas.pem")))                             \
      << "doctor fixtures not found in '" << tbd::fixtures()                                   \
      << "': run through ctest (the doctor_fixtures test makes them), or set TB_DOCTOR_FIXTURES"

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The validity window of the first certificate in a PEM file, as Unix
// seconds. The shared PKI's windows are relative to the day it was made
// (tests/README.md), so tests read them instead of writing dates down.
struct Window {
  int64_t not_before = 0;
  int64_t not_after = 0;
};
inline Window window_of(const std::string& pem_path) {
  Window w;
  std::string pem = read_file(pem_path);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio != nullptr ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
  if (cert != nullptr) {
    struct tm tm {};
    if (ASN1_TIME_to_tm(X509_get0_notBefore(cert), &tm) == 1) w.not_before = timegm(&tm);
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) w.not_after = timegm(&tm);
  }
  X509_free(cert);
  BIO_free(bio);
  return w;
}
// YYYY-MM-DD (UTC), the doctor's way of writing a day.
inline std::string day_of(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[16];
  strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}
inline std::string days_of(const std::string& pem_path) {
  Window w = window_of(pem_path);
  return day_of(w.not_before) + ".." + day_of(w.not_after);
}

// A fresh directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tb-doctor.XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A port that was free a moment ago (bind to 0, read it, close).
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

inline bool can_connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

// Starts argv[0] with stdin from /dev/null and stdout/stderr into files.
inline pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  int in = ::open("/dev/null", O_RDONLY);
  int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(in, 0);
  ::dup2(o, 1);
  ::dup2(e, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// SIGTERM, then SIGKILL after 2 s; always reaped.
inline void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// `openssl s_server -www` on 127.0.0.1 with the given extra arguments.
class SServer {
 public:
  explicit SServer(const std::vector<std::string>& args) {
    for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) start(args);
  }
  ~SServer() { stop(pid_); }
  SServer(const SServer&) = delete;
  SServer& operator=(const SServer&) = delete;
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& why_not() const { return why_; }

 private:
  void start(const std::vector<std::string>& args) {
    port_ = free_port();
    std::vector<std::string> argv{openssl(), "s_server", "-quiet", "-www", "-accept", target()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = spawn(argv, io_.file("out"), io_.file("err"));
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        why_ = "openssl s_server exited: " + read_file(io_.file("err"));
        pid_ = -1;
        return;
      }
      if (can_connect(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    why_ = "openssl s_server did not listen within 5 s: " + read_file(io_.file("err"));
    stop(pid_);
    pid_ = -1;
  }

  TempDir io_;
  pid_t pid_ = -1;
  int port_ = -1;
  std::string why_;
};

// A TCP listener on 127.0.0.1 run by a thread of this test: each
// connection gets `reply` once the client has sent something (as nginx
// answers a TLS ClientHello on its HTTP port). With `accept_connections`
// false it never accepts: connections complete in the kernel's backlog and
// then hear nothing, like a stuck service.
class LoopbackServer {
 public:
  LoopbackServer(std::string reply, bool accept_connections) : reply_(std::move(reply)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return;
    port_ = ntohs(addr.sin_port);
    if (accept_connections) thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  int port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    while (!done_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      pollfd q{c, POLLIN, 0};
      char buf[4096];
      if (::poll(&q, 1, 2000) > 0 && ::recv(c, buf, sizeof buf, 0) > 0)
        (void)::send(c, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::string reply_;
  int fd_ = -1;
  int port_ = -1;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

struct Run {
  int exit = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs a command to completion (killed after limit_s: a hang fails, never blocks).
inline Run run(const std::vector<std::string>& argv, int limit_s = 30) {
  TempDir io;
  Run r;
  const auto start = Clock::now();
  pid_t pid = spawn(argv, io.file("out"), io.file("err"));
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() - start > std::chrono::seconds(limit_s)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(io.file("out"));
  r.err = read_file(io.file("err"));
  return r;
}

}  // namespace tbd
