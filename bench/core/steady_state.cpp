// Benchmark: steady-state verifications per second (issue 3, "Benchmark",
// item 2).
//
//   trustbundle: one shared store from trustbundle_store_new_default; each
//                call is trustbundle_verify(DER leaf + intermediates, host,
//                time) + trustbundle_result_free. The chain is parsed on
//                every call: that is part of its honest cost.
//   raw:         a pre-built X509_STORE holding only the needed root;
//                pre-parsed X509* leaf and intermediates; each call is
//                X509_STORE_CTX_new/init + the same policy + X509_verify_cert
//                + X509_STORE_CTX_free.
//
// Both sides run with 1 and 2 threads (the threads share one store), in
// alternating slices of --seconds, --rounds times; the medians are compared.
//
// A benchmark, not a test: exits 0 whatever the ratio, 1 only if a
// verification that must succeed fails, 2 on bad usage.
#include <atomic>
#include <thread>

#include "bench_util.h"
#include "trustbundle/trustbundle.h"

using namespace tbbench;

namespace {

const char kUsage[] =
    "usage: tb_bench_steady_state --leaf LEAF.pem --intermediates INTERMEDIATES.pem --root ROOT.pem\n"
    "                             --host HOST --time UNIX_SECONDS [--extra-ca ROOT.pem]\n"
    "                             [--seconds 1.0] [--rounds 5] [--threads 1,2] [--label TEXT]\n"
    "  --root      the one root the raw X509_STORE holds (the chain's anchor)\n"
    "  --extra-ca  a CA that is not a Mozilla root (test PKI fallback), given to the trustbundle store\n"
    "              through TRUSTBUNDLE_EXTRA_CA_CERTS\n"
    "Prints medians, the ratio trustbundle/raw and the target; rows for bench/core/run start with 'ROW|'.\n";

constexpr double kTarget = 0.5;

struct Inputs {
  std::string host;
  int64_t time = 0;
  // trustbundle: DER bytes, back to back, leaf first.
  std::string chain;
  std::vector<size_t> lengths;
  trustbundle_store* tb_store = nullptr;
  // raw: pre-parsed.
  X509* leaf = nullptr;
  STACK_OF(X509)* untrusted = nullptr;
  X509_STORE* raw_store = nullptr;
};

std::atomic<bool> g_broken{false};

bool tb_once(const Inputs& in, const trustbundle_verify_options& opts) {
  trustbundle_result* result = nullptr;
  int rc = trustbundle_verify(&result, in.tb_store, reinterpret_cast<const unsigned char*>(in.chain.data()),
                              in.lengths.data(), in.lengths.size(), &opts, nullptr);
  bool ok = rc == TRUSTBUNDLE_OK && trustbundle_result_ok(result);
  trustbundle_result_free(result);
  return ok;
}

bool raw_once(const Inputs& in) { return raw_verify(in.raw_store, in.leaf, in.untrusted, in.host, in.time) == X509_V_OK; }

// Informational: the raw loop, but parsing the DER chain on every call as
// trustbundle_verify must (d2i_X509 of each certificate).
bool raw_parse_once(const Inputs& in) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(in.chain.data());
  X509* leaf = d2i_X509(nullptr, &p, static_cast<long>(in.lengths[0]));
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (size_t i = 1; i < in.lengths.size(); ++i) sk_X509_push(untrusted, d2i_X509(nullptr, &p, static_cast<long>(in.lengths[i])));
  bool ok = leaf != nullptr && raw_verify(in.raw_store, leaf, untrusted, in.host, in.time) == X509_V_OK;
  sk_X509_pop_free(untrusted, X509_free);
  X509_free(leaf);
  return ok;
}

struct Rate {
  double per_s = 0;      // verifications per wall-clock second, all threads
  double per_cpu_s = 0;  // verifications per CPU-second of the process
};

// Runs `threads` workers calling one verification until the deadline.
template <typename F>
Rate rate(int threads, double seconds, F once) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<long> counts(static_cast<size_t>(threads), 0);
  std::vector<double> ends(static_cast<size_t>(threads), 0);
  double start = 0;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) {
      }
      const double deadline = start + seconds * 1e6;
      long n = 0;
      double now = 0;
      do {
        if (!once()) g_broken.store(true);
        ++n;
        now = now_us();
      } while (now < deadline);
      counts[static_cast<size_t>(t)] = n;
      ends[static_cast<size_t>(t)] = now;
    });
  }
  while (ready.load() < threads) {
  }
  const double cpu0 = cpu_us();
  start = now_us();
  go.store(true, std::memory_order_release);
  for (std::thread& th : pool) th.join();
  const double cpu = cpu_us() - cpu0;
  long total = 0;
  for (long c : counts) total += c;
  return {static_cast<double>(total) / ((max_of(ends) - start) / 1e6), static_cast<double>(total) / (cpu / 1e6)};
}

