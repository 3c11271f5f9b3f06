// The C++ side of bench/node/bench.js: trustbundle_verify in a loop through
// the C ABI, the same work the Node package's verify does per call.
//
//   verify_loop PKI_DIR SECONDS THREADS MODE
//     MODE reuse: one store (Mozilla + PKI_DIR/root.pem) shared by every call
//     MODE build: a new store per call (builder + add the root file + build)
//
// Each call verifies PKI_DIR/valid/leaf.pem + valid/intermediate.pem (PEM, two
// buffers) for host a.example.test at 2026-06-01T00:00:00Z and must accept.
// Prints "<verifications per second>" on stdout; exit 1 if one is rejected.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "trustbundle/trustbundle.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "verify_loop: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

trustbundle_store* build_store(const std::string& root_path) {
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_store_builder* builder = nullptr;
  trustbundle_store* store = nullptr;
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.env = 0;
  if (trustbundle_store_builder_new(&builder, &options, &err) != TRUSTBUNDLE_OK ||
      trustbundle_store_builder_add_path(builder, root_path.c_str(), &err) != TRUSTBUNDLE_OK ||
      trustbundle_store_build(&store, builder, &err) != TRUSTBUNDLE_OK) {
    std::fprintf(stderr, "verify_loop: store: %s\n", err.message);
    std::exit(1);
  }
  trustbundle_store_builder_free(builder);
  return store;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: verify_loop PKI_DIR SECONDS THREADS reuse|build\n");
    return 2;
  }
  const std::string dir = argv[1];
  const double seconds = std::atof(argv[2]);
  const int threads = std::atoi(argv[3]);
  const std::string mode = argv[4];
  if (seconds <= 0 || threads < 1 || (mode != "reuse" && mode != "build")) {
    std::fprintf(stderr, "verify_loop: bad arguments\n");
    return 2;
  }
  const std::string root = dir + "/root.pem";
  const std::string leaf = read_file(dir + "/valid/leaf.pem");
  const std::string inter = read_file(dir + "/valid/intermediate.pem");
  const std::string packed = leaf + inter;
  const size_t lengths[2] = {leaf.size(), inter.size()};
  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  options.host = "a.example.test";
  options.has_time = 1;
  options.time = 1780272000;  // 2026-06-01T00:00:00Z

  trustbundle_store* shared = mode == "reuse" ? build_store(root) : nullptr;
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::vector<long> counts(threads, 0);
  auto work = [&](int t) {
    long n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      trustbundle_store* store = shared != nullptr ? shared : build_store(root);
      trustbundle_result* result = nullptr;
      trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
      if (trustbundle_verify(&result, store, reinterpret_cast<const unsigned char*>(packed.data()), lengths, 2,
                             &options, &err) != TRUSTBUNDLE_OK ||
          trustbundle_result_ok(result) != 1)
        failed = true;
      trustbundle_result_free(result);
      if (shared == nullptr) trustbundle_store_free(store);
      ++n;
    }
    counts[t] = n;
  };
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  trustbundle_store_free(shared);
  if (failed) {
    std::fprintf(stderr, "verify_loop: a verification failed\n");
    return 1;
  }
  long total = 0;
  for (long c : counts) total += c;
  std::printf("%.1f\n", static_cast<double>(total) / elapsed);
  return 0;
}
