// The `trustbundle` command-line tool: --help everywhere, exit 2 with a
// reason on bad usage, and the output of each command.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>

#include "bundle/certdata_curation.h"
#include "bundle/embedded_bundle.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

namespace {

const char* const kCommands[] = {"where", "pem", "info", "list", "build", "capath", "diff"};

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// Runs python3 on a JSON document; the script gets it as `d`.
void expect_json(const std::string& json, const std::string& checks) {
  if (!tbtest::is_executable(tbtest::python3())) return;  // the structural checks still ran
  tbtest::TempDir dir;
  tbtest::write_file(dir.file("doc.json"), json);
  auto r = tbtest::run_command({tbtest::python3(), "-c",
                                "import json,sys\nd=json.load(open(sys.argv[1],encoding='utf-8'))\n" + checks +
                                    "\nprint('ok')",
                                dir.file("doc.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n") << r.err;
}

}  // namespace

// Every command the overview lists, which must include those of issue 2.
static std::vector<std::string> listed_commands() {
  auto top = tbtest::run_cli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  std::vector<std::string> names;
  for (const std::string& line : tbtest::split_lines(top.out)) {
    const std::string prefix = "  trustbundle ";
    if (line.rfind(prefix, 0) != 0) continue;
    names.push_back(line.substr(prefix.size(), line.find(' ', prefix.size()) - prefix.size()));
  }
  return names;
}

TEST(Cli, EveryCommandHasHelp) {
  TB_REQUIRE_CLI();
  std::vector<std::string> names = listed_commands();
  for (const char* required : kCommands)
    EXPECT_NE(std::find(names.begin(), names.end(), required), names.end()) << required << " is not listed";
  for (const std::string& command : names) {
    for (const char* flag : {"--help", "-h"}) {
      auto r = tbtest::run_cli({command, flag});
      EXPECT_EQ(r.exit_code, 0) << command << " " << flag << ": " << r.err;
      EXPECT_EQ(r.out.rfind("usage: trustbundle " + command, 0), 0u) << r.out;
      EXPECT_TRUE(r.err.empty()) << r.err;
    }
  }
}

TEST(Cli, VersionMatchesTheLibrary) {
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("trustbundle ") + trustbundle_version() + "\n");
}

TEST(Cli, UnknownCommandExits2WithAReason) {
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(first_line(r.err), "trustbundle: unknown command 'frobnicate'");
  EXPECT_NE(r.err.find("\ncommands:\n"), std::string::npos) << "the overview follows";
}

// certifi's command line (python -m certifi), the same in every package:
// no arguments prints where's path, -c/--contents prints the bundle.
TEST(Cli, NoArgumentsOrDashCIsCertifisCommandLine) {
  TB_REQUIRE_CLI();
  auto none = tbtest::run_cli({});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(none.err.empty()) << none.err;
  EXPECT_EQ(none.out, tbtest::run_cli({"where"}).out);
  ASSERT_GT(none.out.size(), 12u);
  EXPECT_EQ(none.out.substr(none.out.size() - 12), "/cacert.pem\n");
  EXPECT_TRUE(tbtest::read_file(none.out.substr(0, none.out.size() - 1)) == embedded_pem());
  for (const char* flag : {"-c", "--contents"}) {
    auto r = tbtest::run_cli({flag});
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_TRUE(r.out == embedded_pem()) << flag;
    auto extra = tbtest::run_cli({flag, "list"});
    EXPECT_EQ(extra.exit_code, 2) << flag;
    EXPECT_TRUE(extra.out.empty()) << flag;
    EXPECT_EQ(extra.err, std::string("trustbundle: ") + flag + " takes no arguments (see trustbundle --help)\n");
  }
}

TEST(Cli, HelpListsEveryCommandOnStdout) {
  TB_REQUIRE_CLI();
  for (const char* flag : {"--help", "-h", "help"}) {
    auto r = tbtest::run_cli({flag});
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_EQ(r.out.rfind("usage: trustbundle COMMAND [options]", 0), 0u) << r.out;
    EXPECT_EQ(r.out, tbtest::run_cli({"--help"}).out) << flag;
  }
}

TEST(Cli, UnknownOptionExits2WithAReason) {
  TB_REQUIRE_CLI();
  for (const std::string& command : listed_commands()) {
    auto r = tbtest::run_cli({command, "--no-such-option"});
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_TRUE(r.out.empty()) << command;
    EXPECT_NE(first_line(r.err).find("unknown option --no-such-option"), std::string::npos) << r.err;
    EXPECT_EQ(first_line(r.err).rfind("trustbundle " + command + ": ", 0), 0u) << r.err;
  }
  // Flags take no value, options need one, extra positionals are refused.
  EXPECT_EQ(tbtest::run_cli({"info", "--json=yes"}).exit_code, 2);
  EXPECT_EQ(tbtest::run_cli({"where", "--dir"}).exit_code, 2);
  EXPECT_EQ(tbtest::run_cli({"info", "extra"}).exit_code, 2);
  EXPECT_EQ(tbtest::run_cli({"diff", "only-one"}).exit_code, 2);
}

TEST(Cli, InfoPrintsTheBundleVersionAndCount) {
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"info"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Facts of the committed bundle: NSS 2.86, curated to 119 roots.
  EXPECT_NE(r.out.find("Mozilla NSS builtins 2.86"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("roots:       119\n"), std::string::npos) << r.out;
  EXPECT_EQ(std::string(trustbundle_bundle_nss_version()), "2.86");
  EXPECT_EQ(trustbundle_root_count(), 119u);
  EXPECT_NE(r.out.find(format_rfc3339(trustbundle_bundle_as_of())), std::string::npos) << r.out;

  auto json = tbtest::run_cli({"info", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"root_count\": 119"), std::string::npos) << json.out;
  expect_json(json.out, "assert d['nss_version']=='2.86', d\nassert d['root_count']==119, d\n"
                        "assert d['bundle_version']=='" +
                            std::string(trustbundle_bundle_version()) + "', d");
}

TEST(Cli, ListJsonParses) {
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"list", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Structure without python: an array with one object per root.
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.front(), '[');
  EXPECT_EQ(r.out.substr(r.out.size() - 2), "]\n");
  EXPECT_EQ(tbtest::count_occurrences(r.out, "{\"label\": "), trustbundle_root_count());
  EXPECT_EQ(tbtest::count_occurrences(r.out, "\"sha256\": "), trustbundle_root_count());
  for (const RootRecord& root : embedded_roots())
    EXPECT_NE(r.out.find("\"sha256\": \"" + root.info.sha256_hex + "\""), std::string::npos) << root.label;
  expect_json(r.out,
              "assert isinstance(d, list) and len(d)==" + std::to_string(trustbundle_root_count()) +
                  "\n"
                  "assert all(set(e)=={'label','sha256','not_after','server_distrust_after'} for e in d)\n"
                  "assert all(len(e['sha256'])==64 for e in d)\n"
                  "iz=[e for e in d if e['label']=='Izenpe.com']\n"
                  "assert len(iz)==1 and iz[0]['server_distrust_after']=='2026-04-15T23:59:59Z', iz\n"
                  "assert any(e['label']=='NetLock Arany (Class Gold) F\\u0151tan\\xfas\\xedtv\\xe1ny' for e in d)");

  auto text = tbtest::run_cli({"list"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_EQ(tbtest::split_lines(text.out).size(), trustbundle_root_count());
}

TEST(Cli, PemPrintsTheEmbeddedBundle) {
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"pem"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == embedded_pem());
}

TEST(Cli, BuildAtCertifiDateYields119Roots) {
  TB_REQUIRE_SHARED();
  TB_REQUIRE_CLI();
  auto r = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", "2026-05-20T00:00:00Z"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tbtest::count_occurrences(r.out, "-----BEGIN CERTIFICATE-----"), 119u);
  EXPECT_EQ(tbtest::count_occurrences(r.out, "\n# SHA256 Fingerprint: "), 119u);
  EXPECT_EQ(r.out.rfind("\n# Issuer: ", 0), 0u) << "not certifi's layout";
  EXPECT_NE(r.err.find("119 roots"), std::string::npos) << r.err;
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  EXPECT_TRUE(r.out == format_certifi_pem(bundle));

  // Unix seconds name the same instant.
  auto secs = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of",
                               std::to_string(parse_time("2026-05-20T00:00:00Z"))});
  ASSERT_EQ(secs.exit_code, 0) << secs.err;
  EXPECT_TRUE(secs.out == r.out);
  auto april = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", "2026-04-22T00:00:00Z"});
  EXPECT_EQ(tbtest::count_occurrences(april.out, "-----BEGIN CERTIFICATE-----"), 120u);
}

