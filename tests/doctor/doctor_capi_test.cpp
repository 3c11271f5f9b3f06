// The probe through the C ABI (what every binding calls): accessors agree
// with the JSON, the text is byte for byte what the CLI prints, client
// certificates are passed as bytes, and one store serves probes from
// several threads at once.
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

#include "doctor_support.h"
#include "trustbundle/trustbundle.h"

namespace {

struct StoreFree { void operator()(trustbundle_store* s) const { trustbundle_store_free(s); } };
struct ProbeFree { void operator()(trustbundle_probe* p) const { trustbundle_probe_free(p); } };
using StorePtr = std::unique_ptr<trustbundle_store, StoreFree>;
using ProbePtr = std::unique_ptr<trustbundle_probe, ProbeFree>;

StorePtr store_with(const std::string& ca) {
  trustbundle_store_builder* builder = nullptr;
  trustbundle_store* store = nullptr;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_store_builder_new(&builder, nullptr, &err), TRUSTBUNDLE_OK) << err.message;
  EXPECT_EQ(trustbundle_store_builder_add_path(builder, ca.c_str(), &err), TRUSTBUNDLE_OK) << err.message;
  EXPECT_EQ(trustbundle_store_build(&store, builder, &err), TRUSTBUNDLE_OK) << err.message;
  trustbundle_store_builder_free(builder);
  return StorePtr(store);
}

ProbePtr probe(const trustbundle_store* store, const std::string& target, const trustbundle_probe_options* options,
               int expected = TRUSTBUNDLE_OK) {
  trustbundle_probe* out = nullptr;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_probe_new(&out, store, target.c_str(), options, &err), expected) << err.message;
  return ProbePtr(out);
}

std::string sha256_hex(const unsigned char* der, size_t len) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(der, len, md);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : md) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

class DoctorCapi : public ::testing::Test {
 protected:
  void SetUp() override {
    TBD_REQUIRE_FIXTURES();
    ASSERT_FALSE(tbd::openssl().empty());
    ::unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS");
  }
};

std::vector<std::string> mtls_server() {
  return {"-cert", tbd::pki("server-localhost/leaf.pem"), "-key", tbd::pki("server-localhost/leaf.key"),
          "-cert_chain", tbd::pki("server-localhost/chain.pem"), "-Verify", "1", "-verify_return_error",
          "-CAfile", tbd::extra("mtls-cas.pem")};
}

TEST_F(DoctorCapi, AccessorsDescribeTheServedChain) {
  tbd::SServer server({"-cert", tbd::pki("server-localhost/leaf.pem"), "-key", tbd::pki("server-localhost/leaf.key"),
                       "-cert_chain", tbd::pki("server-localhost/chain.pem")});
  ASSERT_TRUE(server.running()) << server.why_not();
  StorePtr store = store_with(tbd::pki("root.pem"));
  trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  options.servername = "localhost";
  options.timeout_ms = 10000;
  ProbePtr p = probe(store.get(), server.target(), &options);
  ASSERT_TRUE(p);
  EXPECT_EQ(trustbundle_probe_verdict(p.get()), TRUSTBUNDLE_VERDICT_OK);
  EXPECT_EQ(trustbundle_probe_failure(p.get()), TRUSTBUNDLE_FAILURE_NONE);
  EXPECT_EQ(trustbundle_probe_reason(p.get()), TRUSTBUNDLE_REASON_OK);
  EXPECT_STREQ(trustbundle_probe_hint(p.get()), "");
  EXPECT_STREQ(trustbundle_probe_protocol(p.get()), "TLSv1.3");
  EXPECT_STRNE(trustbundle_probe_cipher(p.get()), "");
  EXPECT_EQ(trustbundle_probe_client_cert_requested(p.get()), 0);
  EXPECT_STREQ(trustbundle_probe_fix_client(p.get()), "");
  EXPECT_STREQ(trustbundle_probe_fix_server(p.get()), "");

  ASSERT_EQ(trustbundle_probe_cert_count(p.get()), 2u);
  trustbundle_probe_cert leaf = TRUSTBUNDLE_PROBE_CERT_INIT;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  ASSERT_EQ(trustbundle_probe_cert_get(&leaf, p.get(), 0, &err), TRUSTBUNDLE_OK) << err.message;
  EXPECT_STREQ(leaf.subject, "CN=localhost O=trustbundle test PKI");
  EXPECT_STREQ(leaf.issuer, "CN=Test Intermediate CA O=trustbundle test PKI");
  EXPECT_STREQ(leaf.key_type, "RSA");
  EXPECT_EQ(leaf.key_bits, 2048);
  tbd::Window served = tbd::window_of(tbd::pki("server-localhost/leaf.pem"));
  EXPECT_EQ(leaf.not_before, served.not_before);
  EXPECT_EQ(leaf.not_after, served.not_after);
  EXPECT_GT(leaf.not_after, leaf.not_before);
  EXPECT_EQ(sha256_hex(leaf.der, leaf.der_len), leaf.sha256_hex);

  tbd::Json json = tbd::Json::parse(trustbundle_probe_json(p.get()));
  EXPECT_EQ(json["verdict"], "OK");
  EXPECT_EQ(json["chain"][0]["sha256"], leaf.sha256_hex);
  ASSERT_EQ(trustbundle_probe_finding_count(p.get()), json["findings"].size());
  for (size_t i = 0; i < trustbundle_probe_finding_count(p.get()); ++i) {
    trustbundle_finding f = TRUSTBUNDLE_FINDING_INIT;
    ASSERT_EQ(trustbundle_probe_finding_get(&f, p.get(), i, nullptr), TRUSTBUNDLE_OK);
    EXPECT_EQ(json["findings"][i]["code"], f.name);
    EXPECT_EQ(json["findings"][i]["message"], f.message);
  }

  // The text is the CLI's report, byte for byte.
  if (!tbd::cli().empty()) {
    tbd::Run cli = tbd::run({tbd::cli(), "doctor", server.target(), "--servername", "localhost", "--extra-ca",
                             tbd::pki("root.pem")});
    EXPECT_EQ(cli.exit, 0);
    EXPECT_EQ(cli.out, trustbundle_probe_text(p.get()));
  }
}

