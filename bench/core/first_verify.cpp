// Benchmark: the first verification in a fresh process, and the memory it
// leaves behind (issue 3, "Benchmark", items 1 and 3).
//
//   trustbundle: main() -> trustbundle_store_new_default -> trustbundle_verify
//   anchor:      main() -> X509_STORE_new + X509_STORE_load_file(whole bundle)
//                -> X509_verify_cert with the same policy
//
// The driver (this program without --child) re-executes itself as fresh
// child processes, alternating trustbundle and anchor, RUNS times each after
// one discarded warm-up pair. Each child times itself with CLOCK_MONOTONIC
// from its first statement in main() to the verdict, then reads its VmRSS;
// the driver also times each child from fork to exit. Two "warm" kinds do
// the same after an untimed prelude that initialises OpenSSL (parsing the
// chain once), to show "store creation + one verify" against "load the
// bundle + verify" without the start-up both ways share. With --root, a
// "floor" kind verifies against an X509_STORE holding only that root: the
// best any store could do. The "baseline" kind only parses the chain
// (OpenSSL initialised, no store) so the memory each way adds can be told
// apart from the process itself. Children also report CPU time, which
// other work preempting them does not inflate.
//
// The bundle the anchor loads is trustbundle_bundle_pem() written to a
// temporary file (the same roots the lazy store serves), or --bundle FILE.
//
// This is a benchmark, not a test: it prints numbers, ratios and the issue's
// targets and exits 0 whether or not a target is met. It exits 1 only when
// something is broken (a child fails, a verification that must succeed does
// not), 2 on bad usage.
#include <fcntl.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>

#include <openssl/crypto.h>

#include "bench_util.h"
#include "trustbundle/trustbundle.h"

using namespace tbbench;

namespace {

const char kUsage[] =
    "usage: tb_bench_first_verify --leaf LEAF.pem --intermediates INTERMEDIATES.pem --host HOST --time UNIX_SECONDS\n"
    "                             [--root ROOT.pem] [--extra-ca ROOT.pem] [--bundle BUNDLE.pem] [--runs 30] [--label TEXT]\n"
    "  --root      the chain's root: adds an informational \"floor\" child whose X509_STORE holds only it\n"
    "  --extra-ca  a CA that is not a Mozilla root (test PKI fallback): the trustbundle child gets it through\n"
    "              TRUSTBUNDLE_EXTRA_CA_CERTS, the anchor child loads it after the bundle\n"
    "  --bundle    the PEM bundle the anchor loads (default: trustbundle_bundle_pem() in a temporary file)\n"
    "Prints medians, the ratio anchor/trustbundle and the target; rows for bench/core/run start with 'ROW|'.\n";

constexpr double kTargetFirst = 20.0;

struct ChildResult {
  double in_us = 0;    // main() entry to verdict, measured by the child
  double cpu_us = 0;   // CPU time over the same span
  double store_us = 0; // from the same start until the store was ready (created / bundle loaded)
  double wall_us = 0;  // fork to exit, measured by the driver
  long rss_kb = 0;
  long hwm_kb = 0;
  long heap_kb = 0;    // malloc'd bytes in use (mallinfo2().uordblks)
  long objects = -1;   // anchor: objects in the X509_STORE after loading
};

double g_cpu0 = 0;      // CPU time at the start of the timed span
double g_store_at = 0;  // monotonic time when the store was ready

void report_child(double t0, long objects) {
  double t1 = now_us();
  double c1 = cpu_us();
  long rss = proc_status_kb("VmRSS");
  long hwm = proc_status_kb("VmHWM");
  long heap = static_cast<long>(mallinfo2().uordblks / 1024);
  std::printf("us=%.3f cpu_us=%.3f store_us=%.3f rss_kb=%ld hwm_kb=%ld heap_kb=%ld objects=%ld\n", t1 - t0,
              c1 - g_cpu0, g_store_at > 0 ? g_store_at - t0 : 0.0, rss, hwm, heap, objects);
  std::fflush(stdout);
}

// The "warm" children first do what both ways share and what no store
// changes: initialise OpenSSL by parsing the chain once. Then they restart
// the clock, so only "store creation + one verify" (trustbundle) against
// "load the whole bundle + verify" (anchor) is timed.
double warm_prelude(const Args& a) {
  for (X509* c : parse_pem_certs(read_file(a.need("leaf")) + read_file(a.need("intermediates")), "the chain"))
    X509_free(c);
  g_cpu0 = cpu_us();
  return now_us();
}

int child_trustbundle(double t0, const Args& a) {
  std::string chain = read_file(a.need("leaf")) + read_file(a.need("intermediates"));
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_store* store = nullptr;
  if (trustbundle_store_new_default(&store, &err) != TRUSTBUNDLE_OK)
    die(std::string("trustbundle_store_new_default: ") + err.message);
  g_store_at = now_us();
  std::string host = a.need("host");
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = host.c_str();
  opts.has_time = 1;
  opts.time = parse_unix(a.need("time"));
  size_t len = chain.size();
  trustbundle_result* result = nullptr;
  if (trustbundle_verify(&result, store, reinterpret_cast<const unsigned char*>(chain.data()), &len, 1, &opts, &err) !=
      TRUSTBUNDLE_OK)
    die(std::string("trustbundle_verify: ") + err.message);
  if (!trustbundle_result_ok(result))
    die(std::string("trustbundle rejected the chain: ") + trustbundle_reason_name(trustbundle_result_reason(result)) +
        ": " + trustbundle_result_message(result));
  report_child(t0, -1);
  trustbundle_result_free(result);
  trustbundle_store_free(store);
  return 0;
}

int child_anchor(double t0, const Args& a) {
  std::vector<X509*> leaf = parse_pem_certs(read_file(a.need("leaf")), "the leaf file");
  std::vector<X509*> inter = parse_pem_certs(read_file(a.need("intermediates")), "the intermediates file");
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr) die("X509_STORE_new failed");
  std::string bundle = a.need("bundle");
  if (X509_STORE_load_file(store, bundle.c_str()) != 1) die("X509_STORE_load_file('" + bundle + "') failed");
  if (a.has("extra-ca") && X509_STORE_load_file(store, a.get("extra-ca").c_str()) != 1)
    die("X509_STORE_load_file('" + a.get("extra-ca") + "') failed");
  g_store_at = now_us();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (X509* c : inter) sk_X509_push(untrusted, c);
  int err = raw_verify(store, leaf[0], untrusted, a.need("host"), parse_unix(a.need("time")));
  if (err != X509_V_OK) die(std::string("X509_verify_cert rejected the chain: ") + X509_verify_cert_error_string(err));
  STACK_OF(X509_OBJECT)* objs = X509_STORE_get0_objects(store);
  report_child(t0, objs != nullptr ? sk_X509_OBJECT_num(objs) : -1);
  sk_X509_pop_free(untrusted, X509_free);
  for (X509* c : leaf) X509_free(c);
  X509_STORE_free(store);
  return 0;
}

