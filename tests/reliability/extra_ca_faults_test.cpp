// Extra-CA directories that fight back: a symlink loop, an unreadable
// file, a 100 MB garbage file. Each gives a clear error naming the file,
// in bounded time (< 5 s) and bounded memory (the size is checked before a
// byte is read, so peak RSS grows by far less than the file).
//
// Each load runs in a forked child so its peak RSS (ru_maxrss) is measured
// from a clean start, not hidden under this process's earlier peaks.
#include <string>

#include "reliability_support.h"

namespace {

constexpr double kMaxSeconds = 5.0;
constexpr long kMaxGrowthKiB = 8 * 1024;  // the garbage is 100 MiB; the input limit 16 MiB

struct Load {
  int status = 0;
  std::string message;
  double seconds = 0;
  long rss_growth_kib = 0;
};

// One load of a good CA first, so one-time costs (OpenSSL's and the
// allocator's, a sanitizer's shadow memory) are not counted as growth.
void warm_up() {
  const std::string root = tbrel::fixed_root();
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.env = 0;
  trustbundle_store_builder* builder = nullptr;
  trustbundle_store* store = nullptr;
  trustbundle_store_builder_new(&builder, &options, nullptr);
  trustbundle_store_builder_add_data(builder, tbrel::bytes(root), root.size(), "warm-up", nullptr);
  trustbundle_store_build(&store, builder, nullptr);
  trustbundle_store_free(store);
  trustbundle_store_builder_free(builder);
}

// trustbundle_store_builder_add_path(path), or with env_var set,
// trustbundle_store_new_default() with TRUSTBUNDLE_EXTRA_CA_CERTS=path.
// drop_root: a child running as root becomes nobody first, so that file
// permissions apply to it (root reads a chmod 000 file anyway).
Load load_in_child(const std::string& path, bool env_var = false, bool drop_root = false) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (drop_root && ::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      std::string report = "-999\n0\n0\ncannot become nobody";
      (void)!::write(fds[1], report.data(), report.size());
      ::_exit(0);
    }
    warm_up();
    long before = tbrel::max_rss_kib();
    auto start = std::chrono::steady_clock::now();
    trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
    int status;
    if (env_var) {
      ::setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", path.c_str(), 1);
      trustbundle_store* store = nullptr;
      status = trustbundle_store_new_default(&store, &error);
      trustbundle_store_free(store);
    } else {
      trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
      options.env = 0;
      trustbundle_store_builder* builder = nullptr;
      trustbundle_store_builder_new(&builder, &options, nullptr);
      status = trustbundle_store_builder_add_path(builder, path.c_str(), &error);
      trustbundle_store_builder_free(builder);
    }
    std::string report = std::to_string(status) + "\n" + std::to_string(tbrel::seconds_since(start)) + "\n" +
                         std::to_string(tbrel::max_rss_kib() - before) + "\n" + error.message;
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
  Load load;
  std::istringstream in(text);
  in >> load.status >> load.seconds >> load.rss_growth_kib;
  in.get();
  std::getline(in, load.message, '\0');
  return load;
}

void expect_bounded(const Load& load) {
  std::printf("  took %.3f s, peak RSS grew by %ld KiB\n", load.seconds, load.rss_growth_kib);
  EXPECT_LT(load.seconds, kMaxSeconds) << load.message;
  EXPECT_LT(load.rss_growth_kib, kMaxGrowthKiB) << "peak RSS grew by " << load.rss_growth_kib << " KiB";
}

