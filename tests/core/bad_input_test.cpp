// Malformed certdata.txt: each case is a PARSE error whose message names the
// file, the line and what was wrong; through the C ABI it is a PARSE status;
// through `trustbundle build -o FILE` it is exit 2 with a one-line reason,
// and FILE is neither created nor touched.
#include "bundle/certdata_curation.h"
#include "bundle/embedded_bundle.h"
#include "base/errors.h"
#include "test_support.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;
using tbtest::SyntheticCert;
using tbtest::TrustSpec;

namespace {

struct BadCase {
  std::string text;
  size_t line = 0;     // the line the message must name; 0: none (e.g. empty input)
  std::string phrase;  // what the message must say
};

SyntheticCert cert_a() { return tbtest::synthetic_cert(embedded_roots().at(0).der, "Root A"); }
SyntheticCert cert_b() { return tbtest::synthetic_cert(embedded_roots().at(1).der, "Root B"); }

// header, certificate A, trust A, certificate B, trust B
std::string valid_text() {
  return tbtest::certdata_header() + tbtest::certificate_object(cert_a()) + tbtest::trust_object(cert_a()) +
         tbtest::certificate_object(cert_b()) + tbtest::trust_object(cert_b());
}

size_t find_or_die(const std::string& text, const std::string& needle, size_t from = 0) {
  size_t at = text.find(needle, from);
  if (at == std::string::npos) throw std::runtime_error("test setup: '" + needle + "' not found");
  return at;
}

// Start of the n-th (0-based) object of the given class.
size_t object_start(const std::string& text, const std::string& cls, int n) {
  size_t at = 0;
  for (int i = 0; i <= n; ++i) at = find_or_die(text, "CKA_CLASS CK_OBJECT_CLASS " + cls + "\n", i ? at + 1 : 0);
  return at;
}

BadCase make_case(const std::string& name) {
  BadCase c;
  if (name == "empty") {
    c.phrase = "empty input";
  } else if (name == "truncated") {
    // Cut after the first full line of certificate B's CKA_VALUE octal.
    std::string text = valid_text();
    size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n", object_start(text, "CKO_CERTIFICATE", 1));
    size_t first_line_end = find_or_die(text, "\n", find_or_die(text, "\n", value) + 1);
    c.text = text.substr(0, first_line_end + 1);
    c.line = tbtest::line_of(text, value);
    c.phrase = "truncated input: MULTILINE_OCTAL value has no END";
  } else if (name == "truncated_mid_escape") {
    std::string text = valid_text();
    size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n", object_start(text, "CKO_CERTIFICATE", 1));
    size_t octal = find_or_die(text, "\n", value) + 1;
    c.text = text.substr(0, octal + 6);  // "\060\2"
    c.line = tbtest::line_of(text, octal);
    c.phrase = "malformed octal";
  } else if (name == "binary_garbage") {
    uint32_t state = 12345;
    for (int i = 0; i < 4096; ++i) {
      state = state * 1103515245u + 12345u;
      c.text.push_back(static_cast<char>(state >> 16));
    }
    c.text[100] = '\0';  // LCG bytes; make sure there is a NUL early on
    c.line = tbtest::line_of(c.text, c.text.find('\0'));
    c.phrase = "binary data";
  } else if (name == "control_bytes") {
    c.text = tbtest::certdata_header() + "CKA_LABEL UTF8 \"x\x01\x02\x7f\"\n";
    c.line = tbtest::line_of(c.text, c.text.find('\x01'));
    c.phrase = "binary data where a text line was expected";
  } else if (name == "not_certdata") {
    c.text = "hello, world\nthis is not certdata\n";
    c.line = 1;
    c.phrase = "expected a comment or BEGINDATA";
  } else if (name == "bad_octal_digit") {
    std::string text = valid_text();
    size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n");
    size_t octal = find_or_die(text, "\n", value) + 1;
    text.replace(octal + 4, 4, "\\08x");  // second escape of the line
    c.text = text;
    c.line = tbtest::line_of(text, octal);
    c.phrase = "'8' is not an octal digit at column 7";
  } else if (name == "octal_over_255") {
    std::string text = valid_text();
    size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n");
    size_t octal = find_or_die(text, "\n", value) + 1;
    text.replace(octal, 4, "\\400");
    c.text = text;
    c.line = tbtest::line_of(text, octal);
    c.phrase = "\\400 is larger than a byte";
  } else if (name == "sha1_mismatch" || name == "md5_mismatch") {
    std::string text = valid_text();
    const std::string attr = name == "sha1_mismatch" ? "CKA_CERT_SHA1_HASH" : "CKA_CERT_MD5_HASH";
    size_t at = find_or_die(text, attr + " MULTILINE_OCTAL\n", object_start(text, "CKO_NSS_TRUST", 1));
    size_t octal = find_or_die(text, "\n", at) + 1;
    // Flip the low bit of the first byte: \ooo -> \oo(o^1).
    text[octal + 3] = static_cast<char>('0' + ((text[octal + 3] - '0') ^ 1));
    c.text = text;
    c.line = tbtest::line_of(text, at);
    c.phrase = attr + " does not match the certificate 'Root B' at line " +
               std::to_string(tbtest::line_of(text, object_start(text, "CKO_CERTIFICATE", 1)));
  } else if (name == "duplicate_certificate") {
    std::string text = valid_text() + tbtest::certificate_object(cert_a());
    c.line = tbtest::line_of(text, object_start(text, "CKO_CERTIFICATE", 2));
    c.phrase = "duplicate certificate object (same issuer and serial as line " +
               std::to_string(tbtest::line_of(text, object_start(text, "CKO_CERTIFICATE", 0))) + ")";
    c.text = text;
  } else if (name == "duplicate_trust") {
    std::string text = valid_text() + tbtest::trust_object(cert_b());
    c.line = tbtest::line_of(text, object_start(text, "CKO_NSS_TRUST", 2));
    c.phrase = "duplicate trust object (same issuer and serial as line " +
               std::to_string(tbtest::line_of(text, object_start(text, "CKO_NSS_TRUST", 1))) + ")";
    c.text = text;
  } else if (name == "missing_trust") {
    std::string text = tbtest::certdata_header() + tbtest::certificate_object(cert_a()) +
                       tbtest::trust_object(cert_a()) + tbtest::certificate_object(cert_b());
    c.line = tbtest::line_of(text, object_start(text, "CKO_CERTIFICATE", 1));
    c.phrase = "certificate 'Root B' has no trust object";
    c.text = text;
  } else if (name == "unknown_trust_value") {
    TrustSpec t;
    t.server = "CKT_NSS_TRUSTED";
    std::string text = tbtest::certdata_header() + tbtest::certificate_object(cert_a()) + tbtest::trust_object(cert_a(), t);
    c.line = tbtest::line_of(text, find_or_die(text, "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED\n"));
    c.phrase = "unknown trust value 'CKT_NSS_TRUSTED' for CKA_TRUST_SERVER_AUTH";
    c.text = text;
  } else if (name == "trust_without_certificate") {
    std::string text = tbtest::certdata_header() + tbtest::certificate_object(cert_a()) + tbtest::trust_object(cert_a()) +
                       tbtest::trust_object(cert_b());
    c.line = tbtest::line_of(text, object_start(text, "CKO_NSS_TRUST", 1));
    c.phrase = "trust object grants trust but has no certificate object";
    c.text = text;
  } else if (name == "value_not_a_certificate") {
    std::string text = valid_text();
    size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n");
    size_t end = find_or_die(text, "END\n", value);
    text.replace(value, end - value, "CKA_VALUE MULTILINE_OCTAL\n\\060\\003\\002\\001\\000\n");
    c.line = tbtest::line_of(text, value);
    c.phrase = "";  // OpenSSL's words; the line is what matters
    c.text = text;
  } else if (name == "duplicate_attribute") {
    std::string text = valid_text();
    size_t label = find_or_die(text, "CKA_LABEL UTF8 \"Root A\"\n");
    text.insert(label, "CKA_LABEL UTF8 \"Root A again\"\n");
    c.line = tbtest::line_of(text, label) + 1;
    c.phrase = "duplicate attribute CKA_LABEL";
    c.text = text;
  } else if (name == "unknown_attribute_type") {
    std::string text = valid_text();
    size_t token = find_or_die(text, "CKA_TOKEN CK_BBOOL CK_TRUE\n", object_start(text, "CKO_CERTIFICATE", 0));
    text.replace(token, 26, "CKA_TOKEN CK_BOOLEAN CK_TRUE");
    c.line = tbtest::line_of(text, token);
    c.phrase = "unknown attribute type 'CK_BOOLEAN'";
    c.text = text;
  } else {
    throw std::runtime_error("unknown case " + name);
  }
  return c;
}

const std::vector<std::string> kCases = {"empty",           "truncated",          "truncated_mid_escape",   "binary_garbage",
                              "control_bytes",   "not_certdata",       "bad_octal_digit",        "octal_over_255",
                              "sha1_mismatch",   "md5_mismatch",       "duplicate_certificate",  "duplicate_trust",
                              "missing_trust",   "unknown_trust_value", "trust_without_certificate",
                              "value_not_a_certificate", "duplicate_attribute", "unknown_attribute_type"};

class BadInput : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST(BadInputSetup, TheValidBaseLoads) {
  std::vector<RootRecord> roots = load_certdata(valid_text(), "valid.txt");
  ASSERT_EQ(roots.size(), 2u);
  EXPECT_EQ(roots[0].label, "Root A");
  EXPECT_EQ(roots[1].label, "Root B");
}

TEST_P(BadInput, CoreNamesTheLineAndTheReason) {
  BadCase c = make_case(GetParam());
  try {
    load_certdata(c.text, "bad.txt");
    FAIL() << "accepted";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.status(), TRUSTBUNDLE_E_PARSE) << message;
    if (c.line != 0) {
      EXPECT_EQ(message.rfind("bad.txt:" + std::to_string(c.line) + ": ", 0), 0u) << message;
    } else {
      EXPECT_EQ(message.rfind("bad.txt: ", 0), 0u) << message;
    }
    EXPECT_NE(message.find(c.phrase), std::string::npos) << "expected '" << c.phrase << "' in: " << message;
  }
}

