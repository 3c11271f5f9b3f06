// Runs every case of tests/vectors/verify.json through the C ABI
// (trustbundle_verify, trustbundle_check_key_pair), one GoogleTest per case,
// against the PKI the verify_pki fixture generated for this test run.
//
// The vectors are the contract every language package runs: ok, reason
// name, depth and chain length must match exactly. Hints are not part of
// that contract, but the issue fixes their substance, so rejections are
// also checked for a non-empty hint with the key facts in it.
//
// An unknown `kind`, `trust` form or `purpose` fails the case (never a pass);
// the VectorRunner tests below prove that.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "verify_support.h"

using nlohmann::json;

namespace {

constexpr const char kEnvExtraCa[] = "TRUSTBUNDLE_EXTRA_CA_CERTS";

struct VectorCase {
  std::string name;
  json body;
};

void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.name; }

std::string& load_error() {
  static std::string error;
  return error;
}

json& vectors_document() {
  static json doc;
  return doc;
}

std::vector<VectorCase> load_cases() {
  std::vector<VectorCase> cases;
  try {
    vectors_document() = json::parse(tbv::read_file(tbv::vectors_path()));
    for (const json& c : vectors_document().at("cases")) cases.push_back({c.at("name").get<std::string>(), c});
  } catch (const std::exception& e) {
    load_error() = std::string("cannot load '") + tbv::vectors_path() + "': " + e.what();
    cases.clear();
  }
  return cases;
}