TEST_F(DoctorCapi, ClientCertificateAsBytes) {
  tbd::SServer server(mtls_server());
  ASSERT_TRUE(server.running()) << server.why_not();
  StorePtr store = store_with(tbd::pki("root.pem"));
  std::string cert = tbd::read_file(tbd::pki("mtls/client.pem"));
  std::string key = tbd::read_file(tbd::pki("mtls/client-encrypted.key"));

  ProbePtr none = probe(store.get(), server.target(), nullptr);
  ASSERT_TRUE(none);
  EXPECT_EQ(trustbundle_probe_verdict(none.get()), TRUSTBUNDLE_VERDICT_REJECTED);
  EXPECT_EQ(trustbundle_probe_failure(none.get()), TRUSTBUNDLE_FAILURE_CLIENT_CERT);
  EXPECT_EQ(trustbundle_probe_client_cert_requested(none.get()), 1);
  EXPECT_NE(std::string(trustbundle_probe_fix_client(none.get())).find("--cert"), std::string::npos);

  trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  options.client_cert = reinterpret_cast<const unsigned char*>(cert.data());
  options.client_cert_len = cert.size();
  options.client_key = reinterpret_cast<const unsigned char*>(key.data());
  options.client_key_len = key.size();
  ProbePtr locked = probe(store.get(), server.target(), &options, TRUSTBUNDLE_E_PASSPHRASE);
  EXPECT_FALSE(locked);
  options.client_key_passphrase = "correct horse";
  ProbePtr offered = probe(store.get(), server.target(), &options);
  ASSERT_TRUE(offered);
  EXPECT_EQ(trustbundle_probe_verdict(offered.get()), TRUSTBUNDLE_VERDICT_OK) << trustbundle_probe_text(offered.get());
}

