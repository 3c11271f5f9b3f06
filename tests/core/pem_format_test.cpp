// certifi's cacert.pem layout: every comment line is recomputed here from
// the DER with OpenSSL, and the Python-style escaping of non-ASCII text.
#include <openssl/bn.h>

#include "base/cert_info.h"
#include "bundle/certdata_curation.h"
#include "bundle/embedded_bundle.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"

using namespace trustbundle;

namespace {

std::string colon_hex_of(const std::string& bytes) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(bytes[i]));
    if (i) out += ':';
    out += buf;
  }
  return out;
}

std::string decimal_serial(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!x) return "<not a certificate>";
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(x.get()), nullptr),
                                                 BN_free);
  char* dec = BN_bn2dec(bn.get());
  std::string out = dec;
  OPENSSL_free(dec);
  return out;
}

// Walks a certifi-layout PEM and checks each block against its root.
void expect_certifi_layout(const std::string& pem, const std::vector<RootRecord>& roots) {
  std::vector<std::string> lines = tbtest::split_lines(pem);
  size_t i = 0;
  for (const RootRecord& r : roots) {
    ASSERT_LT(i + 8, lines.size()) << "the PEM ends before " << r.label;
    EXPECT_EQ(lines[i], "");
    EXPECT_EQ(lines[i + 1], "# Issuer: " + python_escape(r.info.issuer));
    EXPECT_EQ(lines[i + 2], "# Subject: " + python_escape(r.info.subject));
    EXPECT_EQ(lines[i + 3], "# Label: \"" + python_escape(r.label) + "\"");
    EXPECT_EQ(lines[i + 4], "# Serial: " + decimal_serial(r.der));
    EXPECT_EQ(lines[i + 5], "# MD5 Fingerprint: " + colon_hex_of(tbtest::md_digest(EVP_md5(), r.der)));
    EXPECT_EQ(lines[i + 6], "# SHA1 Fingerprint: " + colon_hex_of(tbtest::md_digest(EVP_sha1(), r.der)));
    EXPECT_EQ(lines[i + 7], "# SHA256 Fingerprint: " + colon_hex_of(tbtest::md_digest(EVP_sha256(), r.der)));
    EXPECT_EQ(lines[i + 8], "-----BEGIN CERTIFICATE-----");
    i += 9;
    std::string body;
    while (i < lines.size() && lines[i] != "-----END CERTIFICATE-----") {
      EXPECT_LE(lines[i].size(), 64u);
      if (i + 1 < lines.size() && lines[i + 1] != "-----END CERTIFICATE-----") {
        EXPECT_EQ(lines[i].size(), 64u);
      }
      body += lines[i++];
    }
    ASSERT_LT(i, lines.size());
    EXPECT_EQ(base64_decode(body, "block"), r.der) << r.label;
    ++i;
  }
  EXPECT_EQ(i, lines.size()) << "text after the last root";
  EXPECT_EQ(pem.back(), '\n');
}

}  // namespace

TEST(PemFormat, EmbeddedBundleFollowsCertifiLayout) {
  expect_certifi_layout(embedded_pem(), embedded_roots());
}

TEST(PemFormat, CertifiLayoutOfNss286) {
  TB_REQUIRE_SHARED();
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  expect_certifi_layout(format_certifi_pem(bundle), bundle);
}

TEST(PemFormat, NameStringsUseLastCnAndJoinedOrgs) {
  // certifi's form: CN=<last CN> O=<O joined by /> OU=<OU joined by />.
  bool saw_ou = false;
  for (const RootRecord& r : embedded_roots()) {
    EXPECT_EQ(r.info.subject, describe_certificate(r.der, r.label).subject);
    saw_ou = saw_ou || r.info.subject.find(" OU=") != std::string::npos;
  }
  EXPECT_TRUE(saw_ou);
  std::string der = tbtest::make_certificate("Name Form", 7, 1700000000, 2000000000);
  EXPECT_EQ(describe_certificate(der, "generated").subject, "CN=Name Form O=trustbundle tests");
  EXPECT_EQ(describe_certificate(der, "generated").serial, "7");
}

TEST(PemFormat, PythonEscapeMatchesUnicodeEscape) {
  EXPECT_EQ(python_escape("plain ASCII (ok)"), "plain ASCII (ok)");
  EXPECT_EQ(python_escape("F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny"), "F\\u0151tan\\xfas\\xedtv\\xe1ny");
  EXPECT_EQ(python_escape("\xe2\x82\xac"), "\\u20ac");  // lowercase hex, as Python writes it
  EXPECT_EQ(python_escape("\xf0\x9f\x98\x80"), "\\U0001f600");
  EXPECT_EQ(python_escape("back\\slash"), "back\\\\slash");
  EXPECT_EQ(python_escape("tab\tnl\ncr\r"), "tab\\tnl\\ncr\\r");
  EXPECT_EQ(python_escape(std::string("\x01\x7f", 2)), "\\x01\\x7f");
  EXPECT_EQ(python_escape("bad \xff byte"), "bad \\xff byte");
}

TEST(PemFormat, ReadBackGivesTheSameCertificatesAndLabels) {
  std::vector<PemCertificate> certs = read_pem_certificates(embedded_pem(), "embedded");
  const auto& roots = embedded_roots();
  ASSERT_EQ(certs.size(), roots.size());
  for (size_t i = 0; i < certs.size(); ++i) {
    EXPECT_EQ(certs[i].der, roots[i].der);
    EXPECT_EQ(certs[i].label, python_escape(roots[i].label));
  }
}

TEST(PemFormat, PemBlockWrapsAtTheGivenColumn) {
  const std::string der = embedded_roots().at(0).der;
  for (size_t columns : {64u, 76u}) {
    std::vector<std::string> lines = tbtest::split_lines(pem_block(der, columns));
    ASSERT_GE(lines.size(), 3u);
    EXPECT_EQ(lines.front(), "-----BEGIN CERTIFICATE-----");
    EXPECT_EQ(lines.back(), "-----END CERTIFICATE-----");
    for (size_t i = 1; i + 2 < lines.size(); ++i) EXPECT_EQ(lines[i].size(), columns);
    EXPECT_LE(lines[lines.size() - 2].size(), columns);
  }
}

TEST(PemFormat, TruncatedPemIsAnError) {
  std::string pem = embedded_pem();
  pem.resize(pem.find("-----END CERTIFICATE-----"));
  try {
    read_pem_certificates(pem, "cut.pem");
    FAIL() << "a PEM block without END was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), TRUSTBUNDLE_E_PARSE);
    EXPECT_NE(std::string(e.what()).find("cut.pem:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("END"), std::string::npos) << e.what();
  }
}
