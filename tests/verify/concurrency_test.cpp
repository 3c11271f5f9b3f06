// One store, many threads: 8 threads x N verifications of the valid chain
// on ONE shared store (Mozilla + Test Root CA as an extra CA), every result
// checked; and 8 threads hitting the default store's lazy root lookup at
// the same time (roots parsed on first use, concurrently).
//
// N comes from TB_VERIFY_ITERATIONS (default 10,000). CTest runs it twice:
// verify_concurrency_stress (label "stress", 8 x 10,000) and
// verify_concurrency_quick (8 x 500). Run the stress one under TSan as
// described in CMakeLists.txt.
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "verify/embedded_lookup.h"
#include "verify_support.h"

namespace {

constexpr int kThreads = 8;

int iterations() {
  const char* env = std::getenv("TB_VERIFY_ITERATIONS");
  if (env == nullptr || *env == '\0') return 10000;
  int n = std::atoi(env);
  return n > 0 ? n : 10000;
}

// Collects the first few failures from any thread (gtest assertions from
// worker threads are avoided: they would flood on a systematic failure).
class Failures {
 public:
  void add(const std::string& what) {
    count_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex_);
    if (first_.size() < 10) first_.push_back(what);
  }
  long count() const { return count_.load(); }
  std::string summary() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    for (const std::string& f : first_) out += "  " + f + "\n";
    return out;
  }

 private:
  std::atomic<long> count_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> first_;
};

struct Outcome {
  int status = 0;
  int ok = 0;
  int reason = -1;
  int depth = -2;
  size_t chain_count = 0;
  std::string anchor;  // DER of the last certificate of the verified chain
  bool operator==(const Outcome& o) const {
    return status == o.status && ok == o.ok && reason == o.reason && depth == o.depth && chain_count == o.chain_count &&
           anchor == o.anchor;
  }
  std::string str() const {
    return std::string(trustbundle_status_name(status)) + " ok=" + std::to_string(ok) + " " +
           trustbundle_reason_name(reason) + " depth=" + std::to_string(depth) +
           " chain=" + std::to_string(chain_count);
  }
};

Outcome verify_once(const trustbundle_store* store, const tbv::PackedChain& chain, const char* host, int64_t at) {
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = host;
  opts.has_time = 1;
  opts.time = at;
  trustbundle_result* raw = nullptr;
  Outcome o;
  o.status = trustbundle_verify(&raw, store, chain.data(), chain.lengths.data(), chain.lengths.size(), &opts, nullptr);
  tbv::ResultPtr result(raw);
  if (!result) return o;
  o.ok = trustbundle_result_ok(result.get());
  o.reason = trustbundle_result_reason(result.get());
  o.depth = trustbundle_result_depth(result.get());
  o.chain_count = trustbundle_result_chain_count(result.get());
  if (o.chain_count > 0) {
    size_t len = 0;
    const unsigned char* der = trustbundle_result_chain_der(result.get(), o.chain_count - 1, &len);
    o.anchor.assign(reinterpret_cast<const char*>(der), len);
  }
  return o;
}

const int64_t kAt = 1780272000;  // 2026-06-01T00:00:00Z, the vectors' check time