TEST(Cli, BuildCurlMode) {
  TB_REQUIRE_SHARED();
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  auto r = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", "2030-01-01T00:00:00Z", "--mode", "curl",
                            "--nss-version", "2.86", "-o", dir.file("ca-bundle.crt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const int64_t as_of = parse_time("2030-01-01T00:00:00Z");
  EXPECT_TRUE(tbtest::read_file(dir.file("ca-bundle.crt")) ==
              format_curl_pem(curate(tbtest::roots_286(), CurationMode::Curl, as_of), "2.86", as_of));
  auto bad = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", "2030-01-01T00:00:00Z", "--mode", "nss"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(first_line(bad.err).find("--mode must be certifi or curl"), std::string::npos) << bad.err;
}

TEST(Cli, BuildWithoutAsOfExits2) {
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  // A valid input, so the only thing wrong is the missing time.
  tbtest::SyntheticCert c = tbtest::synthetic_cert(embedded_roots().at(0).der, "Root");
  tbtest::write_file(dir.file("certdata.txt"),
                     tbtest::certdata_header() + tbtest::certificate_object(c) + tbtest::trust_object(c));
  auto r = tbtest::run_cli({"build", dir.file("certdata.txt"), "-o", dir.file("out.pem")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(first_line(r.err).find("--as-of is required"), std::string::npos) << r.err;
  EXPECT_FALSE(tbtest::path_exists(dir.file("out.pem")));
  // With the time, the same input builds.
  auto ok = tbtest::run_cli({"build", dir.file("certdata.txt"), "--as-of", "2026-05-20T00:00:00Z", "-o",
                             dir.file("out.pem")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(tbtest::count_occurrences(tbtest::read_file(dir.file("out.pem")), "-----BEGIN CERTIFICATE-----"), 1u);
}

TEST(Cli, BuildWithABadTimeExits2) {
  TB_REQUIRE_SHARED();
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  for (const char* when : {"yesterday", "2026-13-01T00:00:00Z", ""}) {
    auto r = tbtest::run_cli({"build", tbtest::certdata_path(), "--as-of", when, "-o", dir.file("out.pem")});
    EXPECT_EQ(r.exit_code, 2) << when;
    EXPECT_EQ(tbtest::count_occurrences(r.err, "\n"), 1u) << r.err;
    EXPECT_FALSE(tbtest::path_exists(dir.file("out.pem"))) << when;
  }
}

TEST(Cli, WhereWithDirPrintsThePath) {
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  auto r = tbtest::run_cli({"where", "--dir", dir.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, dir.file("cacert.pem") + "\n");
  EXPECT_TRUE(tbtest::read_file(dir.file("cacert.pem")) == embedded_pem());
}

// trustbundle_cli_main in-process, as a host language calls it. Hosts ignore
// SIGPIPE (Python, Node, Ruby), so a closed pipe is a failed write: the call
// still returns, and the next call prints again (the stream state is reset).
// What a call printed is on the descriptor when it returns (flushed).
TEST(CliMain, InProcessCallsFlushAndSurviveAClosedPipe) {
  tbtest::TempDir dir;
  auto old_handler = std::signal(SIGPIPE, SIG_IGN);
  std::fflush(stdout);
  const int saved = dup(1);
  ASSERT_GE(saved, 0);

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  close(pipe_fds[0]);  // nobody reads: every write fails with EPIPE
  dup2(pipe_fds[1], 1);
  close(pipe_fds[1]);
  const char* pem[] = {"trustbundle", "pem"};
  const int closed_code = trustbundle_cli_main(2, pem);

  const int file = open(dir.file("out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(file, 0);
  dup2(file, 1);
  close(file);
  const char* version[] = {"trustbundle", "--version"};
  const int version_code = trustbundle_cli_main(2, version);
  const std::string printed = tbtest::read_file(dir.file("out"));  // before restoring: flushed already

  dup2(saved, 1);
  close(saved);
  std::signal(SIGPIPE, old_handler);
  EXPECT_EQ(closed_code, 0);  // the command ran; the reader went away
  EXPECT_EQ(version_code, 0);
  EXPECT_EQ(printed, std::string("trustbundle ") + trustbundle_version() + "\n");
}