// GoogleTest names allow only [A-Za-z0-9_].
std::string test_name(const std::string& case_name) {
  std::string out;
  for (char ch : case_name) out.push_back(std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
  return out;
}

// ------------------------------------------------------------ the stores

enum class TrustForm { Default, ExtraCa, Roots, EnvExtraCa, RootsCertdata };

struct Trust {
  TrustForm form = TrustForm::Default;
  std::vector<std::string> files;  // relative to the PKI dir
};

// nullopt (after a recorded failure) for anything but the five known forms.
std::optional<Trust> parse_trust(const json& trust) {
  if (!trust.is_object()) {
    ADD_FAILURE() << "unknown trust form (not an object): " << trust.dump();
    return std::nullopt;
  }
  Trust t;
  if (trust.empty()) return t;
  if (trust.size() != 1) {
    ADD_FAILURE() << "unknown trust form (more than one key): " << trust.dump();
    return std::nullopt;
  }
  const std::string key = trust.begin().key();
  const json& value = trust.begin().value();
  if ((key == "extra_ca" || key == "roots") && value.is_array() && !value.empty()) {
    t.form = key == "extra_ca" ? TrustForm::ExtraCa : TrustForm::Roots;
    for (const json& f : value) t.files.push_back(f.get<std::string>());
    return t;
  }
  if ((key == "env_extra_ca" || key == "roots_certdata") && value.is_string()) {
    t.form = key == "env_extra_ca" ? TrustForm::EnvExtraCa : TrustForm::RootsCertdata;
    t.files.push_back(value.get<std::string>());
    return t;
  }
  ADD_FAILURE() << "unknown trust form: " << trust.dump();
  return std::nullopt;
}

tbv::StorePtr build_store(const Trust& trust) {
  // Every form but env_extra_ca runs with the variable unset.
  tbv::ScopedEnv env(kEnvExtraCa, std::nullopt);
  std::vector<std::string> paths;
  for (const std::string& f : trust.files) paths.push_back(tbv::pki(f));
  switch (trust.form) {
    case TrustForm::Default:
      return tbv::default_store();
    case TrustForm::ExtraCa: {
      tbv::StorePtr store = tbv::make_store(/*mozilla=*/true, paths, /*env=*/true);
      EXPECT_GE(trustbundle_store_extra_count(store.get()), paths.size());
      return store;
    }
    case TrustForm::Roots:
    case TrustForm::RootsCertdata:
      return tbv::make_store(/*mozilla=*/false, paths, /*env=*/false);
    case TrustForm::EnvExtraCa: {
      tbv::ScopedEnv with(kEnvExtraCa, paths.at(0));
      tbv::StorePtr store = tbv::default_store();
      EXPECT_EQ(trustbundle_store_extra_count(store.get()), 1u) << "the variable's CA was not added";
      return store;
    }
  }
  return nullptr;
}

// -------------------------------------------------------------- the hints

// Every certificate of the chain files, flattened, leaf first.
std::vector<tbv::X509Ptr> given_chain(const json& files) {
  std::vector<tbv::X509Ptr> out;
  for (const json& f : files)
    for (tbv::X509Ptr& c : tbv::read_pem_certs(tbv::pki(f.get<std::string>()))) out.push_back(std::move(c));
  return out;
}

std::string days_phrase(int64_t seconds) {
  int64_t days = seconds / 86400;
  return std::to_string(days) + (days == 1 ? " day" : " days");
}

void check_hint(const json& c, const std::string& reason, int depth, int64_t at, const std::string& hint) {
  SCOPED_TRACE("hint: " + hint);
  EXPECT_FALSE(hint.empty()) << "every rejection has a hint";
  EXPECT_EQ(hint.find('\n'), std::string::npos) << "a hint is one line";
  std::vector<tbv::X509Ptr> chain = given_chain(c.at("chain"));
  ASSERT_FALSE(chain.empty());
  X509* at_depth = depth >= 0 && static_cast<size_t>(depth) < chain.size() ? chain[depth].get() : nullptr;
  const std::string host = c.at("host").is_string() ? c.at("host").get<std::string>() : "";

  if (reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" && depth == 0 && chain.size() == 1) {
    // "the server did not send its intermediate certificate"
    EXPECT_NE(hint.find("did not send its intermediate"), std::string::npos);
    EXPECT_NE(hint.find("'" + tbv::common_name(X509_get_issuer_name(chain[0].get())) + "'"), std::string::npos)
        << "names the missing issuer";
  } else if (reason == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" || reason == "SELF_SIGNED_CERT_IN_CHAIN") {
    // "issued by 'Corp Root CA', which is not trusted: add it with TRUSTBUNDLE_EXTRA_CA_CERTS"
    EXPECT_NE(hint.find("not trusted"), std::string::npos);
    EXPECT_NE(hint.find("TRUSTBUNDLE_EXTRA_CA_CERTS"), std::string::npos);
    if (at_depth != nullptr) {
      EXPECT_NE(hint.find("'" + tbv::common_name(X509_get_issuer_name(at_depth)) + "'"), std::string::npos)
          << "names the untrusted issuer";
    }
  } else if (reason == "HOSTNAME_MISMATCH" || reason == "IP_ADDRESS_MISMATCH") {
    // "api.example.com is not among the certificate's names: a.example.com, *.b.example.com"
    EXPECT_NE(hint.find(host), std::string::npos) << "names the host";
    std::vector<std::string> names = tbv::san_dns_and_ipv4(chain[0].get());
    if (names.empty()) {
      EXPECT_NE(hint.find("subjectAltName"), std::string::npos) << "says the certificate has no SAN";
    } else {
      std::string list;
      for (const std::string& n : names) {
        EXPECT_NE(hint.find(n), std::string::npos) << "lists the SAN " << n;
        list += (list.empty() ? "" : ", ") + n;
      }
      if (reason == "HOSTNAME_MISMATCH") {
        EXPECT_NE(hint.find(list), std::string::npos) << "lists the SANs: " << list;
      }
    }
  } else if (reason == "CERT_HAS_EXPIRED") {
    // "expired on 2025-03-01, 266 days before the check time"
    ASSERT_NE(at_depth, nullptr);
    int64_t not_after = tbv::asn1_seconds(X509_get0_notAfter(at_depth));
    EXPECT_NE(hint.find("expired on " + tbv::utc_date(not_after)), std::string::npos);
    EXPECT_NE(hint.find(days_phrase(at - not_after) + " before the check time"), std::string::npos);
  } else if (reason == "CERT_NOT_YET_VALID") {
    ASSERT_NE(at_depth, nullptr);
    int64_t not_before = tbv::asn1_seconds(X509_get0_notBefore(at_depth));
    EXPECT_NE(hint.find(tbv::utc_date(not_before)), std::string::npos) << "names the start date";
  } else if (reason == "SELF_SIGNED") {
    EXPECT_NE(hint.find("self-signed"), std::string::npos);
  } else if (reason == "INVALID_PURPOSE") {
    const bool client = c.at("purpose") == "client";
    EXPECT_NE(hint.find(client ? "clientAuth" : "serverAuth"), std::string::npos) << "names the missing EKU";
  } else if (reason == "ROOT_DISTRUSTED") {
    EXPECT_NE(hint.find("distrusted"), std::string::npos);
  }
}

// -------------------------------------------------------------- the kinds

void run_verify_case(const json& c) {
  std::optional<Trust> trust = parse_trust(c.at("trust"));
  if (!trust) return;
  const std::string purpose = c.at("purpose").get<std::string>();
  if (purpose != "server" && purpose != "client") {
    ADD_FAILURE() << "unknown purpose '" << purpose << "'";
    return;
  }
  const json& expect = c.at("expect");
  const bool expect_ok = expect.at("ok").get<bool>();
  const std::string expect_reason = expect.at("reason").get<std::string>();
  const int expect_depth = expect.at("depth").get<int>();

  std::vector<std::string> files;
  for (const json& f : c.at("chain")) files.push_back(f.get<std::string>());
  tbv::PackedChain chain = tbv::chain_of_files(files);
  const std::string host = c.at("host").is_null() ? "" : c.at("host").get<std::string>();
  const int64_t at = tbv::parse_time(c.at("at").get<std::string>());

  tbv::StorePtr store = build_store(*trust);
  ASSERT_NE(store, nullptr);

  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = c.at("host").is_null() ? nullptr : host.c_str();
  opts.has_time = 1;
  opts.time = at;
  opts.purpose = purpose == "client" ? TRUSTBUNDLE_PURPOSE_CLIENT : TRUSTBUNDLE_PURPOSE_SERVER;

  trustbundle_result* raw = nullptr;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int rc = trustbundle_verify(&raw, store.get(), chain.data(), chain.lengths.data(), chain.lengths.size(), &opts, &err);
  tbv::ResultPtr result(raw);
  ASSERT_EQ(rc, TRUSTBUNDLE_OK) << "no verdict: " << tbv::describe(rc, err);
  ASSERT_NE(result, nullptr);

  const bool ok = trustbundle_result_ok(result.get()) == 1;
  const std::string reason = trustbundle_reason_name(trustbundle_result_reason(result.get()));
  const int depth = trustbundle_result_depth(result.get());
  const std::string message = trustbundle_result_message(result.get());
  const std::string hint = trustbundle_result_hint(result.get());
  SCOPED_TRACE("got: " + reason + " at depth " + std::to_string(depth) + ": " + message + " / hint: " + hint);

  EXPECT_EQ(ok, expect_ok);
  EXPECT_EQ(reason, expect_reason);
  EXPECT_EQ(depth, expect_depth);
  const size_t chain_count = trustbundle_result_chain_count(result.get());
  if (expect_ok) {
    ASSERT_TRUE(expect.contains("chain_length")) << "an accepted case must give chain_length";
    EXPECT_EQ(chain_count, expect.at("chain_length").get<size_t>());
    EXPECT_EQ(trustbundle_result_openssl_code(result.get()), 0);
    EXPECT_EQ(message, "");
    EXPECT_EQ(hint, "");
    // The verified chain starts at the leaf we sent.
    std::vector<tbv::X509Ptr> given = given_chain(c.at("chain"));
    size_t len = 0;
    const unsigned char* der = trustbundle_result_chain_der(result.get(), 0, &len);
    ASSERT_NE(der, nullptr);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(der), len), tbv::der_of(given.at(0).get()));
    EXPECT_EQ(trustbundle_result_chain_der(result.get(), chain_count, &len), nullptr);
  } else {
    EXPECT_EQ(chain_count, 0u);
    EXPECT_FALSE(message.empty()) << "every rejection says what failed";
    check_hint(c, reason, depth, at, hint);
  }
}