// The fixes name the options of the language that asked, so a user reads
// what to change in their own code; the CLI's flags by default and for a
// version 1 options struct.
TEST_F(DoctorCapi, FixesNameTheCallersOptions) {
  tbd::SServer leaf_only({"-cert", tbd::pki("server-localhost/leaf.pem"), "-key", tbd::pki("server-localhost/leaf.key")});
  tbd::SServer mtls(mtls_server());
  ASSERT_TRUE(leaf_only.running()) << leaf_only.why_not();
  ASSERT_TRUE(mtls.running()) << mtls.why_not();
  StorePtr store = store_with(tbd::pki("root.pem"));
  struct Case {
    int language;
    std::string extra_ca;     // in the missing-intermediate fix
    std::string client_cert;  // in the client-certificate-required fix
  };
  const Case cases[] = {
      {TRUSTBUNDLE_LANGUAGE_CLI, "--extra-ca /path/to/root.pem", "--cert client.pem --key client.key"},
      {TRUSTBUNDLE_LANGUAGE_PYTHON, "extra_ca=\"/path/to/root.pem\"", "cert=\"client.pem\", key=\"client.key\""},
      {TRUSTBUNDLE_LANGUAGE_NODE, "{ extraCa: '/path/to/root.pem' }", "{ cert: 'client.pem', key: 'client.key' }"},
      {TRUSTBUNDLE_LANGUAGE_RUBY, "extra_ca: \"/path/to/root.pem\"", "cert: \"client.pem\", key: \"client.key\""},
      {TRUSTBUNDLE_LANGUAGE_GO, "ExtraCA: []trustbundle.CASource{trustbundle.CAPath(\"/path/to/root.pem\")}", "ClientCert: \"client.pem\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.language);
    trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
    options.servername = "localhost";
    options.language = c.language;
    ProbePtr missing = probe(store.get(), leaf_only.target(), &options);
    ASSERT_TRUE(missing);
    std::string fix = trustbundle_probe_fix_client(missing.get());
    EXPECT_NE(fix.find("TRUSTBUNDLE_EXTRA_CA_CERTS=/path/to/root.pem, or " + c.extra_ca), std::string::npos) << fix;
    ProbePtr no_cert = probe(store.get(), mtls.target(), &options);
    ASSERT_TRUE(no_cert);
    fix = trustbundle_probe_fix_client(no_cert.get());
    EXPECT_NE(fix.find(c.client_cert), std::string::npos) << fix;
    if (c.language != TRUSTBUNDLE_LANGUAGE_CLI) EXPECT_EQ(fix.find("--"), std::string::npos) << fix;
  }

  trustbundle_probe_options v1 = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  v1.version = 1;
  v1.language = TRUSTBUNDLE_LANGUAGE_PYTHON;  // not read from a version 1 struct
  ProbePtr old = probe(store.get(), mtls.target(), &v1);
  ASSERT_TRUE(old);
  EXPECT_NE(std::string(trustbundle_probe_fix_client(old.get())).find("--cert client.pem"), std::string::npos);

  trustbundle_probe_options bad = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  bad.language = 99;
  EXPECT_FALSE(probe(store.get(), mtls.target(), &bad, TRUSTBUNDLE_E_INVALID_ARGUMENT));
}

TEST_F(DoctorCapi, OneStoreManyThreads) {
  tbd::SServer server({"-cert", tbd::pki("server-localhost/leaf.pem"), "-key", tbd::pki("server-localhost/leaf.key")});
  ASSERT_TRUE(server.running()) << server.why_not();
  StorePtr store = store_with(tbd::pki("root.pem"));
  std::vector<int> verdicts(4, -1);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < verdicts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        trustbundle_probe* p = nullptr;
        if (trustbundle_probe_new(&p, store.get(), server.target().c_str(), nullptr, nullptr) != TRUSTBUNDLE_OK) return;
        bool missing = false;
        for (size_t k = 0; k < trustbundle_probe_finding_count(p); ++k) {
          trustbundle_finding f = TRUSTBUNDLE_FINDING_INIT;
          missing = missing || (trustbundle_probe_finding_get(&f, p, k, nullptr) == TRUSTBUNDLE_OK &&
                                f.code == TRUSTBUNDLE_FINDING_MISSING_INTERMEDIATE);
        }
        verdicts[t] = missing ? trustbundle_probe_verdict(p) : -2;
        trustbundle_probe_free(p);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int v : verdicts) EXPECT_EQ(v, TRUSTBUNDLE_VERDICT_REJECTED);
}

TEST_F(DoctorCapi, UnreachableIsADiagnosisNotAnError) {
  StorePtr store = store_with(tbd::pki("root.pem"));
  ProbePtr p = probe(store.get(), "127.0.0.1:" + std::to_string(tbd::free_port()), nullptr);
  ASSERT_TRUE(p);
  EXPECT_EQ(trustbundle_probe_verdict(p.get()), TRUSTBUNDLE_VERDICT_UNREACHABLE);
  EXPECT_STREQ(trustbundle_failure_name(trustbundle_probe_failure(p.get())), "CONNECTION_REFUSED");
  EXPECT_EQ(trustbundle_probe_reason(p.get()), TRUSTBUNDLE_REASON_OTHER);
  EXPECT_EQ(trustbundle_probe_cert_count(p.get()), 0u);
}

}  // namespace
