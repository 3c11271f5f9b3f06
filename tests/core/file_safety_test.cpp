// The file system is hostile ground (issue 15, items 1, 2 and 8): a capath
// export deletes nothing it did not make, the cache is used only when it is
// private, and a FIFO given as a CA source is refused instead of blocking.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "base/errors.h"
#include "base/file_ops.h"
#include "bundle/materialize.h"
#include "test_support.h"
#include "trustbundle/trustbundle.h"
#include "verify/cert_source.h"

namespace {

using trustbundle::Error;

int capath_export(const std::string& dir, std::string* message) {
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_capath_export(path, sizeof path, dir.empty() ? nullptr : dir.c_str(), &error);
  if (message != nullptr) *message = error.message;
  return status;
}

int materialize(std::string* message) {
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_materialize(path, sizeof path, nullptr, &error);
  if (message != nullptr) *message = error.message;
  return status;
}

// Points the default cache at a fresh directory for one test.
class CacheDir {
 public:
  explicit CacheDir(const std::string& base) {
    const char* old = std::getenv("TRUSTBUNDLE_CACHE_DIR");
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv("TRUSTBUNDLE_CACHE_DIR", base.c_str(), 1);
  }
  ~CacheDir() {
    if (had_)
      ::setenv("TRUSTBUNDLE_CACHE_DIR", old_.c_str(), 1);
    else
      ::unsetenv("TRUSTBUNDLE_CACHE_DIR");
  }

 private:
  bool had_ = false;
  std::string old_;
};

// ------------------------------------------------------- item 1: capath

TEST(CapathSafety, RefusesADirectoryNamedLikeAHashFile) {
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkdir(tmp.file("0badc0de.0").c_str(), 0755), 0);
  tbtest::write_file(tmp.file("0badc0de.0/precious"), "not yours\n");
  std::string message;
  EXPECT_EQ(capath_export(tmp.path(), &message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("'0badc0de.0', which is a directory"), std::string::npos) << message;
  EXPECT_EQ(tbtest::read_file(tmp.file("0badc0de.0/precious")), "not yours\n");
}

TEST(CapathSafety, RefusesALinkNamedLikeAHashFile) {
  tbtest::TempDir tmp;
  tbtest::write_file(tmp.file("outside"), "not yours\n");
  ASSERT_EQ(::mkdir(tmp.file("capath").c_str(), 0755), 0);
  ASSERT_EQ(::symlink(tmp.file("outside").c_str(), tmp.file("capath/0badc0de.0").c_str()), 0);
  std::string message;
  EXPECT_EQ(capath_export(tmp.file("capath"), &message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("which is a symbolic link"), std::string::npos) << message;
  EXPECT_EQ(tbtest::read_file(tmp.file("outside")), "not yours\n");
}

TEST(CapathSafety, RefusesATargetThatIsALink) {
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkdir(tmp.file("elsewhere").c_str(), 0755), 0);
  ASSERT_EQ(::symlink(tmp.file("elsewhere").c_str(), tmp.file("capath").c_str()), 0);
  std::string message;
  EXPECT_EQ(capath_export(tmp.file("capath"), &message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("is a symbolic link, not a directory"), std::string::npos) << message;
  EXPECT_TRUE(tbtest::list_dir(tmp.file("elsewhere")).empty());
}

TEST(CapathSafety, CliExitsTwoNamingTheEntry) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkdir(tmp.file("0badc0de.0").c_str(), 0755), 0);
  auto r = tbtest::run_cli({"capath", tmp.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("0badc0de.0"), std::string::npos) << r.err;
}

// The removal that replaces an old directory: hashed regular files only,
// through a directory fd; a directory or link that appears under a hashed
// name (after the check, in a race) is left alone with what it points to.
TEST(CapathSafety, RemovalTouchesOnlyHashedRegularFiles) {
  tbtest::TempDir tmp;
  const std::string dir = tmp.file("old");
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  tbtest::write_file(dir + "/0badc0de.0", "ours\n");
  ASSERT_EQ(::mkdir((dir + "/0badc0de.1").c_str(), 0755), 0);
  tbtest::write_file(dir + "/0badc0de.1/precious", "not yours\n");
  tbtest::write_file(tmp.file("outside"), "not yours either\n");
  ASSERT_EQ(::symlink(tmp.file("outside").c_str(), (dir + "/0badc0de.2").c_str()), 0);
  tbtest::write_file(dir + "/notes.txt", "someone's\n");

  trustbundle::remove_hashed_ca_directory(dir);
  EXPECT_FALSE(tbtest::path_exists(dir + "/0badc0de.0"));
  EXPECT_EQ(tbtest::read_file(dir + "/0badc0de.1/precious"), "not yours\n");
  EXPECT_EQ(tbtest::read_file(tmp.file("outside")), "not yours either\n");
  EXPECT_EQ(tbtest::read_file(dir + "/notes.txt"), "someone's\n");
}

TEST(CapathSafety, RemovalNeverFollowsALinkedDirectory) {
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkdir(tmp.file("victim").c_str(), 0755), 0);
  tbtest::write_file(tmp.file("victim/0badc0de.0"), "not yours\n");
  ASSERT_EQ(::symlink(tmp.file("victim").c_str(), tmp.file("old").c_str()), 0);
  trustbundle::remove_hashed_ca_directory(tmp.file("old"));
  EXPECT_EQ(tbtest::read_file(tmp.file("victim/0badc0de.0")), "not yours\n");
}

// ---------------------------------------------------- item 2: the cache

