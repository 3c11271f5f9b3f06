// `trustbundle verify` and `trustbundle check-pair`: exit codes 0 / 1 / 2,
// REJECTED + hint on stdout, one-line reasons on stderr for bad usage or
// input, --json that parses, and extra CAs from --extra-ca and from
// TRUSTBUNDLE_EXTRA_CA_CERTS.
#include <nlohmann/json.hpp>

#include "verify_support.h"

using nlohmann::json;

namespace {

const char kAt[] = "2026-06-01T00:00:00Z";

class CliVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    TBV_REQUIRE_PKI();
    ASSERT_FALSE(tbv::cli_path().empty()) << "TB_CLI_PATH not set by the build";
  }

  // Runs the CLI with TRUSTBUNDLE_EXTRA_CA_CERTS unset unless given.
  tbv::CommandResult cli(const std::vector<std::string>& args, const std::optional<std::string>& extra_env = std::nullopt) {
    std::vector<std::string> argv{tbv::cli_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    return tbv::run_command(argv, {{"TRUSTBUNDLE_EXTRA_CA_CERTS", extra_env}, {"TRUSTBUNDLE_CACHE_DIR", cache_.path()}});
  }

  // "verify LEAF INTERMEDIATE" (the valid chain) plus more arguments.
  static std::vector<std::string> verify_valid(const std::vector<std::string>& more) {
    std::vector<std::string> args{"verify", tbv::pki("valid/leaf.pem"), tbv::pki("valid/intermediate.pem")};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  // Bad usage or input: exit 2, nothing on stdout, and stderr is one line,
  // "trustbundle COMMAND: <reason>", that names `needle`.
  void expect_exit_2(const tbv::CommandResult& r, const std::string& command, const std::string& needle) {
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    const std::string line = first_line(r.err);
    EXPECT_EQ(line.rfind("trustbundle " + command + ": ", 0), 0u) << r.err;
    EXPECT_NE(line.find(needle), std::string::npos) << "'" << needle << "' not in: " << line;
    EXPECT_EQ(r.err, line + "\n") << "one line on stderr";
  }

  tbv::TempDir cache_;
  tbv::TempDir tmp_;
};

// ------------------------------------------------------------ verify: 0

TEST_F(CliVerify, AcceptedWithExtraCaExits0) {
  auto r = cli(verify_valid({"--host", "a.example.test", "--at", kAt,
                                                                      "--extra-ca", tbv::pki("root.pem")}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("OK: verified (3 certificates)", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Test Root CA"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(CliVerify, AcceptedWithTheEnvironmentVariableExits0) {
  auto r = cli(verify_valid({"--host", "a.example.test", "--at", kAt}),
               tbv::pki("root.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("OK: verified (3 certificates)", 0), 0u) << r.out;
  // A directory in the variable works too.
  tbv::write_file(tmp_.file("corp.pem"), tbv::read_file(tbv::pki("root.pem")));
  r = cli(verify_valid({"--host", "a.example.test", "--at", kAt}), tmp_.path());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(CliVerify, AcceptedWithRootsAndOneChainFile) {
  auto r = cli({"verify", tbv::pki("server-localhost/fullchain.pem"), "--host", "127.0.0.1", "--at", kAt, "--roots",
                tbv::pki("root.pem")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// ------------------------------------------------------------ verify: 1

TEST_F(CliVerify, WithoutTheCaIsRejectedWithAHint) {
  auto r = cli(verify_valid({"--host", "a.example.test", "--at", kAt}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("REJECTED: UNABLE_TO_GET_ISSUER_CERT_LOCALLY at depth 1", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nhint: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TRUSTBUNDLE_EXTRA_CA_CERTS"), std::string::npos) << r.out;
}

TEST_F(CliVerify, WrongHostIsRejectedWithAHint) {
  auto r = cli(verify_valid({"--host", "api.example.test", "--at", kAt, "--extra-ca", tbv::pki("root.pem")}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("REJECTED: HOSTNAME_MISMATCH at depth 0", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("hint: api.example.test is not among the certificate's names: a.example.test, *.b.example.test"),
            std::string::npos)
      << r.out;
}

TEST_F(CliVerify, ExpiredIsRejectedWithAHint) {
  auto r = cli({"verify", tbv::pki("expired/leaf.pem"), tbv::pki("intermediate.pem"), "--host", "a.example.test",
                "--at", kAt, "--roots", tbv::pki("root.pem")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("REJECTED: CERT_HAS_EXPIRED at depth 0", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("hint: "), std::string::npos);
  EXPECT_NE(r.out.find("expired on 2025-01-01, 516 days before the check time"), std::string::npos) << r.out;
}

TEST_F(CliVerify, ClientPurposeAndMissingIntermediate) {
  auto r = cli({"verify", tbv::pki("mtls/client.pem"), tbv::pki("intermediate.pem"), "--purpose", "client", "--at", kAt,
                "--roots", tbv::pki("root.pem")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = cli({"verify", tbv::pki("valid/leaf.pem"), "--host", "a.example.test", "--at", kAt, "--roots",
           tbv::pki("root.pem")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("did not send its intermediate"), std::string::npos) << r.out;
}

// ------------------------------------------------------------ verify: 2

TEST_F(CliVerify, BogusPurposeExits2) {
  auto r = cli(verify_valid({"--purpose", "bogus"}));
  expect_exit_2(r, "verify", "--purpose");
}

TEST_F(CliVerify, UnreadableChainFileExits2) {
  const std::string missing = tmp_.file("no-such-chain.pem");
  expect_exit_2(cli({"verify", missing}), "verify", missing);
  const std::string dir = tmp_.path();
  expect_exit_2(cli({"verify", dir}), "verify", dir);
  if (::geteuid() != 0) {
    const std::string locked = tmp_.file("locked.pem");
    tbv::write_file(locked, tbv::read_file(tbv::pki("valid/leaf.pem")));
    ASSERT_EQ(::chmod(locked.c_str(), 0), 0);
    expect_exit_2(cli({"verify", locked}), "verify", locked);
  }  // as root a chmod 000 file is readable; the missing file and the directory cover the case
}

TEST_F(CliVerify, GarbageChainFileExits2) {
  const std::string junk = tmp_.file("junk.pem");
  tbv::write_file(junk, "this is not a certificate\n");
  expect_exit_2(cli({"verify", junk}), "verify", junk);
  const std::string empty = tmp_.file("empty.pem");
  tbv::write_file(empty, "");
  expect_exit_2(cli({"verify", empty}), "verify", empty);
}

TEST_F(CliVerify, OtherBadUsageExits2) {
  expect_exit_2(cli({"verify"}), "verify", "missing argument");
  expect_exit_2(cli(verify_valid({"--at", "yesterday"})), "verify", "yesterday");
  expect_exit_2(cli(verify_valid({"--frobnicate"})), "verify", "--frobnicate");
  const std::string missing_ca = tmp_.file("corp-root.pem");
  expect_exit_2(cli(verify_valid({"--extra-ca", missing_ca})), "verify",
                missing_ca);
  // A variable naming a missing file is an error naming both, never ignored.
  auto r = cli(verify_valid({}), missing_ca);
  expect_exit_2(r, "verify", "TRUSTBUNDLE_EXTRA_CA_CERTS");
  EXPECT_NE(r.err.find(missing_ca), std::string::npos) << r.err;
}

// --------------------------------------------------------- verify --json

TEST_F(CliVerify, JsonAccepted) {
  auto r = cli(verify_valid({"--host", "a.example.test", "--at", kAt,
                                                                      "--extra-ca", tbv::pki("root.pem"), "--json"}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);  // throws (fails the test) unless it parses
  EXPECT_EQ(doc.at("ok"), true);
  EXPECT_EQ(doc.at("reason"), "OK");
  EXPECT_EQ(doc.at("depth"), -1);
  EXPECT_EQ(doc.at("hint"), "");
  ASSERT_TRUE(doc.contains("chain"));
  EXPECT_EQ(doc.at("chain").size(), 3u);
}

TEST_F(CliVerify, JsonRejected) {
  auto r = cli(verify_valid({"--host", "c.example.test", "--at", kAt,
                                                                      "--extra-ca", tbv::pki("root.pem"), "--json"}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("ok"), false);
  EXPECT_EQ(doc.at("reason"), "HOSTNAME_MISMATCH");
  EXPECT_EQ(doc.at("depth"), 0);
  const std::string hint = doc.at("hint").get<std::string>();
  EXPECT_NE(hint.find("c.example.test"), std::string::npos) << hint;
  EXPECT_NE(hint.find("a.example.test, *.b.example.test"), std::string::npos) << hint;
  EXPECT_EQ(r.out.find("REJECTED"), std::string::npos) << "--json prints only the document on stdout";
}

// ------------------------------------------------------------ check-pair

TEST_F(CliVerify, CheckPairMatchExits0) {
  auto r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client.key"), "--at", kAt});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("match:", 0), 0u) << r.out;
  r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client.key"), "--at", kAt, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("match"), true);
  EXPECT_EQ(doc.at("client_auth"), true);
  EXPECT_EQ(doc.at("valid"), true);
}

TEST_F(CliVerify, CheckPairMismatchExits1) {
  auto r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/other.key"), "--at", kAt});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("MISMATCH:", 0), 0u) << r.out;
  r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/other.key"), "--at", kAt, "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(json::parse(r.out).at("match"), false);
}

TEST_F(CliVerify, CheckPairPassphraseFile) {
  const std::string right = tmp_.file("right.txt");
  const std::string wrong = tmp_.file("wrong.txt");
  tbv::write_file(right, "correct horse\n");
  tbv::write_file(wrong, "wrong horse\n");
  auto r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client-encrypted.key"), "--passphrase-file",
                right, "--at", kAt});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client-encrypted.key"), "--passphrase-file", wrong,
           "--at", kAt});
  expect_exit_2(r, "check-pair", "passphrase");
  r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client-encrypted.key"), "--at", kAt});
  expect_exit_2(r, "check-pair", "passphrase");
  const std::string missing = tmp_.file("no-such-passphrase.txt");
  r = cli({"check-pair", tbv::pki("mtls/client.pem"), tbv::pki("mtls/client-encrypted.key"), "--passphrase-file",
           missing, "--at", kAt});
  expect_exit_2(r, "check-pair", missing);
}

}  // namespace
