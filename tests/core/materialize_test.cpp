// trustbundle_materialize / `trustbundle where`: atomic, reuses an identical
// file, replaces a damaged one, and 8 processes racing on one new directory
// leave exactly one complete cacert.pem and no temporary files.
#include <fcntl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>

#include "bundle/embedded_bundle.h"
#include "test_support.h"
#include "trustbundle/trustbundle.h"

namespace {

constexpr int kRacers = 8;

std::string embedded() {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  return std::string(pem, len);
}

// Forks kRacers children that wait on a pipe, then all call
// trustbundle_materialize(dir) at once. Returns how many succeeded with
// the expected path.
int race_materialize(const std::string& dir) {
  int gate[2];
  if (::pipe(gate) != 0) return -1;
  std::vector<pid_t> pids;
  const std::string expected = dir + "/cacert.pem";
  for (int i = 0; i < kRacers; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      while (::read(gate[0], &c, 1) < 0 && errno == EINTR) {
      }
      char path[4096];
      trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
      int status = trustbundle_materialize(path, sizeof path, dir.c_str(), &error);
      if (status != TRUSTBUNDLE_OK) std::fprintf(stderr, "racer %d: %s\n", i, error.message);
      if (status != TRUSTBUNDLE_OK || expected != path) ::_exit(1);
      // Once materialize has returned, the file is complete, whatever the
      // other racers are doing: they may only rename a complete file over it.
      size_t len = 0;
      const char* pem = trustbundle_bundle_pem(&len);
      for (int look = 0; look < 20; ++look) {
        std::FILE* f = std::fopen(path, "rb");
        if (f == nullptr) ::_exit(2);
        std::string seen;
        char buf[65536];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) seen.append(buf, n);
        std::fclose(f);
        if (seen.size() != len || seen.compare(0, len, pem, len) != 0) {
          std::fprintf(stderr, "racer %d saw %zu of %zu bytes\n", i, seen.size(), len);
          ::_exit(3);
        }
      }
      ::_exit(0);
    }
    if (pid > 0) pids.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);  // EOF releases every child at once
  int ok = 0;
  for (pid_t pid : pids) ok += tbtest::wait_exit_code(pid) == 0;
  return ok;
}

void expect_only_a_complete_bundle(const std::string& dir) {
  EXPECT_EQ(tbtest::list_dir(dir), std::vector<std::string>{"cacert.pem"}) << "leftover files in " << dir;
  EXPECT_TRUE(tbtest::read_file(dir + "/cacert.pem") == embedded()) << "incomplete or wrong cacert.pem";
}

struct stat stat_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

}  // namespace

TEST(Materialize, WritesTheEmbeddedBundleAndReturnsItsPath) {
  tbtest::TempDir tmp;
  const std::string dir = tmp.file("a/b/c");  // created as needed
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  ASSERT_EQ(trustbundle_materialize(path, sizeof path, dir.c_str(), &error), TRUSTBUNDLE_OK) << error.message;
  EXPECT_EQ(std::string(path), dir + "/cacert.pem");
  expect_only_a_complete_bundle(dir);
  // A trailing slash names the same directory.
  ASSERT_EQ(trustbundle_materialize(path, sizeof path, (dir + "/").c_str(), &error), TRUSTBUNDLE_OK);
  EXPECT_EQ(std::string(path), dir + "/cacert.pem");
}

TEST(Materialize, EightProcessesRacingOnANewDirectory) {
  for (int round = 0; round < 3; ++round) {
    tbtest::TempDir tmp;
    const std::string dir = tmp.file("fresh/cache");
    EXPECT_EQ(race_materialize(dir), kRacers) << "round " << round;
    expect_only_a_complete_bundle(dir);
  }
}

TEST(Materialize, EightProcessesRacingToReplaceADamagedFile) {
  tbtest::TempDir tmp;
  const std::string pem = embedded();
  tbtest::write_file(tmp.file("cacert.pem"), pem.substr(0, pem.size() / 3));
  EXPECT_EQ(race_materialize(tmp.path()), kRacers);
  expect_only_a_complete_bundle(tmp.path());
}

TEST(Materialize, EightCliProcessesRacing) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp, io;
  const std::string dir = tmp.file("where");
  std::vector<pid_t> pids;
  for (int i = 0; i < kRacers; ++i)
    pids.push_back(tbtest::spawn_command({tbtest::cli_path(), "where", "--dir", dir}, {},
                                         io.file("out" + std::to_string(i)), io.file("err" + std::to_string(i))));
  for (int i = 0; i < kRacers; ++i) {
    EXPECT_EQ(tbtest::wait_exit_code(pids[i]), 0) << tbtest::read_file(io.file("err" + std::to_string(i)));
    EXPECT_EQ(tbtest::read_file(io.file("out" + std::to_string(i))), dir + "/cacert.pem\n");
  }
  expect_only_a_complete_bundle(dir);
}