// The floor no store can beat: an X509_STORE holding only the one root the
// chain needs (known in advance, parsed from --root), then the same verify.
int child_floor(double t0, const Args& a) {
  std::vector<X509*> leaf = parse_pem_certs(read_file(a.need("leaf")), "the leaf file");
  std::vector<X509*> inter = parse_pem_certs(read_file(a.need("intermediates")), "the intermediates file");
  std::vector<X509*> root = parse_pem_certs(read_file(a.need("root")), "the root file");
  X509_STORE* store = X509_STORE_new();
  if (store == nullptr || X509_STORE_add_cert(store, root[0]) != 1) die("cannot build the one-root store");
  g_store_at = now_us();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (X509* c : inter) sk_X509_push(untrusted, c);
  int err = raw_verify(store, leaf[0], untrusted, a.need("host"), parse_unix(a.need("time")));
  if (err != X509_V_OK) die(std::string("X509_verify_cert rejected the chain: ") + X509_verify_cert_error_string(err));
  report_child(t0, -1);
  sk_X509_pop_free(untrusted, X509_free);
  for (X509* c : leaf) X509_free(c);
  for (X509* c : root) X509_free(c);
  X509_STORE_free(store);
  return 0;
}

int child_baseline(double t0, const Args& a) {
  std::vector<X509*> leaf = parse_pem_certs(read_file(a.need("leaf")), "the leaf file");
  std::vector<X509*> inter = parse_pem_certs(read_file(a.need("intermediates")), "the intermediates file");
  report_child(t0, -1);
  for (X509* c : leaf) X509_free(c);
  for (X509* c : inter) X509_free(c);
  return 0;
}

