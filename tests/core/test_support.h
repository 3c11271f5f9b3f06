// Helpers shared by the core tests: where the Mozilla data and the tools
// are, reading and writing files, temporary directories, running commands,
// and writing small synthetic certdata.txt snippets.
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

// ----------------------------------------------- synthetic certdata.txt

// "\ooo" escapes, 16 bytes per line, as certdata.txt writes them.
inline std::string octal_lines(const std::string& bytes) {
  std::string out;
  char buf[8];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "\\%03o", static_cast<unsigned char>(bytes[i]));
    out += buf;
    if (i % 16 == 15 || i + 1 == bytes.size()) out += "\n";
  }
  return out;
}

inline std::string md_digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) throw std::runtime_error("EVP_Digest");
  return std::string(reinterpret_cast<char*>(out), len);
}

// What a certdata object pair needs to know about one certificate.
struct SyntheticCert {
  std::string label;
  std::string der;
  std::string subject_der;
  std::string issuer_der;
  std::string serial_der;  // the DER INTEGER, as CKA_SERIAL_NUMBER holds it
};

inline SyntheticCert synthetic_cert(const std::string& der, const std::string& label) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!x) throw std::runtime_error("synthetic_cert: not a DER certificate");
  auto i2d_str = [](auto fn, auto* obj) {
    unsigned char* buf = nullptr;
    int len = fn(obj, &buf);
    if (len <= 0) throw std::runtime_error("i2d failed");
    std::string s(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
    OPENSSL_free(buf);
    return s;
  };
  SyntheticCert c;
  c.label = label;
  c.der = der;
  c.subject_der = i2d_str(i2d_X509_NAME, X509_get_subject_name(x.get()));
  c.issuer_der = i2d_str(i2d_X509_NAME, X509_get_issuer_name(x.get()));
  c.serial_der = i2d_str(i2d_ASN1_INTEGER, const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(x.get())));
  return c;
}

inline std::string certdata_header() {
  return "#\n# Synthetic certdata.txt written by a trustbundle test.\n#\nBEGINDATA\n"
         "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_BUILTIN_ROOT_LIST\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n"
         "CKA_LABEL UTF8 \"Mozilla Builtin Roots\"\n";
}

// distrust_after: "" writes CK_BBOOL CK_FALSE; otherwise a YYMMDDHHMMSSZ date.
inline std::string certificate_object(const SyntheticCert& c, const std::string& distrust_after = "") {
  std::string out = "\n#\n# Certificate \"" + c.label + "\"\n#\n";
  out += "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n";
  out += "CKA_LABEL UTF8 \"" + c.label + "\"\n";
  out += "CKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509\n";
  out += "CKA_SUBJECT MULTILINE_OCTAL\n" + octal_lines(c.subject_der) + "END\n";
  out += "CKA_ID UTF8 \"0\"\n";
  out += "CKA_ISSUER MULTILINE_OCTAL\n" + octal_lines(c.issuer_der) + "END\n";
  out += "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + octal_lines(c.serial_der) + "END\n";
  out += "CKA_VALUE MULTILINE_OCTAL\n" + octal_lines(c.der) + "END\n";
  out += "CKA_NSS_MOZILLA_CA_POLICY CK_BBOOL CK_TRUE\n";
  if (distrust_after.empty())
    out += "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n";
  else
    out += "# For Server Distrust After: " + distrust_after + "\nCKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n" +
           octal_lines(distrust_after) + "END\n";
  out += "CKA_NSS_EMAIL_DISTRUST_AFTER CK_BBOOL CK_FALSE\n";
  return out;
}

struct TrustSpec {
  std::string server = "CKT_NSS_TRUSTED_DELEGATOR";  // "" leaves the attribute out
  std::string email = "CKT_NSS_MUST_VERIFY_TRUST";
  std::string code = "CKT_NSS_MUST_VERIFY_TRUST";
  std::string server_distrust_after;  // YYMMDDHHMMSSZ in the trust object (as Izenpe.com), or ""
};

inline std::string trust_object(const SyntheticCert& c, const TrustSpec& t = TrustSpec()) {
  std::string out = "\n# Trust for \"" + c.label + "\"\n";
  out += "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n"
         "CKA_TOKEN CK_BBOOL CK_TRUE\n"
         "CKA_PRIVATE CK_BBOOL CK_FALSE\n"
         "CKA_MODIFIABLE CK_BBOOL CK_FALSE\n";
  out += "CKA_LABEL UTF8 \"" + c.label + "\"\n";
  out += "CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n" + octal_lines(md_digest(EVP_sha1(), c.der)) + "END\n";
  out += "CKA_CERT_MD5_HASH MULTILINE_OCTAL\n" + octal_lines(md_digest(EVP_md5(), c.der)) + "END\n";
  out += "CKA_ISSUER MULTILINE_OCTAL\n" + octal_lines(c.issuer_der) + "END\n";
  out += "CKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + octal_lines(c.serial_der) + "END\n";
  if (!t.server_distrust_after.empty())
    out += "CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n" + octal_lines(t.server_distrust_after) + "END\n";
  if (!t.server.empty()) out += "CKA_TRUST_SERVER_AUTH CK_TRUST " + t.server + "\n";
  if (!t.email.empty()) out += "CKA_TRUST_EMAIL_PROTECTION CK_TRUST " + t.email + "\n";
  if (!t.code.empty()) out += "CKA_TRUST_CODE_SIGNING CK_TRUST " + t.code + "\n";
  out += "CKA_TRUST_STEP_UP_APPROVED CK_BBOOL CK_FALSE\n";
  return out;
}

// A fresh self-signed EC P-256 certificate, for cases the real data cannot
// give (any serial, any name, any validity).
inline std::string make_certificate(const std::string& common_name, long serial, int64_t not_before,
                                    int64_t not_after) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  if (!key || !x) throw std::runtime_error("make_certificate: allocation failed");
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(not_after));
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("trustbundle tests"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509_set_pubkey(x.get(), key.get());
  if (X509_sign(x.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("make_certificate: sign failed");
  unsigned char* buf = nullptr;
  int len = i2d_X509(x.get(), &buf);
  if (len <= 0) throw std::runtime_error("make_certificate: i2d failed");
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return der;
}

}  // namespace tbtest