TEST_P(BadInput, CAbiGivesParseStatus) {
  BadCase c = make_case(GetParam());
  const std::string good = embedded_pem();
  trustbundle_diff* diff = reinterpret_cast<trustbundle_diff*>(&c);  // must be reset to NULL
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_diff_new(&diff, reinterpret_cast<const unsigned char*>(c.text.data()), c.text.size(),
                                    reinterpret_cast<const unsigned char*>(good.data()), good.size(), &error);
  EXPECT_EQ(status, TRUSTBUNDLE_E_PARSE) << error.message;
  EXPECT_EQ(error.status, TRUSTBUNDLE_E_PARSE);
  EXPECT_EQ(diff, nullptr);
  EXPECT_NE(std::string(error.message).find("old bundle"), std::string::npos) << error.message;
  if (c.text.find("BEGINDATA") != std::string::npos && c.line != 0) {
    EXPECT_NE(std::string(error.message).find("old bundle:" + std::to_string(c.line) + ": "), std::string::npos)
        << error.message;
  }
}

TEST_P(BadInput, CliBuildExits2AndLeavesOutputIntact) {
  TB_REQUIRE_CLI();
  BadCase c = make_case(GetParam());
  tbtest::TempDir dir;
  const std::string input = dir.file("bad certdata.txt");
  tbtest::write_file(input, c.text);
  const std::string precious = "# an existing bundle that must survive\n";
  tbtest::write_file(dir.file("existing.pem"), precious);
  const std::vector<std::string> before = tbtest::list_dir(dir.path());

  auto r = tbtest::run_cli({"build", input, "--as-of", "2026-05-20T00:00:00Z", "-o", dir.file("existing.pem"),
                            "--manifest", dir.file("new.json")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(tbtest::count_occurrences(r.err, "\n"), 1u) << "not one line: " << r.err;
  EXPECT_EQ(r.err.back(), '\n');
  if (c.line != 0) {
    EXPECT_NE(r.err.find(input + ":" + std::to_string(c.line) + ": "), std::string::npos) << r.err;
  }
  EXPECT_NE(r.err.find(c.phrase), std::string::npos) << r.err;
  EXPECT_EQ(tbtest::read_file(dir.file("existing.pem")), precious);
  EXPECT_EQ(tbtest::list_dir(dir.path()), before) << "a file was created or left behind";

  // And when no output file existed, none is created.
  auto fresh = tbtest::run_cli({"build", input, "--as-of", "2026-05-20T00:00:00Z", "-o", dir.file("fresh.pem")});
  EXPECT_EQ(fresh.exit_code, 2);
  EXPECT_FALSE(tbtest::path_exists(dir.file("fresh.pem")));
  EXPECT_EQ(tbtest::list_dir(dir.path()), before);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// ------------------------------------------------------------ real files

TEST(BadInputReal, HashMismatchInTheRealFileNamesItsLine) {
  TB_REQUIRE_SHARED();
  std::string text = tbtest::certdata_text();
  size_t at = find_or_die(text, "CKA_CERT_SHA1_HASH MULTILINE_OCTAL\n");
  size_t octal = find_or_die(text, "\n", at) + 1;
  text[octal + 3] = static_cast<char>('0' + ((text[octal + 3] - '0') ^ 1));
  try {
    load_certdata(text, "certdata.txt");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), TRUSTBUNDLE_E_PARSE);
    EXPECT_EQ(std::string(e.what()).rfind("certdata.txt:" + std::to_string(tbtest::line_of(text, at)) + ": "
                                          "CKA_CERT_SHA1_HASH does not match the certificate 'GlobalSign Root CA'",
                                          0),
              0u)
        << e.what();
  }
}

TEST(BadInputReal, RealFileTruncatedInsideAnOctalValue) {
  TB_REQUIRE_SHARED();
  const std::string& text = tbtest::certdata_text();
  // Half-way through the file, inside some CKA_VALUE.
  size_t value = find_or_die(text, "CKA_VALUE MULTILINE_OCTAL\n", text.size() / 2);
  size_t cut = find_or_die(text, "\n", find_or_die(text, "\n", value) + 1) + 1;
  try {
    load_certdata(text.substr(0, cut), "certdata.txt");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), TRUSTBUNDLE_E_PARSE);
    EXPECT_EQ(std::string(e.what()),
              "certdata.txt:" + std::to_string(tbtest::line_of(text, value)) +
                  ": truncated input: MULTILINE_OCTAL value has no END");
  }
}

