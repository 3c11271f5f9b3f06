// Helpers for the reliability tests: temporary directories, whole-file I/O,
// running a program with a time limit, peak memory, the fixed test PKI.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fixed_pki.h"
#include "trustbundle/trustbundle.h"

namespace tbrel {

namespace fs = std::filesystem;

// A fresh directory under TMPDIR, removed (recursively) at scope exit.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr && *base ? base : "/tmp") + "/tb-reliability-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string embedded_pem() {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  return std::string(pem, len);
}

inline const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Peak resident set size of this process so far, in KiB.
inline long max_rss_kib() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct RunResult {
  int exit_code = -1;  // -1: killed or did not start
  std::string out;     // stdout and stderr together
};

// Runs argv with extra "NAME=value" entries added to the environment;
// kills it after timeout_s seconds.
inline RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                     int timeout_s = 60) {
  RunResult result;
  char out_path[] = "/tmp/tb-reliability-out-XXXXXX";
  int out_fd = ::mkstemp(out_path);
  if (out_fd < 0) return result;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    for (const std::string& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (seconds_since(start) > timeout_s) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    ::usleep(2000);
  }
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  ::close(out_fd);
  result.out = read_file(out_path);
  ::unlink(out_path);
  return result;
}

inline int wait_exit_code(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The fixed test chain (fuzz/fixed_pki.h): valid 2024-01-01 to 2045-01-01.
constexpr int64_t kFixedPkiTime = 1780272000;  // 2026-06-01T00:00:00Z
inline std::string fixed_root() { return tbfuzz::kRootPem; }
inline std::string fixed_intermediate() { return tbfuzz::kIntermediatePem; }
inline std::string fixed_leaf() { return tbfuzz::kLeafPem; }

}  // namespace tbrel
