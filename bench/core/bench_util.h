// Helpers shared by the trustbundle benchmarks (bench/core/*.cpp).
//
// The "raw OpenSSL" side of every comparison configures X509_verify_cert
// exactly as the core's verifier does (core/src/verifier.cpp, configure()):
// SSL server purpose, X509_V_FLAG_X509_STRICT, no partial chains, auth
// level 2, no partial wildcards, the subject CN never a name, depth 32, a
// fixed check time and the host name. Only the C ABI of trustbundle is used
// here; OpenSSL objects never come from the library.
#pragma once

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tbbench {

// Monotonic time in microseconds.
inline double now_us() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// CPU time of this process (all threads) in microseconds: unlike the
// monotonic clock, it does not grow when other work preempts the process.
inline double cpu_us() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

[[noreturn]] inline void die(const std::string& what, int code = 1) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::fflush(stderr);
  std::exit(code);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read '" + path + "'", 2);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// VmRSS / VmHWM of this process in KiB, from /proc/self/status (-1 if absent).
inline long proc_status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') return std::atol(line.c_str() + n + 1);
  return -1;
}

// Every certificate in a PEM buffer, in order. Caller frees with X509_free.
inline std::vector<X509*> parse_pem_certs(const std::string& pem, const std::string& what) {
  std::vector<X509*> out;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) die("out of memory");
  for (;;) {
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    out.push_back(cert);
  }
  ERR_clear_error();
  BIO_free(bio);
  if (out.empty()) die("no PEM certificate in " + what, 2);
  return out;
}

inline std::string der_of(X509* cert) {
  unsigned char* buf = nullptr;
  int len = i2d_X509(cert, &buf);
  if (len <= 0) die("i2d_X509 failed");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return der;
}

// The verification policy of trustbundle_verify for a TLS server, applied
// to a raw X509_STORE_CTX.
inline void configure_like_trustbundle(X509_STORE_CTX* ctx, const std::string& host, int64_t at) {
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_auth_level(param, 2);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  X509_VERIFY_PARAM_set_depth(param, 32);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at));
  if (!host.empty() && X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1)
    die("bad host '" + host + "'", 2);
}

// X509_verify_cert of leaf + untrusted against store. Returns the OpenSSL
// verify error (X509_V_OK when accepted).
inline int raw_verify(X509_STORE* store, X509* leaf, STACK_OF(X509)* untrusted, const std::string& host, int64_t at) {
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  if (ctx == nullptr || X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) die("X509_STORE_CTX_init failed");
  configure_like_trustbundle(ctx, host, at);
  int rc = X509_verify_cert(ctx);
  int err = rc == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  if (rc != 1 && err == X509_V_OK) err = X509_V_ERR_UNSPECIFIED;
  X509_STORE_CTX_free(ctx);
  return err;
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline double min_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
inline double max_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

inline std::string fmt(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// Command-line options shared by the benchmark programs: --name value pairs.
struct Args {
  std::vector<std::pair<std::string, std::string>> kv;
  std::string get(const std::string& name, const std::string& fallback = "") const {
    for (const auto& p : kv)
      if (p.first == name) return p.second;
    return fallback;
  }
  bool has(const std::string& name) const {
    for (const auto& p : kv)
      if (p.first == name) return true;
    return false;
  }
  std::string need(const std::string& name) const {
    if (!has(name)) die("missing --" + name + " (see --help)", 2);
    return get(name);
  }
};

inline Args parse_args(int argc, char** argv, const char* usage) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "-h" || s == "--help") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    if (s.compare(0, 2, "--") != 0 || i + 1 >= argc) die("bad argument '" + s + "'\n" + usage, 2);
    a.kv.emplace_back(s.substr(2), argv[++i]);
  }
  return a;
}

// A time as Unix seconds (digits only: the runner converts RFC 3339).
inline int64_t parse_unix(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    die("--time must be Unix seconds, got '" + s + "'", 2);
  return std::strtoll(s.c_str(), nullptr, 10);
}

}  // namespace tbbench
