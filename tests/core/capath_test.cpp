// trustbundle_capath_export: a hashed CA directory as `openssl rehash` names
// it, which `openssl verify -CApath` accepts. The chain check uses a root
// and leaf made here with the openssl CLI, added to a copy of the directory.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "base/cert_info.h"
#include "bundle/embedded_bundle.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

namespace {

std::string export_to(const std::string& dir) {
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_capath_export(path, sizeof path, dir.c_str(), &error);
  EXPECT_EQ(status, TRUSTBUNDLE_OK) << error.message;
  return status == TRUSTBUNDLE_OK ? std::string(path) : std::string();
}

std::string openssl_out(const std::vector<std::string>& args) {
  std::vector<std::string> argv{tbtest::openssl_cli()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = tbtest::run_command(argv);
  EXPECT_EQ(r.exit_code, 0) << "openssl " << args[0] << ": " << r.err;
  return r.out;
}

std::string subject_hash(const std::string& pem_path) {
  std::string out = openssl_out({"x509", "-subject_hash", "-noout", "-in", pem_path});
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

tbtest::CommandResult verify(const std::string& capath, const std::string& cert, const std::vector<std::string>& extra = {}) {
  // -no-CAfile/-no-CAstore: only the directory under test may supply roots.
  std::vector<std::string> argv{tbtest::openssl_cli(), "verify", "-no-CAfile", "-no-CAstore", "-CApath", capath};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(cert);
  return tbtest::run_command(argv);
}

void copy_dir(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(to);
  for (const std::string& name : tbtest::list_dir(from))
    std::filesystem::copy_file(from + "/" + name, to + "/" + name);
}

// Adds pem_path to a hashed directory under its subject hash, at the first free .n.
std::string add_hashed(const std::string& dir, const std::string& pem_path) {
  const std::string hash = subject_hash(pem_path);
  int n = 0;
  while (tbtest::path_exists(dir + "/" + hash + "." + std::to_string(n))) ++n;
  const std::string name = hash + "." + std::to_string(n);
  std::filesystem::copy_file(pem_path, dir + "/" + name);
  return name;
}

}  // namespace

TEST(Capath, FilesAreNamedBySubjectHashAndHoldEveryRoot) {
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  ASSERT_EQ(dir, tmp.file("capath"));
  std::vector<std::string> names = tbtest::list_dir(dir);
  ASSERT_EQ(names.size(), trustbundle_root_count());

  const std::regex hashed("^([0-9a-f]{8})\\.([0-9]+)$");
  std::map<std::string, std::set<int>> buckets;
  std::set<std::string> fingerprints;
  for (const std::string& name : names) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(name, m, hashed)) << name;
    buckets[m[1]].insert(std::stoi(m[2]));
    std::vector<PemCertificate> certs = read_pem_certificates(tbtest::read_file(dir + "/" + name), name);
    ASSERT_EQ(certs.size(), 1u) << name;
    CertInfo info = describe_certificate(certs[0].der, name);
    char expected[16];
    std::snprintf(expected, sizeof expected, "%08lx", info.subject_hash);
    EXPECT_EQ(m[1].str(), expected) << name;
    fingerprints.insert(info.sha256_hex);
  }
  // .0, .1, ... without gaps within each hash.
  for (const auto& bucket : buckets)
    for (int i = 0; i < static_cast<int>(bucket.second.size()); ++i) EXPECT_EQ(bucket.second.count(i), 1u) << bucket.first;
  std::set<std::string> expected;
  for (const RootRecord& r : embedded_roots()) expected.insert(r.info.sha256_hex);
  EXPECT_EQ(fingerprints, expected);
}

TEST(Capath, NamesMatchOpensslSubjectHash) {
  TB_REQUIRE_OPENSSL_CLI();
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  for (const std::string& name : tbtest::list_dir(dir))
    EXPECT_EQ(subject_hash(dir + "/" + name), name.substr(0, 8)) << name;
}

