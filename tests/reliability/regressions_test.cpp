// The core fixes that fuzzing and the fault tests found, each pinned by a
// direct check of the behaviour (the raw crash inputs are replayed by
// fuzz_replay_test.cpp).
#include <string>

#include <openssl/x509.h>

#include "cert_factory.h"
#include "base/cert_info.h"
#include "base/errors.h"
#include "base/json_writer.h"
#include "doctor/served_cert.h"
#include "reliability_support.h"

namespace {

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += len;
  }
  return true;
}

// Found by the diff fuzzer (regressions/diff/json-invalid-utf8-label): a
// PEM label that is not UTF-8 went into trustbundle_diff_json as raw bytes,
// which no JSON parser accepts.
TEST(Regression, DiffJsonStaysUtf8WhateverTheLabels) {
  std::string root = tbrel::fixed_root();
  std::string old_side = "# Label: \"caf\xe9 \xff\xfe root\"\n" + root;
  std::string new_side = "# Label: \"x\"\n" + tbrel::fixed_intermediate();
  trustbundle_diff* diff = nullptr;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  ASSERT_EQ(trustbundle_diff_new(&diff, tbrel::bytes(old_side), old_side.size(), tbrel::bytes(new_side),
                                 new_side.size(), &error),
            TRUSTBUNDLE_OK)
      << error.message;
  std::string json = trustbundle_diff_json(diff);
  EXPECT_TRUE(valid_utf8(json)) << json;
  EXPECT_NE(json.find("caf\\ufffd \\ufffd\\ufffd root"), std::string::npos) << json;
  trustbundle_diff_free(diff);
}

TEST(Regression, JsonStringKeepsValidUtf8AndReplacesEachInvalidByte) {
  EXPECT_EQ(trustbundle::json_string("Ü \xe2\x82\xac \xf0\x9f\x94\x92"), "\"Ü \xe2\x82\xac \xf0\x9f\x94\x92\"");
  EXPECT_EQ(trustbundle::json_string("a\xc3"), "\"a\\ufffd\"");                // truncated sequence
  EXPECT_EQ(trustbundle::json_string("\xc0\xaf"), "\"\\ufffd\\ufffd\"");        // overlong
  EXPECT_EQ(trustbundle::json_string("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
  EXPECT_EQ(trustbundle::json_string("\"\\\n\x01"), "\"\\\"\\\\\\n\\u0001\"");
}

}  // namespace

namespace {

// A server leaf whose notAfter says "not a time" (re-signed, so it parses).
std::string leaf_with_unreadable_not_after() {
  tbrel::Issued root = tbrel::make_ca("Unreadable Time Root", nullptr);
  tbrel::Issued leaf = tbrel::make_leaf("time.example.test", root);
  ASN1_TIME* not_after = X509_getm_notAfter(leaf.cert.get());
  const char bogus[] = "not a time at all";
  if (ASN1_STRING_set(not_after, bogus, sizeof bogus - 1) != 1) ADD_FAILURE() << "ASN1_STRING_set";
  if (X509_sign(leaf.cert.get(), root.key.get(), EVP_sha256()) <= 0) ADD_FAILURE() << "re-sign";
  return tbrel::to_der(leaf.cert.get());
}

}  // namespace

// Found by the doctor fuzzer (regressions/doctor/unreadable-validity-time):
// a served certificate with an unreadable validity time made the whole
// diagnosis fail with a parse error instead of reporting on the server.
TEST(Regression, ServedCertificateWithUnreadableTimeIsDescribedNotRefused) {
  const std::string der = leaf_with_unreadable_not_after();
  trustbundle::ServedCert served;
  ASSERT_NO_THROW(served = trustbundle::describe_served(der, "served certificate #0"));
  EXPECT_FALSE(served.times_readable);
  EXPECT_EQ(served.not_before, 0);
  EXPECT_EQ(served.not_after, 0);
  EXPECT_EQ(served.name, "time.example.test");
  // The bundle side still refuses to guess a date.
  EXPECT_THROW(trustbundle::describe_certificate(der, "bundle"), trustbundle::Error);
}

// Found by the doctor fuzzer (regressions/doctor/invalid-utf8-in-subject-alt-name):
// a server's SAN bytes went raw into the report, which then was not UTF-8
// (the text report, JSON consumers and every binding's string type need it).
TEST(Regression, ServedNamesAreValidUtf8WhateverTheServerSends) {
  tbrel::Issued root = tbrel::make_ca("Root \xff\xfe", nullptr);
  tbrel::Issued leaf = tbrel::make_leaf("a.e\x88xample.test", root);
  trustbundle::ServedCert served = trustbundle::describe_served(tbrel::to_der(leaf.cert.get()), "served certificate #0");
  ASSERT_EQ(served.alt_names.size(), 1u);
  EXPECT_EQ(served.alt_names[0], "a.e\xef\xbf\xbdxample.test");
  EXPECT_TRUE(valid_utf8(served.issuer_name)) << served.issuer_name;
  EXPECT_TRUE(valid_utf8(served.issuer)) << served.issuer;
  EXPECT_TRUE(valid_utf8(served.name)) << served.name;
}
