// The core fixes that fuzzing and the fault tests found, each pinned by a
// direct check of the behaviour (the raw crash inputs are replayed by
// fuzz_replay_test.cpp).
#include <string>

#include "json_writer.h"
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
