// The host a verification checks is validated before OpenSSL sees it
// (issue 15, item 3): OpenSSL reads a leading dot as "any subdomain of",
// so host ".example.test" used to accept a certificate for a.example.test.
// Bad names are TRUSTBUNDLE_E_INVALID_ARGUMENT naming the value, in verify
// and in the doctor's servername; an absolute name ("a.example.test.")
// is the name without its dot.
#include "verify_support.h"

namespace {

struct Outcome {
  int status = 0;
  std::string message;  // the error's, when status is not OK
  int reason = -1;
};

Outcome verify_host(trustbundle_store* store, const std::string& host) {
  const tbv::PackedChain chain = tbv::chain_of_files({"valid/leaf.pem", "valid/intermediate.pem"});
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = host.c_str();
  opts.has_time = 1;
  opts.time = tbv::parse_time("2026-06-01T00:00:00Z");
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_result* raw = nullptr;
  Outcome out;
  out.status = trustbundle_verify(&raw, store, chain.data(), chain.lengths.data(), chain.lengths.size(), &opts, &error);
  tbv::ResultPtr result(raw);
  if (out.status != TRUSTBUNDLE_OK) {
    out.message = error.message;
    EXPECT_EQ(raw, nullptr);
  } else {
    out.reason = trustbundle_result_reason(result.get());
  }
  return out;
}

class HostCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    TBV_REQUIRE_PKI();
    store_ = tbv::make_store(/*mozilla=*/false, {tbv::pki("root.pem")});
  }
  tbv::StorePtr store_;
};

TEST_F(HostCheck, LeadingDotIsRejectedNotASubdomainMatch) {
  // The leaf's names are a.example.test and *.b.example.test.
  for (const std::string host : {".example.test", ".test", ".b.example.test", ".a.example.test"}) {
    Outcome out = verify_host(store_.get(), host);
    EXPECT_EQ(out.status, TRUSTBUNDLE_E_INVALID_ARGUMENT) << host << " gave reason " << out.reason;
    EXPECT_NE(out.message.find("'" + host + "'"), std::string::npos) << out.message;
    EXPECT_NE(out.message.find("starts with a dot"), std::string::npos) << out.message;
  }
}

TEST_F(HostCheck, MalformedNamesAreInvalidArguments) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"a..example.test", "empty label"},
      {"a.example.test..", "empty label"},
      {".", "starts with a dot"},
      {"a example.test", "space"},
      {"a.example.test\t", "control"},
      {"a.example.test/path", "'/'"},
      {"user@a.example.test", "'@'"},
      {"a.example.test:443", "':'"},
      {"fe80::1%eth0", "':'"},
      {std::string(64, 'a') + ".example.test", "label is longer than 63"},
      {std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(62, 'd'),
       "longer than 253"},
  };
  for (const auto& [host, why] : bad) {
    Outcome out = verify_host(store_.get(), host);
    EXPECT_EQ(out.status, TRUSTBUNDLE_E_INVALID_ARGUMENT) << host;
    EXPECT_NE(out.message.find(why), std::string::npos) << host << ": " << out.message;
    EXPECT_NE(out.message.find("host '"), std::string::npos) << out.message;
  }
}

TEST_F(HostCheck, GoodNamesStillVerify) {
  const std::string longest = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                              std::string(61, 'd');  // 253 bytes
  ASSERT_EQ(longest.size(), 253u);
  const std::vector<std::pair<std::string, int>> good = {
      {"a.example.test", TRUSTBUNDLE_REASON_OK},
      {"a.example.test.", TRUSTBUNDLE_REASON_OK},  // absolute: the same name
      {"A.Example.TEST.", TRUSTBUNDLE_REASON_OK},
      {"x.b.example.test.", TRUSTBUNDLE_REASON_OK},
      {"b.example.test", TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH},
      {longest, TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH},
      {longest + ".", TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH},
      {"127.0.0.1", TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH},
      {"::1", TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH},
  };
  for (const auto& [host, reason] : good) {
    Outcome out = verify_host(store_.get(), host);
    ASSERT_EQ(out.status, TRUSTBUNDLE_OK) << host << ": " << out.message;
    EXPECT_EQ(out.reason, reason) << host << ": " << trustbundle_reason_name(out.reason);
  }
}

TEST_F(HostCheck, DoctorServernameIsCheckedTheSameWayBeforeAnyConnection) {
  trustbundle_probe_options opts = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  opts.timeout_ms = 2000;
  for (const char* name : {".example.test", "a..example.test", "a example.test"}) {
    opts.servername = name;
    trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
    trustbundle_probe* probe = nullptr;
    // Port 1 on loopback: nothing listens, so only a rejected name gives INVALID_ARGUMENT.
    EXPECT_EQ(trustbundle_probe_new(&probe, store_.get(), "127.0.0.1:1", &opts, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT)
        << name;
    EXPECT_EQ(probe, nullptr);
    trustbundle_probe_free(probe);
    EXPECT_NE(std::string(error.message).find(std::string("servername '") + name + "'"), std::string::npos)
        << error.message;
  }
  // The target's own host, when no servername is given.
  opts.servername = nullptr;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_probe* probe = nullptr;
  EXPECT_EQ(trustbundle_probe_new(&probe, store_.get(), ".example.test:1", &opts, &error),
            TRUSTBUNDLE_E_INVALID_ARGUMENT);
  trustbundle_probe_free(probe);
  EXPECT_NE(std::string(error.message).find("'.example.test'"), std::string::npos) << error.message;
}

}  // namespace