std::string per_s(double v) { return fmt("%.0f/s", v); }

}  // namespace

int main(int argc, char** argv) {
  Args a = parse_args(argc, argv, kUsage);
  Inputs in;
  in.host = a.need("host");
  in.time = parse_unix(a.need("time"));
  const double seconds = std::atof(a.get("seconds", "1.0").c_str());
  const int rounds = std::atoi(a.get("rounds", "5").c_str());
  if (seconds <= 0 || rounds < 1) die("--seconds and --rounds must be positive", 2);
  std::vector<int> thread_counts;
  {
    std::stringstream ss(a.get("threads", "1,2"));
    std::string item;
    while (std::getline(ss, item, ','))
      if (std::atoi(item.c_str()) > 0) thread_counts.push_back(std::atoi(item.c_str()));
    if (thread_counts.empty()) die("--threads needs a list like 1,2", 2);
  }

  // Inputs, parsed once.
  std::vector<X509*> leaf = parse_pem_certs(read_file(a.need("leaf")), "the leaf file");
  std::vector<X509*> inter = parse_pem_certs(read_file(a.need("intermediates")), "the intermediates file");
  std::vector<X509*> root = parse_pem_certs(read_file(a.need("root")), "the root file");
  in.leaf = leaf[0];
  in.untrusted = sk_X509_new_null();
  for (X509* c : inter) sk_X509_push(in.untrusted, c);
  std::vector<X509*> chain_certs = {leaf[0]};
  chain_certs.insert(chain_certs.end(), inter.begin(), inter.end());
  for (X509* c : chain_certs) {
    std::string der = der_of(c);
    in.chain += der;
    in.lengths.push_back(der.size());
  }
  in.raw_store = X509_STORE_new();
  if (in.raw_store == nullptr || X509_STORE_add_cert(in.raw_store, root[0]) != 1) die("cannot build the raw store");

  if (a.has("extra-ca"))
    setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", a.get("extra-ca").c_str(), 1);
  else
    unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS");
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  if (trustbundle_store_new_default(&in.tb_store, &err) != TRUSTBUNDLE_OK)
    die(std::string("trustbundle_store_new_default: ") + err.message);
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = in.host.c_str();
  opts.has_time = 1;
  opts.time = in.time;

  // Sanity: both accept, and trustbundle anchors at the same root the raw
  // store holds (so both sides do the same signature checks).
  {
    trustbundle_result* result = nullptr;
    if (trustbundle_verify(&result, in.tb_store, reinterpret_cast<const unsigned char*>(in.chain.data()),
                           in.lengths.data(), in.lengths.size(), &opts, &err) != TRUSTBUNDLE_OK)
      die(std::string("trustbundle_verify: ") + err.message);
    if (!trustbundle_result_ok(result))
      die(std::string("trustbundle rejected the chain: ") + trustbundle_reason_name(trustbundle_result_reason(result)) +
          ": " + trustbundle_result_message(result));
    size_t n = trustbundle_result_chain_count(result), len = 0;
    const unsigned char* anchor = trustbundle_result_chain_der(result, n - 1, &len);
    std::string root_der = der_of(root[0]);
    if (anchor == nullptr || std::string(reinterpret_cast<const char*>(anchor), len) != root_der)
      die("trustbundle verified the chain to another anchor than --root: the comparison would not be like for like");
    std::printf("both sides accept; verified chain: %zu certificates, anchored at the --root certificate\n", n);
    trustbundle_result_free(result);
    int e = raw_verify(in.raw_store, in.leaf, in.untrusted, in.host, in.time);
    if (e != X509_V_OK) die(std::string("raw X509_verify_cert rejected the chain: ") + X509_verify_cert_error_string(e));
  }
  // Warm-up (the lazy root is parsed and cached by the first call above).
  (void)rate(1, 0.2, [&] { return tb_once(in, opts); });
  (void)rate(1, 0.2, [&] { return raw_once(in); });

  std::printf("== Steady state: verifications per second (%d rounds of %.2f s per side, alternating) ==\n", rounds,
              seconds);
  std::printf("chain: %s, host %s; trustbundle: shared default store, DER chain parsed per call;\n"
              "raw: X509_verify_cert, pre-parsed X509*, X509_STORE with only the root, same flags;\n"
              "raw+parse (informational): the raw loop plus d2i_X509 of the DER chain on every call\n",
              a.get("label", "the chain").c_str(), in.host.c_str());
  std::vector<std::string> rows;
  for (int threads : thread_counts) {
    std::vector<double> tb, raw, rawp, tb_cpu, raw_cpu;
    auto add = [](std::vector<double>& wall, std::vector<double>* cpu, Rate r) {
      wall.push_back(r.per_s);
      if (cpu != nullptr) cpu->push_back(r.per_cpu_s);
    };
    for (int r = 0; r < rounds; ++r) {
      if (r % 2 == 0) {
        add(tb, &tb_cpu, rate(threads, seconds, [&] { return tb_once(in, opts); }));
        add(raw, &raw_cpu, rate(threads, seconds, [&] { return raw_once(in); }));
        add(rawp, nullptr, rate(threads, seconds, [&] { return raw_parse_once(in); }));
      } else {
        add(rawp, nullptr, rate(threads, seconds, [&] { return raw_parse_once(in); }));
        add(raw, &raw_cpu, rate(threads, seconds, [&] { return raw_once(in); }));
        add(tb, &tb_cpu, rate(threads, seconds, [&] { return tb_once(in, opts); }));
      }
    }
    const double ct = median(tb_cpu), cr = median(raw_cpu);
    const double mt = median(tb), mr = median(raw), mp = median(rawp), ratio = mt / mr;
    std::printf("  %d thread%s  trustbundle median %s (min %s, max %s); %.1f us per verification per thread\n", threads,
                threads == 1 ? " " : "s", per_s(mt).c_str(), per_s(min_of(tb)).c_str(), per_s(max_of(tb)).c_str(),
                threads * 1e6 / mt);
    std::printf("             raw         median %s (min %s, max %s); %.1f us per verification per thread\n",
                per_s(mr).c_str(), per_s(min_of(raw)).c_str(), per_s(max_of(raw)).c_str(), threads * 1e6 / mr);
    std::printf("             raw+parse   median %s (min %s, max %s); %.1f us per verification per thread\n",
                per_s(mp).c_str(), per_s(min_of(rawp)).c_str(), per_s(max_of(rawp)).c_str(), threads * 1e6 / mp);
    std::printf("             ratio trustbundle/raw: %.2fx   target: at least %.1fx   %s\n", ratio, kTarget,
                ratio >= kTarget ? "met" : "NOT met");
    std::printf("             ratio trustbundle/raw+parse: %.2fx (informational)\n", mt / mp);
    std::printf("             per CPU-second (not inflated by other work preempting us): trustbundle %s,\n"
                "             raw %s, ratio %.2fx (informational)\n",
                per_s(ct).c_str(), per_s(cr).c_str(), ct / cr);
    char row[512];
    std::snprintf(row, sizeof row, "ROW|steady state, %d thread%s, one shared store (verifications/s, median)|%s|%s|%.2fx of raw|>= %.1fx: %s",
                  threads, threads == 1 ? "" : "s", per_s(mt).c_str(), per_s(mr).c_str(), ratio, kTarget,
                  ratio >= kTarget ? "met" : "NOT met");
    rows.push_back(row);
    std::snprintf(row, sizeof row, "ROW|  same, verifications per CPU-second (informational)|%s|%s|%.2fx of raw|-",
                  per_s(ct).c_str(), per_s(cr).c_str(), ct / cr);
    rows.push_back(row);
    std::snprintf(row, sizeof row, "ROW|  same, against raw + d2i_X509 of the DER chain per call (informational)|%s|%s|%.2fx of raw+parse|-",
                  per_s(mt).c_str(), per_s(mp).c_str(), mt / mp);
    rows.push_back(row);
  }
  for (const std::string& r : rows) std::printf("%s\n", r.c_str());

  trustbundle_store_free(in.tb_store);
  X509_STORE_free(in.raw_store);
  sk_X509_pop_free(in.untrusted, X509_free);
  X509_free(in.leaf);
  for (X509* c : root) X509_free(c);
  if (g_broken.load()) die("a verification that must succeed failed during the measurement");
  return 0;
}
