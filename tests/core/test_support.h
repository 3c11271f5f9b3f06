// Helpers shared by the core tests: where the Mozilla data and the tools
// are, reading and writing files, temporary directories, running commands,
// and (synthetic_certdata.h) writing small synthetic certdata.txt snippets.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bundle/certdata_curation.h"
#include "bundle/root_record.h"
#include "synthetic_certdata.h"

#ifndef TB_SHARED_DIR
#error "TB_SHARED_DIR must be defined by the build (path of ../shared/mozilla)"
#endif
#ifndef TB_SOURCE_DIR
#error "TB_SOURCE_DIR must be defined by the build"
#endif
#ifndef TB_CLI_PATH
#define TB_CLI_PATH ""
#endif
#ifndef TB_OPENSSL_CLI
#define TB_OPENSSL_CLI ""
#endif
#ifndef TB_PYTHON3
#define TB_PYTHON3 ""
#endif

namespace tbtest {

// ------------------------------------------------------------------ paths

inline std::string shared_dir() { return TB_SHARED_DIR; }
inline std::string source_dir() { return TB_SOURCE_DIR; }
inline std::string cli_path() { return TB_CLI_PATH; }
inline std::string openssl_cli() { return TB_OPENSSL_CLI; }
inline std::string python3() { return TB_PYTHON3; }
inline std::string certdata_path() { return shared_dir() + "/certdata.txt"; }
inline std::string older_certdata_path() { return shared_dir() + "/certdata-older.txt"; }

inline bool path_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

inline bool is_executable(const std::string& path) { return !path.empty() && ::access(path.c_str(), X_OK) == 0; }

inline bool have_shared() { return path_exists(certdata_path()) && path_exists(older_certdata_path()); }

}  // namespace tbtest

// Tests that need the Mozilla files skip (with the reason) when ../shared is
// not beside the source tree; the data is never copied into the project.
#define TB_REQUIRE_SHARED()                                                                             \
  do {                                                                                                  \
    if (!tbtest::have_shared())                                                                         \
      GTEST_SKIP() << "Mozilla data not found: " << tbtest::shared_dir()                                \
                   << " must hold certdata.txt (NSS 2.86) and certdata-older.txt (2.74); "              \
                      "../shared is not beside the source tree";                                        \
  } while (0)

#define TB_REQUIRE_CLI()                                                                                \
  do {                                                                                                  \
    if (!tbtest::is_executable(tbtest::cli_path()))                                                     \
      GTEST_SKIP() << "the trustbundle CLI was not built (TRUSTBUNDLE_BUILD_CLI=OFF?): '"               \
                   << tbtest::cli_path() << "'";                                                        \
  } while (0)

#define TB_REQUIRE_OPENSSL_CLI()                                                                        \
  do {                                                                                                  \
    if (!tbtest::is_executable(tbtest::openssl_cli()))                                                  \
      GTEST_SKIP() << "the openssl command-line tool was not found at configure time";                  \
  } while (0)

namespace tbtest {

// ------------------------------------------------------------------ files

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

inline size_t count_occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
  return n;
}

// 1-based line number of byte offset `pos` in text.
inline size_t line_of(const std::string& text, size_t pos) {
  size_t line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr && *base ? base : "/tmp") + "/trustbundle-test.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// --------------------------------------------------------------- commands

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

using EnvList = std::vector<std::pair<std::string, std::string>>;

// Starts argv[0] (a path, or a name looked up in PATH) with stdout and stderr
// sent to the given files and the given variables set (an empty value
// unsets). Returns the child's pid.
inline pid_t spawn_command(const std::vector<std::string>& argv, const EnvList& env, const std::string& out_path,
                           const std::string& err_path, const std::string& in_path = "/dev/null") {
  if (argv.empty()) throw std::runtime_error("spawn_command: empty argv");
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& kv : env) {
      if (kv.second.empty())
        ::unsetenv(kv.first.c_str());
      else
        ::setenv(kv.first.c_str(), kv.second.c_str(), 1);
    }
    ::execvp(cargv[0], cargv.data());
    ::_exit(127);
  }
  return pid;
}

inline int wait_exit_code(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

inline CommandResult run_command(const std::vector<std::string>& argv, const EnvList& env = {},
                                 const std::string& in_path = "/dev/null") {
  TempDir io;
  CommandResult r;
  r.exit_code = wait_exit_code(spawn_command(argv, env, io.file("out"), io.file("err"), in_path));
  r.out = read_file(io.file("out"));
  r.err = read_file(io.file("err"));
  return r;
}

// Runs the trustbundle CLI with a private cache directory, so no test ever
// writes into the user's home.
inline CommandResult run_cli(const std::vector<std::string>& args, const EnvList& extra_env = {}) {
  static const TempDir cache;  // removed at exit
  std::vector<std::string> argv{cli_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  EnvList env{{"TRUSTBUNDLE_CACHE_DIR", cache.path()}};
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  return run_command(argv, env);
}

// ------------------------------------------------------- the Mozilla data

// Loaded once per test process; call only after TB_REQUIRE_SHARED().
inline const std::string& certdata_text() {
  static const std::string text = read_file(certdata_path());
  return text;
}
inline const std::string& older_certdata_text() {
  static const std::string text = read_file(older_certdata_path());
  return text;
}
inline const std::vector<trustbundle::RootRecord>& roots_286() {
  static const std::vector<trustbundle::RootRecord> roots = trustbundle::load_certdata(certdata_text(), "certdata.txt");
  return roots;
}
inline const std::vector<trustbundle::RootRecord>& roots_274() {
  static const std::vector<trustbundle::RootRecord> roots =
      trustbundle::load_certdata(older_certdata_text(), "certdata-older.txt");
  return roots;
}

inline const trustbundle::RootRecord* find_label(const std::vector<trustbundle::RootRecord>& roots,
                                                 const std::string& label) {
  for (const auto& r : roots)
    if (r.label == label) return &r;
  return nullptr;
}

inline bool contains_label(const std::vector<trustbundle::RootRecord>& roots, const std::string& label) {
  return find_label(roots, label) != nullptr;
}

}  // namespace tbtest