// Runs this program as a fresh child process in the given mode.
ChildResult run_child(const std::string& exe, const std::vector<std::string>& args, const std::string& mode) {
  std::vector<std::string> argv_s = {exe, "--child", mode};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_s) argv.push_back(&s[0]);
  argv.push_back(nullptr);

  int fds[2];
  if (pipe(fds) != 0) die("pipe failed");
  double t0 = now_us();
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[512];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  double t1 = now_us();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("the " + mode + " child failed (see its message above)");
  ChildResult r;
  r.wall_us = t1 - t0;
  if (std::sscanf(out.c_str(), "us=%lf cpu_us=%lf store_us=%lf rss_kb=%ld hwm_kb=%ld heap_kb=%ld objects=%ld",
                  &r.in_us, &r.cpu_us, &r.store_us, &r.rss_kb, &r.hwm_kb, &r.heap_kb, &r.objects) != 7)
    die("unexpected output from the " + mode + " child: " + out);
  return r;
}

std::string ms(double us) { return fmt("%.2f ms", us / 1000.0); }
std::string mib(double kb) { return fmt("%.1f MiB", kb / 1024.0); }

int driver(const Args& a, int argc, char** argv) {
  a.need("leaf");
  a.need("intermediates");
  a.need("host");
  parse_unix(a.need("time"));
  int runs = std::atoi(a.get("runs", "30").c_str());
  if (runs < 1) die("--runs must be at least 1", 2);

  char exe_buf[4096];
  ssize_t n = readlink("/proc/self/exe", exe_buf, sizeof exe_buf - 1);
  if (n <= 0) die("cannot read /proc/self/exe");
  std::string exe(exe_buf, static_cast<size_t>(n));

  // The anchor loads exactly the roots the library embeds.
  std::string bundle = a.get("bundle");
  std::string temp_bundle;
  if (bundle.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    temp_bundle = std::string(tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp") + "/tb-bench-bundle-XXXXXX";
    int fd = mkstemp(&temp_bundle[0]);
    if (fd < 0) die("mkstemp failed");
    size_t len = 0;
    const char* pem = trustbundle_bundle_pem(&len);
    if (pem == nullptr || write(fd, pem, len) != static_cast<ssize_t>(len)) die("cannot write the bundle");
    close(fd);
    bundle = temp_bundle;
  }

  // Children get the original arguments plus the bundle path.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  if (!a.has("bundle")) {
    args.push_back("--bundle");
    args.push_back(bundle);
  }
  // The trustbundle child uses the public default path; an extra CA (test
  // PKI fallback) reaches it the documented way, and nothing else does.
  if (a.has("extra-ca"))
    setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", a.get("extra-ca").c_str(), 1);
  else
    unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS");

  // Warm-up: page cache for the binary, libcrypto and the files.
  const bool with_floor = a.has("root");
  const char* kinds[] = {"trustbundle", "anchor", "trustbundle-warm", "anchor-warm", "baseline", "floor"};
  for (const char* k : kinds)
    if (with_floor || std::strcmp(k, "floor") != 0) run_child(exe, args, k);

  std::vector<ChildResult> tb, an, tbw, anw, base, floor;
  for (int i = 0; i < runs; ++i) {
    // Alternate which way goes first.
    if (i % 2 == 0) {
      tb.push_back(run_child(exe, args, "trustbundle"));
      an.push_back(run_child(exe, args, "anchor"));
      tbw.push_back(run_child(exe, args, "trustbundle-warm"));
      anw.push_back(run_child(exe, args, "anchor-warm"));
    } else {
      an.push_back(run_child(exe, args, "anchor"));
      tb.push_back(run_child(exe, args, "trustbundle"));
      anw.push_back(run_child(exe, args, "anchor-warm"));
      tbw.push_back(run_child(exe, args, "trustbundle-warm"));
    }
    base.push_back(run_child(exe, args, "baseline"));
    if (with_floor) floor.push_back(run_child(exe, args, "floor"));
  }
  if (!temp_bundle.empty()) unlink(temp_bundle.c_str());

  auto col = [](const std::vector<ChildResult>& v, double ChildResult::*f) {
    std::vector<double> out;
    for (const ChildResult& r : v) out.push_back(r.*f);
    return out;
  };
  auto colk = [](const std::vector<ChildResult>& v, long ChildResult::*f) {
    std::vector<double> out;
    for (const ChildResult& r : v) out.push_back(static_cast<double>(r.*f));
    return out;
  };
  const std::vector<double> tb_in = col(tb, &ChildResult::in_us), an_in = col(an, &ChildResult::in_us);
  const std::vector<double> tbw_in = col(tbw, &ChildResult::in_us), anw_in = col(anw, &ChildResult::in_us);
  const double tb_med = median(tb_in), an_med = median(an_in), ratio = an_med / tb_med;
  const double tbw_med = median(tbw_in), anw_med = median(anw_in), ratio_w = anw_med / tbw_med;
  const double tb_wall = median(col(tb, &ChildResult::wall_us)), an_wall = median(col(an, &ChildResult::wall_us));
  const double rt = median(colk(tb, &ChildResult::rss_kb)), ra = median(colk(an, &ChildResult::rss_kb)),
               rb = median(colk(base, &ChildResult::rss_kb));
  const double ht = median(colk(tb, &ChildResult::heap_kb)), ha = median(colk(an, &ChildResult::heap_kb)),
               hb = median(colk(base, &ChildResult::heap_kb));
  const double tb_cpu = median(col(tb, &ChildResult::cpu_us)), an_cpu = median(col(an, &ChildResult::cpu_us));
  const double floor_med = with_floor ? median(col(floor, &ChildResult::in_us)) : 0;
  const double floor_cpu = with_floor ? median(col(floor, &ChildResult::cpu_us)) : 0;
  const double tbw_cpu = median(col(tbw, &ChildResult::cpu_us)), anw_cpu = median(col(anw, &ChildResult::cpu_us));
  const std::string label = a.get("label", "the chain");
  const char* met = ratio >= kTargetFirst ? "met" : "NOT met";

  std::printf("== First verification in a fresh process (%d runs of each kind, alternating, after 1 warm-up) ==\n", runs);
  std::printf("trustbundle %s, bundle %s; %s\n", trustbundle_version(), trustbundle_bundle_version(),
              OpenSSL_version(OPENSSL_VERSION));
  std::printf("chain: %s, host %s, check time %s (Unix)\n", label.c_str(), a.get("host").c_str(),
              a.get("time").c_str());
  std::printf("trustbundle: main() -> trustbundle_store_new_default -> trustbundle_verify (%zu embedded roots, lazy)\n",
              trustbundle_root_count());
  std::printf("anchor:      main() -> X509_STORE_new + X509_STORE_load_file(%s) [%ld objects in the store]\n"
              "             -> X509_verify_cert (same flags)\n",
              a.has("bundle") ? bundle.c_str() : "trustbundle_bundle_pem() as a file", an.back().objects);
  std::printf("  main() to verdict   trustbundle median %s (min %s, max %s)\n", ms(tb_med).c_str(),
              ms(min_of(tb_in)).c_str(), ms(max_of(tb_in)).c_str());
  std::printf("                      anchor      median %s (min %s, max %s)\n", ms(an_med).c_str(),
              ms(min_of(an_in)).c_str(), ms(max_of(an_in)).c_str());
  std::printf("  ratio anchor/trustbundle: %.1fx   target: at least %.0fx   %s\n", ratio, kTargetFirst, met);
  std::printf("  split at \"store ready\": trustbundle %s store + %s verify; anchor %s load + %s verify\n",
              ms(median(col(tb, &ChildResult::store_us))).c_str(),
              ms(median(col(tb, &ChildResult::in_us)) - median(col(tb, &ChildResult::store_us))).c_str(),
              ms(median(col(an, &ChildResult::store_us))).c_str(),
              ms(median(col(an, &ChildResult::in_us)) - median(col(an, &ChildResult::store_us))).c_str());
  std::printf("  CPU time, main() to verdict: trustbundle median %s, anchor median %s, ratio %.1fx (informational;\n"
              "                      unaffected by other work preempting the process)\n",
              ms(tb_cpu).c_str(), ms(an_cpu).c_str(), an_cpu / tb_cpu);
  if (with_floor)
    std::printf("  floor: main() -> X509_STORE holding only the needed root (--root) -> X509_verify_cert:\n"
                "                      median %s (CPU %s); the best ratio any store could reach here is %.1fx"
                " (CPU %.1fx)\n",
                ms(floor_med).c_str(), ms(floor_cpu).c_str(), an_med / floor_med, an_cpu / floor_cpu);
  std::printf("  the same after a common prelude (OpenSSL initialised by parsing the chain once, untimed):\n"
              "                      trustbundle median %s, anchor median %s, ratio %.1fx (informational)\n"
              "                      CPU time: trustbundle %s, anchor %s, ratio %.1fx\n"
              "                      split: trustbundle %s store + %s verify; anchor %s load + %s verify\n",
              ms(tbw_med).c_str(), ms(anw_med).c_str(), ratio_w, ms(tbw_cpu).c_str(), ms(anw_cpu).c_str(),
              anw_cpu / tbw_cpu, ms(median(col(tbw, &ChildResult::store_us))).c_str(),
              ms(tbw_med - median(col(tbw, &ChildResult::store_us))).c_str(),
              ms(median(col(anw, &ChildResult::store_us))).c_str(),
              ms(anw_med - median(col(anw, &ChildResult::store_us))).c_str());
  std::printf("  whole process, fork -> exit (adds exec, dynamic linking, C++ and libcrypto start-up):\n"
              "                      trustbundle median %s, anchor median %s, ratio %.1fx (informational)\n",
              ms(tb_wall).c_str(), ms(an_wall).c_str(), an_wall / tb_wall);
  std::printf("== Memory after the verdict (median of %d fresh processes of each kind) ==\n", runs);
  std::printf("  baseline (OpenSSL initialised, chain parsed, no store): VmRSS %s, heap in use %s\n", mib(rb).c_str(),
              mib(hb).c_str());
  std::printf("  trustbundle: VmRSS %s (+%s over baseline; VmHWM %s), heap in use %s (+%s)\n", mib(rt).c_str(),
              mib(rt - rb).c_str(), mib(median(colk(tb, &ChildResult::hwm_kb))).c_str(), mib(ht).c_str(),
              mib(ht - hb).c_str());
  std::printf("  anchor:      VmRSS %s (+%s over baseline; VmHWM %s), heap in use %s (+%s)\n", mib(ra).c_str(),
              mib(ra - rb).c_str(), mib(median(colk(an, &ChildResult::hwm_kb))).c_str(), mib(ha).c_str(),
              mib(ha - hb).c_str());
  std::printf("  ratio anchor/trustbundle: VmRSS %.2fx (%.1fx over baseline), heap %.1fx over baseline;"
              " no target in issue 3\n", ra / rt, (ra - rb) / (rt - rb), (ha - hb) / (ht - hb));

  std::printf("ROW|first verify, fresh process, main() to verdict (median of %d)|%s|%s|%.1fx faster|>= %.0fx: %s\n",
              runs, ms(tb_med).c_str(), ms(an_med).c_str(), ratio, kTargetFirst, met);
  std::printf("ROW|  same, CPU time instead of the monotonic clock (informational)|%s|%s|%.1fx faster|-\n",
              ms(tb_cpu).c_str(), ms(an_cpu).c_str(), an_cpu / tb_cpu);
  std::printf("ROW|  same, whole process: fork to exit (informational)|%s|%s|%.1fx faster|-\n", ms(tb_wall).c_str(),
              ms(an_wall).c_str(), an_wall / tb_wall);
  if (with_floor)
    std::printf("ROW|  floor: a store of just the needed root, known in advance (CPU time, informational)|%s (floor)|%s|%.1fx at best|-\n",
                ms(floor_cpu).c_str(), ms(an_cpu).c_str(), an_cpu / floor_cpu);
  std::printf("ROW|  store + one verify only, after an untimed common OpenSSL warm-up (CPU time, informational)|%s|%s|%.1fx faster|-\n",
              ms(tbw_cpu).c_str(), ms(anw_cpu).c_str(), anw_cpu / tbw_cpu);
  std::printf("ROW|memory: VmRSS after the verdict (median)|%s|%s|%.2fx less|none set\n", mib(rt).c_str(),
              mib(ra).c_str(), ra / rt);
  std::printf("ROW|  VmRSS over a no-store baseline process of %s|+%s|+%s|%.1fx less|none set\n", mib(rb).c_str(),
              mib(rt - rb).c_str(), mib(ra - rb).c_str(), (ra - rb) / (rt - rb));
  std::printf("ROW|  malloc heap in use over the baseline (%s)|+%s|+%s|%.1fx less|none set\n", mib(hb).c_str(),
              mib(ht - hb).c_str(), mib(ha - hb).c_str(), (ha - hb) / (ht - hb));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const double t0 = now_us();  // first thing: the clock every child reports against
  g_cpu0 = cpu_us();
  if (argc >= 3 && std::strcmp(argv[1], "--child") == 0) {
    std::string mode = argv[2];
    Args a = parse_args(argc - 2, argv + 2, kUsage);
    if (mode == "trustbundle") return child_trustbundle(t0, a);
    if (mode == "anchor") return child_anchor(t0, a);
    if (mode == "trustbundle-warm") return child_trustbundle(warm_prelude(a), a);
    if (mode == "anchor-warm") return child_anchor(warm_prelude(a), a);
    if (mode == "baseline") return child_baseline(t0, a);
    if (mode == "floor") return child_floor(t0, a);
    die("unknown child mode '" + mode + "'", 2);
  }
  Args a = parse_args(argc, argv, kUsage);
  return driver(a, argc, argv);
}