TEST(CacheSafety, APrivateCacheIsUsedAndMadePrivate) {
  tbtest::TempDir tmp;
  CacheDir cache(tmp.file("cache"));
  ASSERT_EQ(::mkdir(tmp.file("cache").c_str(), 0700), 0);
  std::string message;
  ASSERT_EQ(materialize(&message), TRUSTBUNDLE_OK) << message;
  const std::string version_dir = trustbundle::default_cache_directory();
  struct stat st {};
  ASSERT_EQ(::lstat(version_dir.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 022, 0u);
  EXPECT_EQ(capath_export("", &message), TRUSTBUNDLE_OK) << message;
}

TEST(CacheSafety, RefusesACacheOthersMayWrite) {
  tbtest::TempDir tmp;
  CacheDir cache(tmp.file("cache"));
  ASSERT_EQ(::mkdir(tmp.file("cache").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(trustbundle::default_cache_directory().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(trustbundle::default_cache_directory().c_str(), 0777), 0);  // as another user left it
  std::string message;
  EXPECT_EQ(materialize(&message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("group or others may write to it (mode 0777)"), std::string::npos) << message;
  EXPECT_NE(message.find("TRUSTBUNDLE_CACHE_DIR"), std::string::npos) << message;
  EXPECT_EQ(capath_export("", &message), TRUSTBUNDLE_E_IO);
  EXPECT_FALSE(tbtest::path_exists(trustbundle::default_cache_directory() + "/cacert.pem"));
}

TEST(CacheSafety, RefusesALinkedVersionDirectory) {
  tbtest::TempDir tmp;
  CacheDir cache(tmp.file("cache"));
  ASSERT_EQ(::mkdir(tmp.file("cache").c_str(), 0700), 0);
  ASSERT_EQ(::mkdir(tmp.file("elsewhere").c_str(), 0700), 0);
  ASSERT_EQ(::symlink(tmp.file("elsewhere").c_str(), trustbundle::default_cache_directory().c_str()), 0);
  std::string message;
  EXPECT_EQ(materialize(&message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("it is a symbolic link"), std::string::npos) << message;
  EXPECT_TRUE(tbtest::list_dir(tmp.file("elsewhere")).empty()) << "the write landed through the link";
}

TEST(CacheSafety, RefusesACacheOwnedBySomeoneElse) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to make a directory owned by another user";
  tbtest::TempDir tmp;
  CacheDir cache(tmp.file("cache"));
  ASSERT_EQ(::mkdir(tmp.file("cache").c_str(), 0755), 0);
  ASSERT_EQ(::chown(tmp.file("cache").c_str(), 65534, 65534), 0);  // nobody
  std::string message;
  EXPECT_EQ(materialize(&message), TRUSTBUNDLE_E_IO);
  EXPECT_NE(message.find("belongs to uid 65534, not to you"), std::string::npos) << message;
}

// ---------------------------------------------------- item 8: FIFOs

TEST(FifoSafety, AFifoAsACaSourceIsRefusedAtOnce) {
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkfifo(tmp.file("ca.pem").c_str(), 0600), 0);
  try {
    trustbundle::load_certs_from_path(tmp.file("ca.pem"));  // blocked for ever before the fix
    FAIL() << "a FIFO was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), TRUSTBUNDLE_E_IO);
    EXPECT_NE(std::string(e.what()).find("is a FIFO, not a regular file"), std::string::npos) << e.what();
  }
}

TEST(FifoSafety, TheEnvironmentVariableNamesTheFifo) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  ASSERT_EQ(::mkfifo(tmp.file("ca.pem").c_str(), 0600), 0);
  // A real certificate as the chain (the first root of the bundle), so only the CA source can fail.
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  const std::string bundle(pem, len);
  const size_t begin = bundle.find("-----BEGIN CERTIFICATE-----");
  const std::string end_marker = "-----END CERTIFICATE-----\n";
  const size_t end = bundle.find(end_marker, begin);
  ASSERT_NE(end, std::string::npos);
  tbtest::write_file(tmp.file("leaf.pem"), bundle.substr(begin, end + end_marker.size() - begin));
  auto r = tbtest::run_cli({"verify", tmp.file("leaf.pem")}, {{"TRUSTBUNDLE_EXTRA_CA_CERTS", tmp.file("ca.pem")}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(tmp.file("ca.pem")), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("FIFO"), std::string::npos) << r.err;
}

}  // namespace

// ------------------------------------- SSL_CERT_FILE / SSL_CERT_DIR (also)

namespace {

std::string first_root_pem() {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  const std::string bundle(pem, len);
  const size_t begin = bundle.find("-----BEGIN CERTIFICATE-----");
  const std::string end_marker = "-----END CERTIFICATE-----\n";
  return bundle.substr(begin, bundle.find(end_marker, begin) + end_marker.size() - begin);
}

TEST(SystemStoreVariables, ErrorsNameTheVariable) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  tbtest::write_file(tmp.file("chain.pem"), first_root_pem());
  ASSERT_EQ(::mkfifo(tmp.file("fifo").c_str(), 0600), 0);
  auto file = tbtest::run_cli({"verify", tmp.file("chain.pem"), "--system"}, {{"SSL_CERT_FILE", tmp.file("fifo")}});
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_NE(file.err.find("SSL_CERT_FILE: '" + tmp.file("fifo") + "' is a FIFO"), std::string::npos) << file.err;

  // A ':'-separated list, as OpenSSL reads it: every entry is used, so the
  // missing second one is named.
  auto dirs = tbtest::run_cli({"verify", tmp.file("chain.pem"), "--system"},
                              {{"SSL_CERT_DIR", tmp.path() + ":" + tmp.file("missing")}});
  EXPECT_EQ(dirs.exit_code, 2);
  EXPECT_NE(dirs.err.find("SSL_CERT_DIR: CA directory '" + tmp.file("missing") + "' does not exist"),
            std::string::npos)
      << dirs.err;
}

}  // namespace