TEST(Capath, NamesMatchOpensslRehash) {
  TB_REQUIRE_OPENSSL_CLI();
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  // The same certificates under plain names; `openssl rehash` adds its links.
  const std::string plain = tmp.file("plain");
  std::filesystem::create_directories(plain);
  std::map<std::string, std::string> content_by_name;
  for (const std::string& name : tbtest::list_dir(dir)) {
    content_by_name[name] = tbtest::read_file(dir + "/" + name);
    tbtest::write_file(plain + "/root-" + name + ".pem", content_by_name[name]);
  }
  auto r = tbtest::run_command({tbtest::openssl_cli(), "rehash", plain});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ours, theirs;
  for (const auto& kv : content_by_name) ours.insert(kv.first);
  for (const std::string& name : tbtest::list_dir(plain))
    if (name.rfind("root-", 0) != 0) theirs.insert(name);
  EXPECT_EQ(ours, theirs);
}

TEST(Capath, TestRootChainVerifiesOnlyWhenItsRootIsInTheDirectory) {
  TB_REQUIRE_OPENSSL_CLI();
  tbtest::TempDir tmp;
  const std::string exported = export_to(tmp.file("capath"));
  const std::string root_key = tmp.file("root.key"), root = tmp.file("root.pem");
  const std::string leaf_key = tmp.file("leaf.key"), csr = tmp.file("leaf.csr"), leaf = tmp.file("leaf.pem");
  const std::string ext = tmp.file("leaf.ext");
  openssl_out({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", root_key,
               "-out", root, "-days", "30", "-subj", "/O=trustbundle tests/CN=trustbundle test-only root",
               "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  openssl_out({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", leaf_key,
               "-out", csr, "-subj", "/CN=leaf.trustbundle.test"});
  tbtest::write_file(ext,
                     "basicConstraints=critical,CA:FALSE\n"
                     "keyUsage=critical,digitalSignature\n"
                     "extendedKeyUsage=serverAuth\n"
                     "subjectAltName=DNS:leaf.trustbundle.test\n");
  openssl_out({"x509", "-req", "-in", csr, "-CA", root, "-CAkey", root_key, "-set_serial", "4242", "-days", "7",
               "-extfile", ext, "-out", leaf});
  ASSERT_TRUE(tbtest::path_exists(leaf));

  // The bundle alone does not know the test root.
  auto without = verify(exported, leaf);
  EXPECT_NE(without.exit_code, 0) << without.out;
  EXPECT_NE((without.out + without.err).find("unable to get local issuer certificate"), std::string::npos)
      << without.out << without.err;

  // A copy of the bundle's directory plus the test root under its hash name.
  const std::string with_root = tmp.file("capath-plus-test-root");
  copy_dir(exported, with_root);
  add_hashed(with_root, root);
  EXPECT_EQ(tbtest::list_dir(with_root).size(), trustbundle_root_count() + 1);
  auto ok = verify(with_root, leaf, {"-purpose", "sslserver"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out, leaf + ": OK\n");
}

TEST(Capath, ABundleRootVerifiesAgainstTheDirectory) {
  TB_REQUIRE_OPENSSL_CLI();
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  // ISRG Root X1 when present, else the root valid the longest.
  const RootRecord* chosen = nullptr;
  for (const RootRecord& r : embedded_roots()) {
    if (r.label == "ISRG Root X1") {
      chosen = &r;
      break;
    }
    if (chosen == nullptr || r.info.not_after > chosen->info.not_after) chosen = &r;
  }
  ASSERT_NE(chosen, nullptr);
  const std::string cert = tmp.file("root.pem");
  tbtest::write_file(cert, pem_block(chosen->der, 64));
  // At the bundle's as_of, so the wall clock does not matter.
  const std::string at = std::to_string(trustbundle_bundle_as_of());
  auto r = verify(dir, cert, {"-attime", at});
  EXPECT_EQ(r.exit_code, 0) << chosen->label << ": " << r.out << r.err;
  EXPECT_EQ(r.out, cert + ": OK\n");
  // And not against an empty directory.
  std::filesystem::create_directories(tmp.file("empty"));
  EXPECT_NE(verify(tmp.file("empty"), cert, {"-attime", at}).exit_code, 0);
}

TEST(Capath, AnIdenticalDirectoryIsReused) {
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  const std::string first = tbtest::list_dir(dir).at(0);
  struct stat before {};
  ASSERT_EQ(::stat((dir + "/" + first).c_str(), &before), 0);
  EXPECT_EQ(export_to(dir), dir);
  struct stat after {};
  ASSERT_EQ(::stat((dir + "/" + first).c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(tbtest::list_dir(tmp.path()), std::vector<std::string>{"capath"}) << "staging directories left behind";
}

TEST(Capath, AStaleDirectoryIsReplaced) {
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  const std::string victim = tbtest::list_dir(dir).at(0);
  tbtest::write_file(dir + "/" + victim, "damaged\n");
  tbtest::write_file(dir + "/0badc0de.0", "an extra hashed file\n");
  EXPECT_EQ(export_to(dir), dir);
  EXPECT_EQ(tbtest::list_dir(dir).size(), trustbundle_root_count());
  EXPECT_FALSE(tbtest::path_exists(dir + "/0badc0de.0"));
  EXPECT_NE(tbtest::read_file(dir + "/" + victim), "damaged\n");
  EXPECT_EQ(tbtest::list_dir(tmp.path()), std::vector<std::string>{"capath"});
}

// Eight processes exporting into the same directory at once.
static int race_export(const std::string& dir) {
  int gate[2];
  if (::pipe(gate) != 0) return -1;
  std::vector<pid_t> pids;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(gate[1]);
      char c;
      while (::read(gate[0], &c, 1) < 0 && errno == EINTR) {
      }
      char path[4096];
      trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
      int status = trustbundle_capath_export(path, sizeof path, dir.c_str(), &error);
      if (status != TRUSTBUNDLE_OK) std::fprintf(stderr, "exporter %d: %s\n", i, error.message);
      ::_exit(status == TRUSTBUNDLE_OK && dir == path ? 0 : 1);
    }
    if (pid > 0) pids.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);
  int ok = 0;
  for (pid_t pid : pids) ok += tbtest::wait_exit_code(pid) == 0;
  return ok;
}

static void expect_complete_capath(const std::string& dir) {
  std::vector<std::string> names = tbtest::list_dir(dir);
  EXPECT_EQ(names.size(), trustbundle_root_count());
  std::set<std::string> fingerprints;
  for (const std::string& name : names) {
    std::vector<PemCertificate> certs = read_pem_certificates(tbtest::read_file(dir + "/" + name), name);
    ASSERT_EQ(certs.size(), 1u) << name;
    fingerprints.insert(describe_certificate(certs[0].der, name).sha256_hex);
  }
  EXPECT_EQ(fingerprints.size(), trustbundle_root_count());
}

TEST(Capath, EightProcessesRacingOnANewDirectory) {
  tbtest::TempDir tmp;
  EXPECT_EQ(race_export(tmp.file("capath")), 8);
  expect_complete_capath(tmp.file("capath"));
  EXPECT_EQ(tbtest::list_dir(tmp.path()), std::vector<std::string>{"capath"}) << "staging directories left behind";
}

TEST(Capath, EightProcessesRacingToReplaceAStaleDirectory) {
  tbtest::TempDir tmp;
  const std::string dir = export_to(tmp.file("capath"));
  tbtest::write_file(dir + "/" + tbtest::list_dir(dir).at(0), "damaged\n");
  EXPECT_EQ(race_export(dir), 8);
  expect_complete_capath(dir);
  EXPECT_EQ(tbtest::list_dir(tmp.path()), std::vector<std::string>{"capath"}) << "staging directories left behind";
}

TEST(Capath, RefusesADirectoryWithOtherFiles) {
  tbtest::TempDir tmp;
  tbtest::write_file(tmp.file("notes.txt"), "mine\n");
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_capath_export(path, sizeof path, tmp.path().c_str(), &error), TRUSTBUNDLE_E_IO);
  EXPECT_NE(std::string(error.message).find("notes.txt"), std::string::npos) << error.message;
  EXPECT_EQ(tbtest::read_file(tmp.file("notes.txt")), "mine\n");
  EXPECT_EQ(tbtest::list_dir(tmp.path()), std::vector<std::string>{"notes.txt"});
}

TEST(Capath, CliWritesTheSameDirectory) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  auto r = tbtest::run_cli({"capath", tmp.file("cli")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, tmp.file("cli") + "\n");
  const std::string api = export_to(tmp.file("api"));
  std::vector<std::string> names = tbtest::list_dir(api);
  EXPECT_EQ(tbtest::list_dir(tmp.file("cli")), names);
  for (const std::string& name : names)
    EXPECT_EQ(tbtest::read_file(tmp.file("cli") + "/" + name), tbtest::read_file(api + "/" + name)) << name;
}
