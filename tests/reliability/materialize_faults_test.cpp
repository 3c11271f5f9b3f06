// Fault injection on trustbundle_materialize / `trustbundle where`: a
// read-only location, a full disk (a tiny tmpfs, and an LD_PRELOAD shim
// failing write/fsync/rename), a corrupted cached file, and 16 processes x
// 100 iterations racing. The old file must survive every failure byte for
// byte, and no reader may ever see a partial file.
//
// Tests run as root here, and root ignores directory permissions, so a
// read-only directory is a read-only mount in a private mount namespace
// (skipped, with the reason, where mounting is not allowed) or a path under
// a regular file (ENOTDIR, always run).
#include <sched.h>
#include <sys/mount.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <thread>

#include "reliability_support.h"

#ifndef TB_REL_SHIM
#error "TB_REL_SHIM must name the fault shim"
#endif
#ifndef TB_REL_HELPER
#error "TB_REL_HELPER must name tb_rel_materialize"
#endif
#ifndef TB_REL_CLI
#define TB_REL_CLI ""
#endif

namespace {

struct Materialized {
  int status;
  std::string message;
  std::string path;
};

Materialized materialize(const std::string& dir) {
  char path[4096] = {0};
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_materialize(path, sizeof path, dir.c_str(), &error);
  return {status, error.message, path};
}

// The bundle's first half and a marker: what an old or damaged cache looks like.
std::string old_content() { return tbrel::embedded_pem().substr(0, 100000) + "\n# an older bundle\n"; }

// ------------------------------------------------ private mount namespace

struct Child {
  bool skipped = false;
  std::string text;  // what the child reported, or why it skipped
};

// Runs body in a forked child inside a private mount namespace, so mounts
// vanish with it. body returns a report; "SKIP ..." means not possible here.
Child in_mount_namespace(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return {true, "pipe failed"};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string report;
    if (::unshare(CLONE_NEWNS) != 0)
      report = std::string("SKIP unshare(CLONE_NEWNS): ") + std::strerror(errno);
    else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      report = std::string("SKIP making / private: ") + std::strerror(errno);
    else
      report = body();
    (void)!::write(fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  tbrel::wait_exit_code(pid);
  if (text.rfind("SKIP ", 0) == 0) return {true, text.substr(5)};
  return {false, text};
}

std::string mount_tmpfs(const std::string& dir, const char* size, unsigned long flags) {
  if (::mount("tmpfs", dir.c_str(), "tmpfs", flags, size) != 0)
    return std::string("SKIP mount tmpfs: ") + std::strerror(errno);
  return "";
}

// "status|message|old file intact|directory listing"
std::string report(const Materialized& m, const std::string& dir, const std::string& old) {
  std::string listing;
  for (const std::string& name : tbrel::list_dir(dir)) listing += name + ",";
  bool intact = old.empty() || tbrel::read_file(dir + "/cacert.pem") == old;
  return std::to_string(m.status) + "|" + m.message + "|" + (intact ? "intact" : "CHANGED") + "|" + listing;
}

TEST(ReadOnlyLocation, AReadOnlyMountIsAClearIoErrorNamingThePath) {
  tbrel::TempDir tmp;
  const std::string dir = tmp / "ro";
  tbrel::fs::create_directory(dir);
  Child child = in_mount_namespace([&] {
    std::string skip = mount_tmpfs(dir, "size=1m", MS_RDONLY);
    return skip.empty() ? report(materialize(dir), dir, "") : skip;
  });
  if (child.skipped) GTEST_SKIP() << "no read-only mount possible here: " << child.text;
  EXPECT_EQ(child.text.rfind(std::to_string(TRUSTBUNDLE_E_IO) + "|", 0), 0u) << child.text;
  EXPECT_NE(child.text.find(dir + "/cacert.pem"), std::string::npos) << child.text;
  EXPECT_NE(child.text.find("Read-only file system"), std::string::npos) << child.text;
}

TEST(ReadOnlyLocation, AReadOnlyMountHoldingTheRightFileIsReused) {
  tbrel::TempDir tmp;
  const std::string dir = tmp / "ro";
  tbrel::fs::create_directory(dir);
  Child child = in_mount_namespace([&] {
    std::string skip = mount_tmpfs(dir, "size=1m", 0);
    if (!skip.empty()) return skip;
    tbrel::write_file(dir + "/cacert.pem", tbrel::embedded_pem());
    if (::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      return std::string("SKIP remount read-only: ") + std::strerror(errno);
    Materialized m = materialize(dir);
    return report(m, dir, tbrel::embedded_pem()) + "|" + m.path;
  });
  if (child.skipped) GTEST_SKIP() << "no read-only mount possible here: " << child.text;
  EXPECT_EQ(child.text, "0||intact|cacert.pem,|" + dir + "/cacert.pem");
}

TEST(ReadOnlyLocation, AReadOnlyMountHoldingADamagedFileFailsAndKeepsIt) {
  tbrel::TempDir tmp;
  const std::string dir = tmp / "ro";
  tbrel::fs::create_directory(dir);
  Child child = in_mount_namespace([&] {
    std::string skip = mount_tmpfs(dir, "size=1m", 0);
    if (!skip.empty()) return skip;
    tbrel::write_file(dir + "/cacert.pem", old_content());
    if (::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      return std::string("SKIP remount read-only: ") + std::strerror(errno);
    return report(materialize(dir), dir, old_content());
  });
  if (child.skipped) GTEST_SKIP() << "no read-only mount possible here: " << child.text;
  EXPECT_EQ(child.text.rfind(std::to_string(TRUSTBUNDLE_E_IO) + "|", 0), 0u) << child.text;
  EXPECT_NE(child.text.find("Read-only file system"), std::string::npos) << child.text;
  EXPECT_NE(child.text.find("|intact|cacert.pem,"), std::string::npos) << child.text;
}

TEST(ReadOnlyLocation, ADirectoryUnderARegularFileIsAClearIoError) {
  tbrel::TempDir tmp;
  tbrel::write_file(tmp / "file", "not a directory");
  const std::string dir = tmp / "file/cache";
  Materialized m = materialize(dir);
  EXPECT_EQ(m.status, TRUSTBUNDLE_E_IO) << m.message;
  EXPECT_NE(m.message.find(dir), std::string::npos) << m.message;
  EXPECT_NE(m.message.find("Not a directory"), std::string::npos) << m.message;
  EXPECT_EQ(tbrel::read_file(tmp / "file"), "not a directory");
}

// ------------------------------------------------------------- full disk

TEST(FullDisk, ATinyTmpfsFailsCleanlyAndKeepsTheOldFile) {
  tbrel::TempDir tmp;
  const std::string dir = tmp / "small";
  tbrel::fs::create_directory(dir);
  Child child = in_mount_namespace([&] {
    std::string skip = mount_tmpfs(dir, "size=160k", 0);  // the old file fits, the bundle does not
    if (!skip.empty()) return skip;
    tbrel::write_file(dir + "/cacert.pem", old_content());
    return report(materialize(dir), dir, old_content());
  });
  if (child.skipped) GTEST_SKIP() << "no tmpfs mount possible here: " << child.text;
  EXPECT_EQ(child.text.rfind(std::to_string(TRUSTBUNDLE_E_IO) + "|", 0), 0u) << child.text;
  EXPECT_NE(child.text.find("No space left on device"), std::string::npos) << child.text;
  EXPECT_NE(child.text.find(dir + "/cacert.pem"), std::string::npos) << child.text;
  EXPECT_NE(child.text.find("|intact|cacert.pem,"), std::string::npos) << "torn or leftover files: " << child.text;
}

struct ShimCase {
  const char* fault;
  const char* error_text;
};

class ShimFault : public ::testing::TestWithParam<ShimCase> {
 protected:
  tbrel::RunResult run_helper(const std::string& dir, bool with_fault) {
    std::vector<std::string> env;
    if (with_fault) {
      env = {std::string("LD_PRELOAD=") + TB_REL_SHIM, std::string("TB_FAULT=") + GetParam().fault,
             // The shim is not instrumented; ASan builds of the helper must accept it first.
             "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1"};
    }
    return tbrel::run({TB_REL_HELPER, dir}, env);
  }
};

TEST_P(ShimFault, FailsCleanlyKeepsTheOldFileThenRecovers) {
  tbrel::TempDir tmp;
  const std::string dir = tmp.path();
  tbrel::write_file(tmp / "cacert.pem", old_content());
  tbrel::RunResult r = run_helper(dir, true);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.rfind("error IO: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(dir + "/cacert.pem"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(GetParam().error_text), std::string::npos) << r.out;
  EXPECT_TRUE(tbrel::read_file(tmp / "cacert.pem") == old_content()) << "the old file changed";
  EXPECT_EQ(tbrel::list_dir(dir), std::vector<std::string>{"cacert.pem"}) << "a temporary file was left behind";

  r = run_helper(dir, false);  // the fault gone, the next call repairs
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(tbrel::read_file(tmp / "cacert.pem") == tbrel::embedded_pem());
}

TEST_P(ShimFault, WithNoOldFileLeavesNothingBehind) {
  tbrel::TempDir tmp;
  tbrel::RunResult r = run_helper(tmp.path(), true);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find(GetParam().error_text), std::string::npos) << r.out;
  EXPECT_TRUE(tbrel::list_dir(tmp.path()).empty()) << "a partial or temporary file was left behind";
}

INSTANTIATE_TEST_SUITE_P(Faults, ShimFault,
                         ::testing::Values(ShimCase{"write-enospc", "No space left on device"},
                                           ShimCase{"fsync-eio", "Input/output error"},
                                           ShimCase{"rename-eio", "Input/output error"}),
                         [](const ::testing::TestParamInfo<ShimCase>& info) {
                           std::string name = info.param.fault;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

// ---------------------------------------------------------- damaged cache

TEST(CorruptedCache, EveryKindOfDamageIsDetectedAndRewritten) {
  const std::string good = tbrel::embedded_pem();
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x01;  // same size, one bit: only a full comparison sees it
  const std::vector<std::pair<std::string, std::string>> damage = {
      {"one bit flipped", flipped},       {"truncated by one byte", good.substr(0, good.size() - 1)},
      {"cut in half", good.substr(0, good.size() / 2)}, {"garbage appended", good + "garbage"},
      {"empty", ""},                      {"another bundle", old_content()}};
  for (const auto& [what, content] : damage) {
    SCOPED_TRACE(what);
    tbrel::TempDir tmp;
    tbrel::write_file(tmp / "cacert.pem", content);
    Materialized m = materialize(tmp.path());
    ASSERT_EQ(m.status, TRUSTBUNDLE_OK) << m.message;
    EXPECT_EQ(m.path, tmp / "cacert.pem");
    EXPECT_TRUE(tbrel::read_file(m.path) == good) << "not rewritten";
    EXPECT_EQ(tbrel::list_dir(tmp.path()), std::vector<std::string>{"cacert.pem"});
  }
}

TEST(CorruptedCache, ADirectoryInTheFilesPlaceIsAClearIoError) {
  tbrel::TempDir tmp;
  tbrel::fs::create_directory(tmp / "cacert.pem");
  Materialized m = materialize(tmp.path());
  EXPECT_EQ(m.status, TRUSTBUNDLE_E_IO) << m.message;
  EXPECT_NE(m.message.find(tmp / "cacert.pem"), std::string::npos) << m.message;
  EXPECT_EQ(tbrel::list_dir(tmp.path()), std::vector<std::string>{"cacert.pem"});
}

// ------------------------------------------------------------------ race

constexpr int kProcesses = 16;
constexpr int kIterations = 100;

// One racer: kIterations times, sometimes delete the file (so writers keep
// writing), run `where`, check its output, then read the file: it may be
// missing (another racer just deleted it) but never partial or wrong.
// Exit codes: 0 fine, 10 `where` failed, 11 a partial or wrong file, 12
// `where` printed something else.
[[noreturn]] void racer(int id, const std::vector<std::string>& argv, const std::string& file,
                        const std::string& expected, const std::string& out_path) {
  for (int i = 0; i < kIterations; ++i) {
    if ((i + id) % 8 == 0) ::unlink(file.c_str());
    pid_t pid = ::fork();
    if (pid == 0) {
      int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    if (tbrel::wait_exit_code(pid) != 0) ::_exit(10);
    std::string printed = tbrel::read_file(out_path);
    if (printed != file + "\n" && printed != "ok " + file + "\n") ::_exit(12);
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (f == nullptr) continue;  // deleted by another racer in between
    std::string seen;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) seen.append(buf, n);
    std::fclose(f);
    if (seen != expected) ::_exit(11);
  }
  ::_exit(0);
}

TEST(MaterializeRace, SixteenProcessesTimesHundredIterations) {
  tbrel::TempDir tmp;
  const std::string dir = tmp / "cache";
  const std::string file = dir + "/cacert.pem";
  const std::string expected = tbrel::embedded_pem();
  const std::string cli = TB_REL_CLI;
  // The CLI when it is built (as users run it), else the C ABI helper.
  std::vector<std::string> argv = cli.empty() ? std::vector<std::string>{TB_REL_HELPER, dir}
                                              : std::vector<std::string>{cli, "where", "--dir", dir};
  std::vector<pid_t> pids;
  for (int id = 0; id < kProcesses; ++id) {
    pid_t pid = ::fork();
    if (pid == 0) racer(id, argv, file, expected, tmp / ("out" + std::to_string(id)));
    ASSERT_GT(pid, 0);
    pids.push_back(pid);
  }
  // Meanwhile this process reads as fast as it can: same rule.
  std::atomic<bool> done{false};
  size_t complete_reads = 0, bad_reads = 0;
  std::thread reader([&] {
    while (!done) {
      std::FILE* f = std::fopen(file.c_str(), "rb");
      if (f == nullptr) continue;
      std::string seen;
      char buf[65536];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) seen.append(buf, n);
      std::fclose(f);
      (seen == expected ? complete_reads : bad_reads)++;
    }
  });
  std::vector<int> codes;
  for (pid_t pid : pids) codes.push_back(tbrel::wait_exit_code(pid));
  done = true;
  reader.join();
  for (int id = 0; id < kProcesses; ++id) EXPECT_EQ(codes[id], 0) << "racer " << id << " (10 where failed, 11 torn read)";
  EXPECT_EQ(bad_reads, 0u) << "partial or wrong cacert.pem seen by the reader";
  EXPECT_GT(complete_reads, 0u);
  EXPECT_EQ(tbrel::list_dir(dir), std::vector<std::string>{"cacert.pem"}) << "temporary files left behind";
}

}  // namespace