// 100 MiB of pseudo-random bytes (xorshift), written in 1 MiB blocks.
void write_garbage(const std::string& path, size_t mib) {
  std::ofstream out(path, std::ios::binary);
  std::string block(1 << 20, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < mib; ++i) {
    for (size_t k = 0; k < block.size(); k += 8) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::memcpy(&block[k], &x, 8);
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
}

class ExtraCaFaults : public ::testing::Test {
 protected:
  void SetUp() override { tbrel::write_file(tmp_ / "good.pem", tbrel::fixed_root()); }
  tbrel::TempDir tmp_;
};

TEST_F(ExtraCaFaults, TheGoodDirectoryLoads) {
  Load load = load_in_child(tmp_.path());
  EXPECT_EQ(load.status, TRUSTBUNDLE_OK) << load.message;
  expect_bounded(load);
}

TEST_F(ExtraCaFaults, ASymlinkLoopIsAnIoErrorNamingIt) {
  tbrel::fs::create_symlink("loop-b.pem", tmp_ / "loop-a.pem");
  tbrel::fs::create_symlink("loop-a.pem", tmp_ / "loop-b.pem");
  Load load = load_in_child(tmp_.path());
  EXPECT_EQ(load.status, TRUSTBUNDLE_E_IO) << load.message;
  EXPECT_NE(load.message.find(tmp_ / "loop-a.pem"), std::string::npos) << load.message;
  EXPECT_NE(load.message.find("Too many levels of symbolic links"), std::string::npos) << load.message;
  expect_bounded(load);
}

TEST_F(ExtraCaFaults, ALinkToTheDirectoryItselfIsNotFollowedIntoARecursion) {
  tbrel::fs::create_directory_symlink(".", tmp_ / "self.pem");  // a CA file name, but a directory
  Load load = load_in_child(tmp_.path());
  EXPECT_EQ(load.status, TRUSTBUNDLE_OK) << load.message;  // skipped: not a regular file
  expect_bounded(load);
}

TEST_F(ExtraCaFaults, AnUnreadableFileIsAnIoErrorNamingIt) {
  tbrel::write_file(tmp_ / "secret.pem", tbrel::fixed_root());
  ::chmod((tmp_ / "secret.pem").c_str(), 0);
  ::chmod(tmp_.path().c_str(), 0755);  // nobody may list it, not read the file
  Load load = load_in_child(tmp_.path(), false, /*drop_root=*/true);
  if (load.status == -999) GTEST_SKIP() << "running as root and cannot switch to nobody: " << load.message;
  EXPECT_EQ(load.status, TRUSTBUNDLE_E_IO) << load.message;
  EXPECT_NE(load.message.find(tmp_ / "secret.pem"), std::string::npos) << load.message;
  EXPECT_NE(load.message.find("Permission denied"), std::string::npos) << load.message;
  expect_bounded(load);
}

TEST_F(ExtraCaFaults, AHundredMegabyteGarbageFileIsALimitErrorNamingIt) {
  write_garbage(tmp_ / "huge.crt", 100);
  for (bool env_var : {false, true}) {
    SCOPED_TRACE(env_var ? "TRUSTBUNDLE_EXTRA_CA_CERTS" : "add_path");
    for (const std::string& path : {tmp_.path(), tmp_ / "huge.crt"}) {
      Load load = load_in_child(path, env_var);
      EXPECT_EQ(load.status, TRUSTBUNDLE_E_LIMIT) << load.message;
      EXPECT_NE(load.message.find(tmp_ / "huge.crt"), std::string::npos) << load.message;
      if (env_var) {
        EXPECT_NE(load.message.find("TRUSTBUNDLE_EXTRA_CA_CERTS"), std::string::npos) << load.message;
      }
      expect_bounded(load);
    }
  }
}

TEST_F(ExtraCaFaults, GarbageJustUnderTheLimitIsAParseErrorNamingIt) {
  write_garbage(tmp_ / "noise.der", TRUSTBUNDLE_MAX_INPUT_BYTES >> 20);  // exactly the limit: read, then refused
  Load load = load_in_child(tmp_.path());
  EXPECT_EQ(load.status, TRUSTBUNDLE_E_PARSE) << load.message;
  EXPECT_NE(load.message.find(tmp_ / "noise.der"), std::string::npos) << load.message;
  EXPECT_LT(load.seconds, kMaxSeconds) << load.message;
  std::printf("  took %.3f s, peak RSS grew by %ld KiB\n", load.seconds, load.rss_growth_kib);
  // It is read (16 MiB), so only a looser memory bound holds: a few copies at most.
  EXPECT_LT(load.rss_growth_kib, 4 * 16 * 1024) << "peak RSS grew by " << load.rss_growth_kib << " KiB";
}

TEST_F(ExtraCaFaults, AllTogetherTheFirstBadFileIsNamedQuickly) {
  tbrel::fs::create_symlink("loop-b.pem", tmp_ / "loop-a.pem");
  tbrel::fs::create_symlink("loop-a.pem", tmp_ / "loop-b.pem");
  write_garbage(tmp_ / "huge.crt", 100);
  tbrel::write_file(tmp_ / "secret.pem", tbrel::fixed_root());
  ::chmod((tmp_ / "secret.pem").c_str(), 0);
  Load load = load_in_child(tmp_.path());
  // Names are read in sorted order: good.pem, huge.crt, loop-a.pem, ...
  EXPECT_EQ(load.status, TRUSTBUNDLE_E_LIMIT) << load.message;
  EXPECT_NE(load.message.find(tmp_ / "huge.crt"), std::string::npos) << load.message;
  expect_bounded(load);
}

}  // namespace