void run_key_pair_case(const json& c) {
  const std::string cert = tbv::read_file(tbv::pki(c.at("cert").get<std::string>()));
  const std::string key = tbv::read_file(tbv::pki(c.at("key").get<std::string>()));
  const std::string passphrase = c.at("passphrase").is_null() ? "" : c.at("passphrase").get<std::string>();
  const int64_t at = tbv::parse_time(c.at("at").get<std::string>());
  const json& expect = c.at("expect");

  trustbundle_key_check check = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int rc = trustbundle_check_key_pair(&check, reinterpret_cast<const unsigned char*>(cert.data()), cert.size(),
                                      reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                                      c.at("passphrase").is_null() ? nullptr : passphrase.c_str(), 1, at, &err);
  if (expect.contains("error")) {
    EXPECT_EQ(std::string(trustbundle_status_name(rc)), expect.at("error").get<std::string>()) << err.message;
    EXPECT_EQ(err.status, rc);
    EXPECT_NE(err.message[0], '\0') << "a failure says what was wrong";
    return;
  }
  ASSERT_EQ(rc, TRUSTBUNDLE_OK) << tbv::describe(rc, err);
  EXPECT_EQ(check.match == 1, expect.at("match").get<bool>());
  EXPECT_EQ(check.client_auth == 1, expect.at("client_auth").get<bool>());
  EXPECT_EQ(check.valid == 1, expect.at("valid").get<bool>());
  EXPECT_LT(check.not_before, check.not_after);
  EXPECT_EQ(check.valid == 1, check.not_before <= at && at <= check.not_after);
}