TEST(Materialize, AnIdenticalFileIsReusedUntouched) {
  tbtest::TempDir tmp;
  char path[4096];
  ASSERT_EQ(trustbundle_materialize(path, sizeof path, tmp.path().c_str(), nullptr), TRUSTBUNDLE_OK);
  // Back-date the file so that any rewrite would show in its mtime.
  const struct timespec old_times[2] = {{978307200, 0}, {978307200, 0}};  // 2001-01-01
  ASSERT_EQ(::utimensat(AT_FDCWD, path, old_times, 0), 0);
  struct stat before = stat_of(path);
  ASSERT_EQ(trustbundle_materialize(path, sizeof path, tmp.path().c_str(), nullptr), TRUSTBUNDLE_OK);
  struct stat after = stat_of(path);
  EXPECT_EQ(after.st_ino, before.st_ino) << "the file was replaced";
  EXPECT_EQ(after.st_mtim.tv_sec, 978307200);
  EXPECT_EQ(after.st_mtim.tv_nsec, 0);
  expect_only_a_complete_bundle(tmp.path());
}

TEST(Materialize, DamagedFilesAreRewritten) {
  const std::string pem = embedded();
  std::string flipped = pem;
  flipped[flipped.size() / 2] ^= 1;
  for (const std::string& damaged : {std::string(), pem.substr(0, pem.size() - 1), flipped, pem + "\n", pem + pem}) {
    tbtest::TempDir tmp;
    tbtest::write_file(tmp.file("cacert.pem"), damaged);
    struct stat before = stat_of(tmp.file("cacert.pem"));
    char path[4096];
    ASSERT_EQ(trustbundle_materialize(path, sizeof path, tmp.path().c_str(), nullptr), TRUSTBUNDLE_OK);
    expect_only_a_complete_bundle(tmp.path());
    // Replaced by rename, never rewritten in place.
    EXPECT_NE(stat_of(tmp.file("cacert.pem")).st_ino, before.st_ino);
  }
}

TEST(Materialize, BufferTooSmallAndBadDirectories) {
  tbtest::TempDir tmp;
  char small[8];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_materialize(small, sizeof small, tmp.path().c_str(), &error), TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(error.status, TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  EXPECT_NE(std::string(error.message).find("bytes"), std::string::npos) << error.message;

  // Below a regular file: no directory can be made there, even as root.
  tbtest::write_file(tmp.file("plain"), "x");
  char path[4096];
  error = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_materialize(path, sizeof path, tmp.file("plain/sub").c_str(), &error), TRUSTBUNDLE_E_IO);
  EXPECT_NE(std::string(error.message).find(tmp.file("plain")), std::string::npos) << error.message;
  EXPECT_EQ(trustbundle_materialize(path, sizeof path, tmp.file("plain").c_str(), &error), TRUSTBUNDLE_E_IO);
  EXPECT_EQ(trustbundle_materialize(nullptr, 0, tmp.path().c_str(), &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
}

TEST(Materialize, DefaultDirectoryFollowsTheEnvironment) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  const std::string version_dir =
      std::string(trustbundle_bundle_nss_version()) + "-";  // then the compact as_of stamp
  auto expect_under = [&](const tbtest::CommandResult& r, const std::string& base) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind(base + "/" + version_dir, 0), 0u) << r.out;
    EXPECT_EQ(r.out.size() > 12 ? r.out.substr(r.out.size() - 12) : r.out, "/cacert.pem\n");
    std::string path = r.out.substr(0, r.out.size() - 1);
    EXPECT_TRUE(tbtest::read_file(path) == embedded());
  };
  const std::vector<std::string> where{tbtest::cli_path(), "where"};
  expect_under(tbtest::run_command(where, {{"TRUSTBUNDLE_CACHE_DIR", tmp.file("explicit")}, {"XDG_CACHE_HOME", ""}}),
               tmp.file("explicit"));
  expect_under(tbtest::run_command(where, {{"TRUSTBUNDLE_CACHE_DIR", ""}, {"XDG_CACHE_HOME", tmp.file("xdg")}}),
               tmp.file("xdg") + "/trustbundle");
  expect_under(tbtest::run_command(where, {{"TRUSTBUNDLE_CACHE_DIR", ""}, {"XDG_CACHE_HOME", ""}, {"HOME", tmp.file("home")}}),
               tmp.file("home") + "/.cache/trustbundle");
  // The version directory is "<nss version>-<as_of without - and :>".
  std::string version = trustbundle_bundle_version();  // "2.86/2026-11-22T00:00:00Z"
  std::string stamp;
  for (char c : version.substr(version.find('/') + 1))
    if (c != '-' && c != ':') stamp.push_back(c);
  auto r = tbtest::run_command(where, {{"TRUSTBUNDLE_CACHE_DIR", tmp.file("explicit")}});
  EXPECT_EQ(r.out, tmp.file("explicit") + "/" + trustbundle_bundle_nss_version() + "-" + stamp + "/cacert.pem\n");
}
