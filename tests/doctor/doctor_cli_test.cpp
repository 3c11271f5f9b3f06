// `trustbundle doctor` against real servers on 127.0.0.1. Each case runs
// the command twice, for the human report and for --json, and checks in
// both: the exit code, the verdict, the reason, the findings, and the key
// words of the fix on each side.
#include <cstdlib>

#include "doctor_support.h"

namespace {

using tbd::Json;

struct Expect {
  int exit;
  std::string verdict;                    // "OK", "REJECTED", "UNREACHABLE"
  std::string label;                      // reason or failure name in "(...)"; "OK" for OK
  std::string reason;                     // the JSON "reason" ("" = null: no chain)
  std::string failure = "NONE";
  std::vector<std::string> findings;      // codes that must be present
  std::vector<std::string> fix_client;    // words the client-side fix must hold
  std::vector<std::string> fix_server;
};

struct Outcome {
  tbd::Run text;
  tbd::Run json_run;
  Json json;
};

Outcome doctor(const std::string& target, std::vector<std::string> args) {
  std::vector<std::string> argv{tbd::cli(), "doctor", target};
  argv.insert(argv.end(), args.begin(), args.end());
  Outcome o;
  o.text = tbd::run(argv);
  argv.push_back("--json");
  o.json_run = tbd::run(argv);
  o.json = Json::parse(o.json_run.out, nullptr, /*allow_exceptions=*/false);
  return o;
}

bool has_code(const Json& json, const std::string& code) {
  for (const Json& f : json["findings"])
    if (f["code"] == code) return true;
  return false;
}

void check(const Outcome& o, const Expect& e) {
  SCOPED_TRACE("report:\n" + o.text.out + o.text.err);
  ASSERT_FALSE(o.json.is_discarded()) << "--json printed no JSON: " << o.json_run.out << o.json_run.err;
  EXPECT_EQ(o.text.exit, e.exit);
  EXPECT_EQ(o.json_run.exit, e.exit);

  // Human report: the verdict first, then the chain, then the fix.
  std::string first = e.verdict == "OK" ? "OK: " : e.verdict + " (" + e.label + "): ";
  EXPECT_EQ(o.text.out.rfind(first, 0), 0u) << "the report must start with '" << first << "'";
  for (const std::string& code : e.findings) EXPECT_NE(o.text.out.find(code), std::string::npos) << code;
  size_t client_at = o.text.out.find("fix, client side:");
  size_t server_at = o.text.out.find("fix, server side:");
  for (const std::string& word : e.fix_client) {
    ASSERT_NE(client_at, std::string::npos);
    EXPECT_NE(o.text.out.substr(client_at, server_at - client_at).find(word), std::string::npos) << word;
  }
  for (const std::string& word : e.fix_server) {
    ASSERT_NE(server_at, std::string::npos);
    EXPECT_NE(o.text.out.find(word, server_at), std::string::npos) << word;
  }
  if (e.fix_client.empty() && e.fix_server.empty() && e.verdict == "OK") {
    EXPECT_NE(o.text.out.find("fix: nothing to fix"), std::string::npos);
  }

  // The same in JSON.
  const Json& j = o.json;
  EXPECT_EQ(j["verdict"], e.verdict);
  EXPECT_EQ(j["ok"], e.verdict == "OK");
  EXPECT_EQ(j["label"], e.label);
  EXPECT_EQ(j["failure"], e.failure);
  if (e.reason.empty()) {
    EXPECT_TRUE(j["reason"].is_null());
  } else {
    EXPECT_EQ(j["reason"], e.reason);
  }
  for (const std::string& code : e.findings) EXPECT_TRUE(has_code(j, code)) << code;
  for (const std::string& word : e.fix_client)
    EXPECT_NE(j["fix"]["client"].get<std::string>().find(word), std::string::npos) << word;
  for (const std::string& word : e.fix_server)
    EXPECT_NE(j["fix"]["server"].get<std::string>().find(word), std::string::npos) << word;
}

// The server-localhost leaf with these extra s_server arguments.
std::vector<std::string> localhost(std::vector<std::string> more = {}) {
  std::vector<std::string> args{"-cert", tbd::pki("server-localhost/leaf.pem"), "-key",
                                tbd::pki("server-localhost/leaf.key")};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

class Doctor : public ::testing::Test {
 protected:
  void SetUp() override {
    TBD_REQUIRE_FIXTURES();
    ASSERT_FALSE(tbd::cli().empty()) << "built without the trustbundle CLI";
    ASSERT_FALSE(tbd::openssl().empty()) << "the `openssl` command was not found when the build was configured";
    ::unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS");  // an inherited CA would change every verdict
  }
};

#define START(server, args)       \
  tbd::SServer server(args);      \
  ASSERT_TRUE(server.running()) << server.why_not()

TEST_F(Doctor, GoodChainWithTheRootAsExtraCa) {
  START(server, localhost({"-cert_chain", tbd::pki("server-localhost/chain.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem")});
  check(o, {0, "OK", "OK", "OK", "NONE", {"EXTRA_CA_ANCHOR"}, {}, {}});
  // The chain as served: one line per certificate, leaf first.
  EXPECT_NE(o.text.out.find("#0 localhost | issuer Test Intermediate CA | " +
                            tbd::days_of(tbd::pki("server-localhost/leaf.pem")) + " | RSA 2048 | SHA-256 "),
            std::string::npos)
      << o.text.out;
  EXPECT_NE(o.text.out.find("#1 Test Intermediate CA | issuer Test Root CA | " +
                            tbd::days_of(tbd::pki("intermediate.pem")) + " | EC 256"),
            std::string::npos)
      << o.text.out;
  ASSERT_EQ(o.json["chain"].size(), 2u);
  EXPECT_EQ(o.json["chain"][0]["subject"], "CN=localhost O=trustbundle test PKI");
  EXPECT_EQ(o.json["chain"][0]["key_type"], "RSA");
  EXPECT_EQ(o.json["chain"][0]["key_bits"], 2048);
  EXPECT_EQ(o.json["chain"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(o.json["chain"][1]["key_type"], "EC");
  EXPECT_EQ(o.json["anchor"]["subject"], "CN=Test Root CA O=trustbundle test PKI");
  EXPECT_EQ(o.json["anchor"]["mozilla"], false);
  EXPECT_EQ(o.json["sni"], nullptr);  // an IP literal sends no SNI
  EXPECT_EQ(o.json["fix"]["client"], "");
  EXPECT_EQ(o.json["fix"]["server"], "");

  // By name: SNI sent, name verified.
  Outcome named = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--servername", "localhost"});
  check(named, {0, "OK", "OK", "OK", "NONE", {}, {}, {}});
  EXPECT_EQ(named.json["sni"], "localhost");
}

TEST_F(Doctor, LeafOnlyIsAMissingIntermediate) {
  START(server, localhost());
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--servername", "localhost"});
  check(o, {1, "REJECTED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "NONE",
            {"MISSING_INTERMEDIATE"}, {}, {"full chain", "'Test Intermediate CA'"}});
  EXPECT_NE(o.text.out.find("'Test Intermediate CA', the issuer of 'localhost', is missing"), std::string::npos);
}

TEST_F(Doctor, ChainOutOfOrderVerifiesWithAWarning) {
  START(server, std::vector<std::string>({"-cert", tbd::extra("deep/leaf.pem"), "-key", tbd::extra("deep/leaf.key"),
                                          "-cert_chain", tbd::extra("deep/chain-out-of-order.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::extra("deep/root.pem")});
  check(o, {0, "OK", "OK", "OK", "NONE", {"OUT_OF_ORDER"}, {}, {"reorder", "'Deep Intermediate B', 'Deep Intermediate A'"}});
  EXPECT_EQ(o.json["chain"].size(), 3u);
}

TEST_F(Doctor, ExpiredLeaf) {
  // Expired yesterday, relative to when the fixtures were made.
  std::string leaf = tbd::pki("expired-yesterday/leaf.pem");
  START(server, std::vector<std::string>({"-cert", leaf, "-key", tbd::pki("expired-yesterday/leaf.key"),
                                          "-cert_chain", tbd::pki("intermediate.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--servername", "a.example.test"});
  check(o, {1, "REJECTED", "CERT_HAS_EXPIRED", "CERT_HAS_EXPIRED", "NONE", {"LEAF_EXPIRED"}, {"clock"}, {"renew"}});
  EXPECT_NE(o.text.out.find("expired on " + tbd::day_of(tbd::window_of(leaf).not_after)), std::string::npos)
      << o.text.out;
}

TEST_F(Doctor, WrongHostListsTheNames) {
  START(server, localhost({"-cert_chain", tbd::pki("server-localhost/chain.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--servername", "wrong.example.test"});
  check(o, {1, "REJECTED", "HOSTNAME_MISMATCH", "HOSTNAME_MISMATCH", "NONE", {"NAME_MISMATCH"},
            {"--servername localhost"}, {"subjectAltName"}});
  EXPECT_NE(o.text.out.find("'wrong.example.test' is not among the names of the certificate 'localhost': its names "
                            "are localhost, 127.0.0.1"),
            std::string::npos);
}

TEST_F(Doctor, SelfSignedLeaf) {
  START(server, std::vector<std::string>({"-cert", tbd::pki("self-signed/leaf.pem"), "-key",
                                          tbd::pki("self-signed/leaf.key")}));
  Outcome o = doctor(server.target(), {"--servername", "self-signed.example.test"});
  check(o, {1, "REJECTED", "SELF_SIGNED", "SELF_SIGNED", "NONE", {"SELF_SIGNED_LEAF"}, {"--extra-ca"}, {"CA"}});
}

TEST_F(Doctor, UnknownRootThenTrustedWithExtraCa) {
  START(server, std::vector<std::string>({"-cert", tbd::pki("untrusted/leaf.pem"), "-key", tbd::pki("untrusted/leaf.key"),
                                          "-cert_chain", tbd::pki("untrusted/intermediate.pem")}));
  Outcome o = doctor(server.target(), {"--servername", "untrusted.example.test"});
  check(o, {1, "REJECTED", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "NONE",
            {"UNKNOWN_ROOT"}, {"TRUSTBUNDLE_EXTRA_CA_CERTS=/path/to/root.pem", "--extra-ca", "'Untrusted Root CA'"},
            {"publicly trusted CA"}});

  Outcome trusted = doctor(server.target(), {"--servername", "untrusted.example.test", "--extra-ca",
                                             tbd::pki("untrusted/root.pem")});
  check(trusted, {0, "OK", "OK", "OK", "NONE", {"EXTRA_CA_ANCHOR"}, {}, {}});
}

// Issue 18: an unknown issuer with an old bundle adds STALE_BUNDLE. CTest sets
// the threshold to 0 (off); 1 day is past for any build of this bundle.
TEST_F(Doctor, StaleBundleWhenAnIssuerIsUnknown) {
  START(server, std::vector<std::string>({"-cert", tbd::pki("untrusted/leaf.pem"), "-key", tbd::pki("untrusted/leaf.key"),
                                          "-cert_chain", tbd::pki("untrusted/intermediate.pem")}));
  const char* saved = std::getenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS");
  const std::string keep = saved ? saved : "";
  setenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS", "1", 1);
  Outcome stale = doctor(server.target(), {"--servername", "untrusted.example.test"});
  Outcome trusted = doctor(server.target(), {"--servername", "untrusted.example.test", "--extra-ca",
                                             tbd::pki("untrusted/root.pem")});
  if (saved)
    setenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS", keep.c_str(), 1);
  else
    unsetenv("TRUSTBUNDLE_STALE_BUNDLE_DAYS");
  ASSERT_FALSE(stale.json.is_discarded()) << stale.json_run.out << stale.json_run.err;
  EXPECT_TRUE(has_code(stale.json, "UNKNOWN_ROOT")) << stale.text.out;
  EXPECT_TRUE(has_code(stale.json, "STALE_BUNDLE")) << stale.text.out;
  EXPECT_NE(stale.text.out.find("days old"), std::string::npos) << stale.text.out;
  EXPECT_EQ(stale.text.exit, 1);
  EXPECT_FALSE(has_code(trusted.json, "STALE_BUNDLE")) << trusted.text.out;  // it verified: nothing to explain
}

TEST_F(Doctor, UnknownRootThroughTheEnvironment) {
  START(server, std::vector<std::string>({"-cert", tbd::pki("untrusted/leaf.pem"), "-key", tbd::pki("untrusted/leaf.key"),
                                          "-cert_chain", tbd::pki("untrusted/intermediate.pem")}));
  ::setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", tbd::pki("untrusted/root.pem").c_str(), 1);
  Outcome o = doctor(server.target(), {"--servername", "untrusted.example.test"});
  ::unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS");
  check(o, {0, "OK", "OK", "OK", "NONE", {}, {}, {}});
}

TEST_F(Doctor, SentRootIsHarmlessAndDuplicatesAreFlagged) {
  // chain.pem (the intermediate) twice, then the root.
  tbd::TempDir dir;
  std::ofstream(dir.file("chain.pem")) << tbd::read_file(tbd::pki("intermediate.pem"))
                                       << tbd::read_file(tbd::pki("intermediate.pem"))
                                       << tbd::read_file(tbd::pki("root.pem"));
  START(server, localhost({"-cert_chain", dir.file("chain.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--servername", "localhost"});
  check(o, {0, "OK", "OK", "OK", "NONE", {"ROOT_SENT", "DUPLICATE_CERT"}, {}, {"remove the duplicate"}});
  EXPECT_NE(o.text.out.find("harmless"), std::string::npos);
}

TEST_F(Doctor, LeafAndIntermediateExpiringSoon) {
  START(server, std::vector<std::string>({"-cert", tbd::extra("soon/leaf.pem"), "-key", tbd::extra("soon/leaf.key"),
                                          "-cert_chain", tbd::extra("soon/intermediate.pem")}));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::extra("soon/root.pem"), "--servername", "localhost"});
  check(o, {0, "OK", "OK", "OK", "NONE", {"LEAF_EXPIRING", "INTERMEDIATE_EXPIRING"}, {}, {"renew", "'Soon Intermediate'"}});
  // Made at fixture time for 10 days: 10 whole days left within its first second, then 9.
  EXPECT_TRUE(o.text.out.find("in 9 days") != std::string::npos || o.text.out.find("in 10 days") != std::string::npos);
}

TEST_F(Doctor, OldProtocolIsAWarning) {
  tbd::SServer server(localhost({"-cert_chain", tbd::pki("server-localhost/chain.pem"), "-tls1", "-cipher",
                                 "DEFAULT:@SECLEVEL=0"}));
  if (!server.running()) GTEST_SKIP() << "this OpenSSL cannot serve TLS 1.0: " << server.why_not();
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem")});
  check(o, {0, "OK", "OK", "OK", "NONE", {"OLD_PROTOCOL"}, {}, {"TLS 1.2 and TLS 1.3"}});
  EXPECT_EQ(o.json["protocol"], "TLSv1");
}

TEST_F(Doctor, ServerNamesCannotReachTheTerminalRaw) {
  START(server, std::vector<std::string>({"-cert", tbd::extra("hostile/leaf.pem"), "-key", tbd::extra("hostile/leaf.key")}));
  Outcome o = doctor(server.target(), {"--servername", "localhost"});
  check(o, {1, "REJECTED", "SELF_SIGNED", "SELF_SIGNED", "NONE", {"SELF_SIGNED_LEAF"}, {}, {}});
  EXPECT_EQ(o.text.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(o.text.out.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(o.text.out.find("'hostile\\x1b[2J\\u009b31m'"), std::string::npos) << o.text.out;
  EXPECT_EQ(o.json["chain"][0]["name"], "hostile\x1b[2J\xc2\x9b" "31m");  // JSON keeps the data, escaped
}

// ----------------------------------------------------------------- mTLS

std::vector<std::string> mtls_server(bool tls12 = false) {
  std::vector<std::string> args = localhost({"-cert_chain", tbd::pki("server-localhost/chain.pem"), "-Verify", "1",
                                             "-verify_return_error", "-CAfile", tbd::extra("mtls-cas.pem")});
  if (tls12) args.push_back("-tls1_2");
  return args;
}

TEST_F(Doctor, ClientCertificateRequiredAndNoneOffered) {
  START(server, mtls_server());
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem")});
  check(o, {1, "REJECTED", "CLIENT_CERT", "OK", "CLIENT_CERT", {"CLIENT_CERT_REQUIRED"},
            {"--cert", "--key", "'Test Root CA'"}, {"optional"}});
  EXPECT_EQ(o.json["client_certificate"]["requested"], true);
  EXPECT_EQ(o.json["client_certificate"]["offered"], false);
  EXPECT_EQ(o.json["alert"]["name"], "certificate_required");
}

TEST_F(Doctor, ClientCertificateRequiredOverTls12) {
  START(server, mtls_server(/*tls12=*/true));
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem")});
  check(o, {1, "REJECTED", "CLIENT_CERT", "OK", "CLIENT_CERT", {"CLIENT_CERT_REQUIRED"}, {"--cert"}, {}});
  EXPECT_EQ(o.json["alert"]["name"], "handshake_failure");
}

TEST_F(Doctor, WrongClientCertificateIsReported) {
  START(server, mtls_server());
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--cert", tbd::extra("wrong-client/client.pem"),
                                       "--key", tbd::extra("wrong-client/client.key")});
  check(o, {1, "REJECTED", "CLIENT_CERT", "OK", "CLIENT_CERT", {"CLIENT_CERT_REJECTED"},
            {"the server trusts", "'Test Root CA'"}, {"'Wrong Client'", "trusted client CAs"}});
  EXPECT_EQ(o.json["client_certificate"]["offered"], true);
  EXPECT_EQ(o.json["alert"]["name"], "unknown_ca");
}

TEST_F(Doctor, ClientKeyThatDoesNotMatchIsNotOffered) {
  START(server, mtls_server());
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--cert", tbd::pki("mtls/client.pem"),
                                       "--key", tbd::pki("mtls/other.key")});
  check(o, {1, "REJECTED", "CLIENT_CERT", "OK", "CLIENT_CERT", {"CLIENT_KEY_MISMATCH", "CLIENT_CERT_REQUIRED"},
            {"check-pair"}, {}});
}

TEST_F(Doctor, RightClientCertificatePasses) {
  START(server, mtls_server());
  Outcome o = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--cert", tbd::pki("mtls/client.pem"),
                                       "--key", tbd::pki("mtls/client.key")});
  check(o, {0, "OK", "OK", "OK", "NONE", {"CLIENT_CERT_REQUESTED"}, {}, {}});
  EXPECT_EQ(o.json["client_certificate"]["offered"], true);
  EXPECT_NE(o.text.out.find("client certificate requested, 'Test Client' offered"), std::string::npos);

  // The encrypted key needs its passphrase (a usage error without it).
  tbd::TempDir dir;
  std::ofstream(dir.file("pass")) << "correct horse\n";
  Outcome encrypted = doctor(server.target(), {"--extra-ca", tbd::pki("root.pem"), "--cert", tbd::pki("mtls/client.pem"),
                                               "--key", tbd::pki("mtls/client-encrypted.key"), "--passphrase-file",
                                               dir.file("pass")});
  check(encrypted, {0, "OK", "OK", "OK", "NONE", {}, {}, {}});
  tbd::Run no_pass = tbd::run({tbd::cli(), "doctor", server.target(), "--cert", tbd::pki("mtls/client.pem"), "--key",
                               tbd::pki("mtls/client-encrypted.key")});
  EXPECT_EQ(no_pass.exit, 2);
  EXPECT_NE(no_pass.err.find("passphrase"), std::string::npos) << no_pass.err;
}

// ------------------------------------------------------- not reachable, not TLS

TEST_F(Doctor, NothingListens) {
  int port = tbd::free_port();
  Outcome o = doctor("127.0.0.1:" + std::to_string(port), {"--timeout", "5"});
  check(o, {2, "UNREACHABLE", "CONNECTION_REFUSED", "", "CONNECTION_REFUSED", {"CONNECTION_FAILED"}, {"port"},
            {"start the TLS service"}});
  EXPECT_NE(o.text.out.find("connection refused"), std::string::npos);
  EXPECT_EQ(o.json["chain"].size(), 0u);
}

TEST_F(Doctor, ListenerThatNeverAnswersTimesOut) {
  tbd::LoopbackServer silent("", /*accept_connections=*/false);
  ASSERT_GT(silent.port(), 0);
  Outcome o = doctor(silent.target(), {"--timeout", "2"});
  check(o, {2, "UNREACHABLE", "TIMEOUT", "", "TIMEOUT", {"CONNECTION_FAILED"}, {"--timeout"}, {}});
  EXPECT_NE(o.text.out.find("did not answer the TLS handshake within 2 s"), std::string::npos);
  EXPECT_GE(o.text.seconds, 1.9);
  EXPECT_LT(o.text.seconds, 5.0) << "the timeout bounds the whole probe";
  EXPECT_LT(o.json_run.seconds, 5.0);
}

TEST_F(Doctor, PlainHttpOnTheTlsPort) {
  tbd::LoopbackServer http("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                           /*accept_connections=*/true);
  ASSERT_GT(http.port(), 0);
  Outcome o = doctor(http.target(), {"--timeout", "5"});
  check(o, {2, "UNREACHABLE", "PLAIN_HTTP", "", "PLAIN_HTTP", {"CONNECTION_FAILED"}, {"http://"}, {"enable TLS"}});
  EXPECT_NE(o.text.out.find("plain HTTP (\"HTTP/1.1 400 Bad Request\")"), std::string::npos);
}

TEST_F(Doctor, AnotherProtocolOnThePort) {
  tbd::LoopbackServer ssh("SSH-2.0-OpenSSH_9.2\r\n", /*accept_connections=*/true);
  Outcome o = doctor(ssh.target(), {"--timeout", "5"});
  check(o, {2, "UNREACHABLE", "NOT_TLS", "", "NOT_TLS", {"CONNECTION_FAILED"}, {"port"}, {}});
  EXPECT_NE(o.text.out.find("SSH-2.0-OpenSSH_9.2"), std::string::npos);
}

TEST_F(Doctor, NameThatDoesNotResolve) {
  // .invalid never resolves (RFC 2606); offline, the lookup fails or times out: both are DNS.
  Outcome o = doctor("name.invalid", {"--timeout", "3"});
  check(o, {2, "UNREACHABLE", "DNS", "", "DNS", {"CONNECTION_FAILED"}, {"DNS"}, {"DNS record"}});
  EXPECT_LT(o.text.seconds, 6.0);
}

TEST_F(Doctor, BadUsageIsExitTwoWithOneLine) {
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{{tbd::cli(), "doctor"},
                                             {tbd::cli(), "doctor", "127.0.0.1:99999"},
                                             {tbd::cli(), "doctor", "a:b:c"},
                                             {tbd::cli(), "doctor", "127.0.0.1", "--timeout", "0"},
                                             {tbd::cli(), "doctor", "127.0.0.1", "--key", "k.pem"},
                                             {tbd::cli(), "doctor", "127.0.0.1", "--extra-ca", "/nonexistent/ca.pem"}}) {
    tbd::Run r = tbd::run(argv);
    EXPECT_EQ(r.exit, 2) << argv.back();
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  tbd::Run help = tbd::run({tbd::cli(), "doctor", "--help"});
  EXPECT_EQ(help.exit, 0);
  EXPECT_NE(help.out.find("doctor HOST[:PORT]"), std::string::npos);
}

}  // namespace