TEST(BadInputCli, MissingInputFileIsExit2) {
  TB_REQUIRE_CLI();
  tbtest::TempDir dir;
  auto r = tbtest::run_cli({"build", dir.file("nope.txt"), "--as-of", "2026-05-20T00:00:00Z", "-o", dir.file("o.pem")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(tbtest::count_occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find(dir.file("nope.txt")), std::string::npos) << r.err;
  EXPECT_FALSE(tbtest::path_exists(dir.file("o.pem")));
}

// A message longer than the error struct's buffer is cut between two UTF-8
// characters, never inside one (issue 15, "Also"): bindings decode it as
// UTF-8, and half a character is an error there, not a message.
TEST(ErrorMessage, CutAtTheBufferNeverSplitsACharacter) {
  for (size_t pad = 0; pad < 5; ++pad) {  // every alignment of the cut against the 2- and 3-byte characters
    std::string path = "/nonexistent/" + std::string(pad, 'x');
    for (int i = 0; i < 200; ++i) path += "\xc3\xa9\xe2\x82\xac";  // é €
    trustbundle_store_builder* builder = nullptr;
    ASSERT_EQ(trustbundle_store_builder_new(&builder, nullptr, nullptr), TRUSTBUNDLE_OK);
    trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
    EXPECT_EQ(trustbundle_store_builder_add_path(builder, path.c_str(), &error), TRUSTBUNDLE_E_IO);
    trustbundle_store_builder_free(builder);
    const std::string message = error.message;
    EXPECT_GT(message.size(), TRUSTBUNDLE_ERROR_MESSAGE_SIZE - 5) << "the message was not cut";
    size_t i = 0;
    while (i < message.size()) {
      unsigned char c = static_cast<unsigned char>(message[i]);
      size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
      ASSERT_NE(len, 0u) << "invalid lead byte at " << i << " (pad " << pad << ")";
      ASSERT_LE(i + len, message.size()) << "a character split at the end (pad " << pad << ")";
      for (size_t k = 1; k < len; ++k) ASSERT_EQ(static_cast<unsigned char>(message[i + k]) & 0xC0, 0x80);
      i += len;
    }
  }
}
