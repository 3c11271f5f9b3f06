// terminal_text: untrusted names shown on a terminal cannot move the cursor,
// clear the screen or forge a line (issue 15, item 10).
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/encoding.h"
#include "test_support.h"

namespace {

using trustbundle::terminal_text;

TEST(TerminalText, PrintableUtf8Stays) {
  EXPECT_EQ(terminal_text("NetLock Arany (Class Gold) F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny"),
            "NetLock Arany (Class Gold) F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny");
  EXPECT_EQ(terminal_text("a.example.test, 127.0.0.1"), "a.example.test, 127.0.0.1");
}

TEST(TerminalText, ControlCharactersAreEscaped) {
  // The CN of the review: rewrites the REJECTED line on a terminal when raw.
  EXPECT_EQ(terminal_text("X\r\x1b[1A\x1b[2KOK: verified"), "X\\x0d\\x1b[1A\\x1b[2KOK: verified");
  EXPECT_EQ(terminal_text("line\nforged: OK\tx\x7f"), "line\\x0aforged: OK\\x09x\\x7f");
  EXPECT_EQ(terminal_text(std::string("nul\0byte", 8)), "nul\\x00byte");
}

TEST(TerminalText, C1AndBrokenUtf8AreEscaped) {
  EXPECT_EQ(terminal_text("csi\xc2\x9b" "31m"), "csi\\u009b31m");
  EXPECT_EQ(terminal_text("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(terminal_text("cut\xe2\x82"), "cut\\xe2\\x82");
}

// A self-signed certificate whose CN is `cn`, as PEM.
std::string self_signed_pem(const std::string& cn) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.data()),
                             static_cast<int>(cn.size()), -1, 0);
  X509_set_issuer_name(cert, name);
  X509_set_pubkey(cert, key);
  X509_sign(cert, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return pem;
}

// The review's CN rewrote the REJECTED line on a terminal: CR, cursor up,
// erase line, then a forged "OK: verified".
TEST(TerminalText, VerifyOutputCannotBeRewrittenByAName) {
  TB_REQUIRE_CLI();
  tbtest::TempDir tmp;
  tbtest::write_file(tmp.file("hostile.pem"), self_signed_pem("X\r\x1b[1A\x1b[2KOK: verified\nforged line"));
  auto r = tbtest::run_cli({"verify", tmp.file("hostile.pem"), "--host", "a.example.test"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
  EXPECT_EQ(tbtest::count_occurrences(r.out, "\n"), 2u) << "one REJECTED line, one hint line: " << r.out;
  EXPECT_NE(r.out.find("'X\\x0d\\x1b[1A\\x1b[2KOK: verified\\x0aforged line'"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  // JSON keeps the data: the same name, exactly, as a JSON string.
  auto json = tbtest::run_cli({"verify", tmp.file("hostile.pem"), "--host", "a.example.test", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_NE(json.out.find("\"reason\": \"SELF_SIGNED\""), std::string::npos) << json.out;
}

}  // namespace