// Failures are recorded, never thrown: an unknown kind fails the case.
void run_case(const json& c) {
  try {
    const std::string kind = c.at("kind").get<std::string>();
    if (kind == "verify")
      run_verify_case(c);
    else if (kind == "key_pair")
      run_key_pair_case(c);
    else
      ADD_FAILURE() << "unknown kind '" << kind << "' in case '" << c.value("name", "?") << "'";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "malformed case or missing file: " << e.what();
  }
}

// ----------------------------------------------------------------- tests

class Vectors : public ::testing::TestWithParam<VectorCase> {};

TEST_P(Vectors, Case) {
  TBV_REQUIRE_PKI();
  const VectorCase& c = GetParam();
  if (c.body.contains("description")) RecordProperty("description", c.body.at("description").get<std::string>());
  run_case(c.body);
}

INSTANTIATE_TEST_SUITE_P(VerifyJson, Vectors, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<VectorCase>& info) { return test_name(info.param.name); });

TEST(VectorsFile, IsWellFormed) {
  ASSERT_TRUE(load_error().empty()) << load_error();
  const json& doc = vectors_document();
  EXPECT_EQ(doc.at("version"), 1);
  ASSERT_GT(doc.at("cases").size(), 0u);
  std::set<std::string> names, test_names;
  for (const json& c : doc.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name " << name;
    EXPECT_TRUE(test_names.insert(test_name(name)).second) << "two names map to the test name " << test_name(name);
  }
}

// The runner itself: anything it does not know, or a verdict that differs
// from the expectation, is a failure (never a pass or a silent skip).
// Runs a case with failures captured; returns their messages.
std::vector<std::string> failures_of(const json& c) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    run_case(c);
  }
  std::vector<std::string> out;
  for (int i = 0; i < results.size(); ++i)
    if (results.GetTestPartResult(i).failed()) out.push_back(results.GetTestPartResult(i).message());
  return out;
}