TEST(Concurrency, OneStoreEightThreadsValidChain) {
  TBV_REQUIRE_PKI();
  tbv::ScopedEnv no_env("TRUSTBUNDLE_EXTRA_CA_CERTS", std::nullopt);
  ASSERT_EQ(tbv::parse_time("2026-06-01T00:00:00Z"), kAt);
  const int n = iterations();
  tbv::StorePtr store = tbv::make_store(/*mozilla=*/true, {tbv::pki("root.pem")});
  const tbv::PackedChain chain = tbv::chain_of_files({"valid/leaf.pem", "valid/intermediate.pem"});
  const std::string root_der = tbv::der_of(tbv::read_pem_certs(tbv::pki("root.pem")).at(0).get());

  Outcome expected;
  expected.ok = 1;
  expected.reason = TRUSTBUNDLE_REASON_OK;
  expected.depth = -1;
  expected.chain_count = 3;
  expected.anchor = root_der;

  Failures failures;
  std::atomic<long> done{0};
  std::atomic<int> ready{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();  // start together
      for (int i = 0; i < n; ++i) {
        Outcome got = verify_once(store.get(), chain, "a.example.test", kAt);
        if (!(got == expected))
          failures.add("thread " + std::to_string(t) + " iteration " + std::to_string(i) + ": " + got.str());
        done.fetch_add(1);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  EXPECT_EQ(done.load(), static_cast<long>(kThreads) * n);
  EXPECT_EQ(failures.count(), 0) << failures.summary();
  std::printf("%d threads x %d verifications on one store: %.2f s (%.0f/s)\n", kThreads, n, seconds,
              static_cast<double>(kThreads) * n / seconds);
}

// The default store parses Mozilla roots on first use; 8 threads make it
// parse the same roots at the same time. The "chain" is an embedded root
// itself: its issuer lookup finds (and parses) that root. A second case
// misses the lookup (Test Root CA is not a Mozilla root).
TEST(Concurrency, DefaultStoreLazyLookupFromEightThreads) {
  TBV_REQUIRE_PKI();
  tbv::ScopedEnv no_env("TRUSTBUNDLE_EXTRA_CA_CERTS", std::nullopt);
  const size_t parsed_before = trustbundle::embedded_roots_parsed();
  const int rounds = std::max(1, iterations() / 100);

  // 16 embedded roots, and every root whose subject hash equals theirs (the
  // lookup parses those too, to compare names).
  constexpr size_t kRoots = 16;
  std::vector<tbv::PackedChain> roots;
  std::set<unsigned long> hashes;
  const size_t total = trustbundle_root_count();
  ASSERT_GE(total, kRoots);
  auto hash_of = [](const unsigned char* der, size_t len) {
    const unsigned char* p = der;
    tbv::X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(len)));
    return x ? X509_NAME_hash_ex(X509_get_subject_name(x.get()), nullptr, nullptr, nullptr) : 0ul;
  };
  for (size_t i = 0; i < kRoots; ++i) {
    trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
    ASSERT_EQ(trustbundle_root_get(&info, i * (total / kRoots), nullptr), TRUSTBUNDLE_OK);
    tbv::PackedChain c;
    c.add(std::string(reinterpret_cast<const char*>(info.der), info.der_len));
    roots.push_back(c);
    hashes.insert(hash_of(info.der, info.der_len));
  }
  size_t expected_parsed = 0;
  for (size_t i = 0; i < total; ++i) {
    trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
    ASSERT_EQ(trustbundle_root_get(&info, i, nullptr), TRUSTBUNDLE_OK);
    if (hashes.count(hash_of(info.der, info.der_len))) ++expected_parsed;
  }
  const tbv::PackedChain test_chain = tbv::chain_of_files({"valid/leaf.pem", "valid/intermediate.pem"});

  tbv::StorePtr store = tbv::default_store();
  std::vector<std::vector<Outcome>> seen(kThreads, std::vector<Outcome>(kRoots));
  std::vector<Outcome> seen_test(kThreads);
  Failures failures;
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int r = 0; r < rounds; ++r) {
        for (size_t k = 0; k < kRoots; ++k) {
          size_t i = (k + static_cast<size_t>(t) * 3) % kRoots;  // each thread in its own order
          Outcome got = verify_once(store.get(), roots[i], nullptr, kAt);
          if (r == 0)
            seen[t][i] = got;
          else if (!(got == seen[t][i]))
            failures.add("thread " + std::to_string(t) + " root " + std::to_string(i) + " changed: " + got.str());
        }
        Outcome got = verify_once(store.get(), test_chain, "a.example.test", kAt);
        if (r == 0) seen_test[t] = got;
        if (!(got.status == TRUSTBUNDLE_OK && got.ok == 0 &&
              got.reason == TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY && got.depth == 1))
          failures.add("thread " + std::to_string(t) + " test chain on the default store: " + got.str());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.count(), 0) << failures.summary();

  // Every thread saw what one thread sees alone, on a store made afterwards.
  tbv::StorePtr fresh = tbv::default_store();
  for (size_t i = 0; i < kRoots; ++i) {
    Outcome alone = verify_once(fresh.get(), roots[i], nullptr, kAt);
    EXPECT_EQ(alone.status, TRUSTBUNDLE_OK);
    EXPECT_NE(alone.reason, TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
        << "root " << i << " was not found by the lazy lookup: " << alone.str();
    for (int t = 0; t < kThreads; ++t)
      EXPECT_TRUE(seen[t][i] == alone) << "thread " << t << " root " << i << ": " << seen[t][i].str() << " vs "
                                       << alone.str();
  }
  // Only the roots asked for were parsed, each once.
  const size_t parsed_after = trustbundle::embedded_roots_parsed();
  EXPECT_LE(parsed_after - parsed_before, expected_parsed);
  if (parsed_before == 0) {
    EXPECT_EQ(parsed_after, expected_parsed);
  }
  EXPECT_LT(parsed_after, total) << "the whole bundle was parsed";
}

}  // namespace