::testing::AssertionResult FailsWith(const json& c, const std::string& needle) {
  std::vector<std::string> failures = failures_of(c);
  if (failures.empty()) return ::testing::AssertionFailure() << "the case passed: " << c.dump();
  for (const std::string& f : failures)
    if (f.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no failure mentions '" << needle << "'; first: " << failures.front();
}

json valid_case() {
  return json::parse(R"({"name": "x", "kind": "verify", "chain": ["valid/leaf.pem", "valid/intermediate.pem"],
      "host": "a.example.test", "at": "2026-06-01T00:00:00Z", "purpose": "server",
      "trust": {"extra_ca": ["root.pem"]},
      "expect": {"ok": true, "reason": "OK", "depth": -1, "chain_length": 3}})");
}

TEST(VectorRunner, TheValidCasePasses) {
  TBV_REQUIRE_PKI();
  std::vector<std::string> failures = failures_of(valid_case());
  EXPECT_TRUE(failures.empty()) << failures.front();
}

TEST(VectorRunner, UnknownKindFails) {
  json c = valid_case();
  c["kind"] = "verify_ocsp";
  EXPECT_TRUE(FailsWith(c, "unknown kind 'verify_ocsp'"));
  c.erase("kind");
  EXPECT_TRUE(FailsWith(c, "malformed case"));
}

TEST(VectorRunner, UnknownTrustFormFails) {
  TBV_REQUIRE_PKI();
  json c = valid_case();
  c["trust"] = {{"system_store", true}};
  EXPECT_TRUE(FailsWith(c, "unknown trust form"));
  c["trust"] = {{"extra_ca", {"root.pem"}}, {"roots", {"root.pem"}}};
  EXPECT_TRUE(FailsWith(c, "unknown trust form"));
  c["trust"] = {{"env_extra_ca", {"root.pem"}}};  // must be a string
  EXPECT_TRUE(FailsWith(c, "unknown trust form"));
  c["trust"] = "root.pem";
  EXPECT_TRUE(FailsWith(c, "unknown trust form"));
  c = valid_case();
  c["purpose"] = "code-signing";
  EXPECT_TRUE(FailsWith(c, "unknown purpose"));
}

TEST(VectorRunner, AWrongExpectationFails) {
  TBV_REQUIRE_PKI();
  json c = valid_case();
  c["expect"] = {{"ok", false}, {"reason", "HOSTNAME_MISMATCH"}, {"depth", 0}};
  EXPECT_TRUE(FailsWith(c, "HOSTNAME_MISMATCH"));
  c = valid_case();
  c["expect"]["chain_length"] = 2;
  EXPECT_TRUE(FailsWith(c, "chain_length"));
  c = json::parse(R"({"name": "k", "kind": "key_pair", "cert": "mtls/client.pem", "key": "mtls/other.key",
      "passphrase": null, "at": "2026-06-01T00:00:00Z",
      "expect": {"match": true, "client_auth": true, "valid": true}})");
  EXPECT_TRUE(FailsWith(c, "match"));
  c["expect"] = {{"error", "PASSPHRASE"}};
  EXPECT_TRUE(FailsWith(c, "PASSPHRASE"));
}

// The environment variable is restored after an env_extra_ca case.
TEST(VectorRunner, EnvExtraCaIsRestored) {
  TBV_REQUIRE_PKI();
  tbv::ScopedEnv outer(kEnvExtraCa, std::string("/nonexistent/outer-value.pem"));
  Trust t;
  t.form = TrustForm::EnvExtraCa;
  t.files = {"root.pem"};
  tbv::StorePtr store = build_store(t);
  ASSERT_NE(store, nullptr);
  const char* now = std::getenv(kEnvExtraCa);
  ASSERT_NE(now, nullptr);
  EXPECT_STREQ(now, "/nonexistent/outer-value.pem");
}

}  // namespace
