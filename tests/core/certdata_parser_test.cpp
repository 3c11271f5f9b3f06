// The certdata.txt parser and the object pairing on their edge cases: small
// synthetic snippets written here, and the real NSS 2.86 / 2.74 files.
#include <set>

#include "bundle/certdata_curation.h"
#include "bundle/certdata_parser.h"
#include "bundle/embedded_bundle.h"
#include "base/errors.h"
#include "bundle/pem_format.h"
#include "test_support.h"
#include "base/time_util.h"

using namespace trustbundle;
using tbtest::SyntheticCert;
using tbtest::TrustSpec;

namespace {

// A real certificate to wrap in synthetic objects (the embedded roots need
// no file at run time).
SyntheticCert embedded_cert(size_t index, const std::string& label) {
  return tbtest::synthetic_cert(embedded_roots().at(index).der, label);
}

const std::string kNetLockUtf8 = "NetLock Arany (Class Gold) F\xc5\x91tan\xc3\xbas\xc3\xadtv\xc3\xa1ny";

}  // namespace

// ------------------------------------------------------------ syntax level

TEST(CertdataParser, DecodesMultilineOctal) {
  const std::string text =
      "BEGINDATA\n"
      "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
      "CKA_VALUE MULTILINE_OCTAL\n"
      "\\060\\202\\001\\377\n"
      "\\000\\177\\200\n"
      "END\n";
  std::vector<NssObject> objects = parse_certdata(text, "octal.txt");
  ASSERT_EQ(objects.size(), 1u);
  const NssAttribute* value = objects[0].find("CKA_VALUE");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->type, "MULTILINE_OCTAL");
  EXPECT_EQ(value->value, std::string("\x30\x82\x01\xff\x00\x7f\x80", 7));
  EXPECT_EQ(value->line, 3u);
  EXPECT_EQ(objects[0].line, 2u);
}

TEST(CertdataParser, CommentLinesInsideObjectsAndOctalAreSkipped) {
  const std::string text =
      "# header comment\n"
      "BEGINDATA\n"
      "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\n"
      "# a comment between two attributes of the same object\n"
      "CKA_LABEL UTF8 \"first\"\n"
      "CKA_VALUE MULTILINE_OCTAL\n"
      "\\060\\202\n"
      "# a comment inside the octal value\n"
      "   # an indented one\n"
      "\n"
      "\\003\\004\n"
      "END\n"
      "# For Server Distrust After: Sat Nov 30 23:59:59 2024\n"
      "CKA_NSS_SERVER_DISTRUST_AFTER CK_BBOOL CK_FALSE\n"
      "\n"
      "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n"
      "CKA_LABEL UTF8 \"second\"\n";
  std::vector<NssObject> objects = parse_certdata(text, "comments.txt");
  ASSERT_EQ(objects.size(), 2u);
  ASSERT_NE(objects[0].find("CKA_LABEL"), nullptr);
  EXPECT_EQ(objects[0].find("CKA_LABEL")->value, "first");
  EXPECT_EQ(objects[0].find("CKA_VALUE")->value, std::string("\x30\x82\x03\x04", 4));
  ASSERT_NE(objects[0].find("CKA_NSS_SERVER_DISTRUST_AFTER"), nullptr);
  EXPECT_EQ(objects[0].find("CKA_NSS_SERVER_DISTRUST_AFTER")->line, 14u);
  EXPECT_EQ(objects[1].find("CKA_LABEL")->value, "second");
  EXPECT_EQ(objects[1].line, 16u);
}

TEST(CertdataParser, Utf8LabelIsUnquotedAndKeptAsBytes) {
  const std::string text = "BEGINDATA\nCKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\nCKA_LABEL UTF8 \"" + kNetLockUtf8 + "\"\n";
  std::vector<NssObject> objects = parse_certdata(text, "utf8.txt");
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].find("CKA_LABEL")->value, kNetLockUtf8);
}

TEST(CertdataParser, CrlfLineEndingsParseLikeLf) {
  std::string lf = tbtest::certdata_header() + tbtest::certificate_object(embedded_cert(0, "crlf")) +
                   tbtest::trust_object(embedded_cert(0, "crlf"));
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::vector<RootRecord> a = load_certdata(lf, "lf.txt");
  std::vector<RootRecord> b = load_certdata(crlf, "crlf.txt");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].der, b[0].der);
  EXPECT_EQ(b[0].label, "crlf");
}

TEST(CertdataParser, LooksLikeCertdataTellsCertdataFromPem) {
  EXPECT_TRUE(looks_like_certdata(tbtest::certdata_header()));
  EXPECT_FALSE(looks_like_certdata(embedded_pem()));
  EXPECT_FALSE(looks_like_certdata(""));
}

// --------------------------------------------------- pairing, synthetic

TEST(CertdataPairing, CommentsInsideTheCertificateValueKeepTheDer) {
  SyntheticCert c = embedded_cert(3, "commented");
  std::string cert = tbtest::certificate_object(c);
  // A comment line in the middle of CKA_VALUE's octal lines.
  size_t value = cert.find("CKA_VALUE MULTILINE_OCTAL\n");
  ASSERT_NE(value, std::string::npos);
  size_t second_line = cert.find('\n', cert.find('\n', value) + 1) + 1;
  cert.insert(second_line, "# comment inside MULTILINE_OCTAL\n");
  std::vector<RootRecord> roots = load_certdata(tbtest::certdata_header() + cert + tbtest::trust_object(c), "c.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].der, c.der);
  EXPECT_EQ(roots[0].info.sha256_hex, embedded_roots()[3].info.sha256_hex);
}

TEST(CertdataPairing, SerialZeroIsPrintedAsZero) {
  SyntheticCert c = tbtest::synthetic_cert(tbtest::make_certificate("Serial Zero Root", 0, 1700000000, 2000000000),
                                           "Serial Zero Root");
  EXPECT_EQ(c.serial_der, std::string("\x02\x01\x00", 3));
  std::vector<RootRecord> roots =
      load_certdata(tbtest::certdata_header() + tbtest::certificate_object(c) + tbtest::trust_object(c), "s.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].info.serial, "0");
  std::string pem = format_certifi_pem(roots);
  EXPECT_NE(pem.find("\n# Label: \"Serial Zero Root\"\n# Serial: 0\n# MD5 Fingerprint: "), std::string::npos) << pem;
}

TEST(CertdataPairing, DistrustDateInTheTrustObjectIsRead) {
  SyntheticCert c = embedded_cert(1, "Distrusted In Trust");
  TrustSpec t;
  t.server_distrust_after = "260415235959Z";
  std::vector<RootRecord> roots =
      load_certdata(tbtest::certdata_header() + tbtest::certificate_object(c) + tbtest::trust_object(c, t), "d.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_TRUE(roots[0].has_server_distrust_after);
  EXPECT_EQ(roots[0].server_distrust_after, utc_seconds(2026, 4, 15, 23, 59, 59));
}

TEST(CertdataPairing, DistrustDateInTheCertificateObjectIsRead) {
  SyntheticCert c = embedded_cert(1, "Distrusted In Cert");
  std::vector<RootRecord> roots = load_certdata(
      tbtest::certdata_header() + tbtest::certificate_object(c, "241130235959Z") + tbtest::trust_object(c), "d.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_TRUE(roots[0].has_server_distrust_after);
  EXPECT_EQ(roots[0].server_distrust_after, utc_seconds(2024, 11, 30, 23, 59, 59));
}

TEST(CertdataPairing, CkFalseDistrustMeansNoDate) {
  SyntheticCert c = embedded_cert(1, "No Distrust");
  std::vector<RootRecord> roots =
      load_certdata(tbtest::certdata_header() + tbtest::certificate_object(c) + tbtest::trust_object(c), "n.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_FALSE(roots[0].has_server_distrust_after);
}

TEST(CertdataPairing, ExplicitDistrustTrustObjectWithoutCertificateIsAccepted) {
  SyntheticCert kept = embedded_cert(0, "Kept Root");
  SyntheticCert ghost = embedded_cert(2, "Explicitly Distrust Ghost CA");  // only its trust object is written
  TrustSpec distrust;
  distrust.server = distrust.email = distrust.code = "CKT_NSS_NOT_TRUSTED";
  std::string text = tbtest::certdata_header() + tbtest::certificate_object(kept) + tbtest::trust_object(kept) +
                     tbtest::trust_object(ghost, distrust);
  std::vector<RootRecord> roots = load_certdata(text, "distrust.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].label, "Kept Root");
  EXPECT_EQ(curate(roots, CurationMode::Certifi, utc_seconds(2026, 1, 1, 0, 0, 0)).size(), 1u);
}

TEST(CertdataPairing, ExplicitlyDistrustedCertificateIsNotInTheBundle) {
  SyntheticCert c = embedded_cert(0, "Explicitly Distrusted");
  TrustSpec distrust;
  distrust.server = distrust.email = distrust.code = "CKT_NSS_NOT_TRUSTED";
  std::vector<RootRecord> roots = load_certdata(
      tbtest::certdata_header() + tbtest::certificate_object(c) + tbtest::trust_object(c, distrust), "x.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].server_trust, Trust::NotTrusted);
  EXPECT_TRUE(curate(roots, CurationMode::Certifi, utc_seconds(2026, 1, 1, 0, 0, 0)).empty());
  EXPECT_TRUE(curate(roots, CurationMode::Curl, utc_seconds(2026, 1, 1, 0, 0, 0)).empty());
}

TEST(CertdataPairing, RootsWithNoTrustBitsAreExcluded) {
  SyntheticCert must_verify = embedded_cert(0, "All Must Verify");
  SyntheticCert absent = embedded_cert(1, "No Trust Attributes");
  SyntheticCert trusted = embedded_cert(2, "Server Trusted");
  TrustSpec none;
  none.server = none.email = none.code = "CKT_NSS_MUST_VERIFY_TRUST";
  TrustSpec missing;
  missing.server = missing.email = missing.code = "";
  std::string text = tbtest::certdata_header() + tbtest::certificate_object(must_verify) +
                     tbtest::trust_object(must_verify, none) + tbtest::certificate_object(absent) +
                     tbtest::trust_object(absent, missing) + tbtest::certificate_object(trusted) +
                     tbtest::trust_object(trusted);
  std::vector<RootRecord> roots = load_certdata(text, "nobits.txt");
  ASSERT_EQ(roots.size(), 3u);
  EXPECT_EQ(roots[0].server_trust, Trust::MustVerify);
  EXPECT_EQ(roots[0].email_trust, Trust::MustVerify);
  EXPECT_EQ(roots[1].server_trust, Trust::None);
  EXPECT_EQ(roots[1].email_trust, Trust::None);
  std::vector<RootRecord> bundle = curate(roots, CurationMode::Certifi, utc_seconds(2026, 1, 1, 0, 0, 0));
  ASSERT_EQ(bundle.size(), 1u);
  EXPECT_EQ(bundle[0].label, "Server Trusted");
}

TEST(CertdataPairing, EmailOnlyRootsAreExcluded) {
  SyntheticCert email = embedded_cert(0, "Email Only");
  TrustSpec t;
  t.server = "CKT_NSS_MUST_VERIFY_TRUST";
  t.email = "CKT_NSS_TRUSTED_DELEGATOR";
  std::vector<RootRecord> roots =
      load_certdata(tbtest::certdata_header() + tbtest::certificate_object(email) + tbtest::trust_object(email, t),
                    "email.txt");
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].email_trust, Trust::Trusted);
  EXPECT_EQ(roots[0].server_trust, Trust::MustVerify);
  EXPECT_TRUE(curate(roots, CurationMode::Certifi, utc_seconds(2026, 1, 1, 0, 0, 0)).empty());
}

// ------------------------------------------------------ the real files

TEST(CertdataReal, EightRootsHaveSerialZero) {
  TB_REQUIRE_SHARED();
  std::set<std::string> zero;
  for (const RootRecord& r : tbtest::roots_286())
    if (r.info.serial == "0") zero.insert(r.label);
  const std::set<std::string> expected = {"Go Daddy Class 2 CA",
                                          "Starfield Class 2 CA",
                                          "Go Daddy Root Certificate Authority - G2",
                                          "Starfield Root Certificate Authority - G2",
                                          "Starfield Services Root Certificate Authority - G2",
                                          "Security Communication RootCA2",
                                          "Hellenic Academic and Research Institutions RootCA 2015",
                                          "Hellenic Academic and Research Institutions ECC RootCA 2015"};
  EXPECT_EQ(zero, expected);

  // certifi prints "# Serial: 0" for each of them that is in the bundle.
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  std::string pem = format_certifi_pem(bundle);
  size_t in_bundle = 0;
  for (const RootRecord& r : bundle) {
    if (r.info.serial != "0") continue;
    ++in_bundle;
    EXPECT_NE(pem.find("# Label: \"" + r.label + "\"\n# Serial: 0\n"), std::string::npos) << r.label;
  }
  EXPECT_GT(in_bundle, 0u);
  EXPECT_EQ(tbtest::count_occurrences(pem, "\n# Serial: 0\n"), in_bundle);
}

TEST(CertdataReal, NetLockLabelIsUtf8AndEscapedInThePem) {
  TB_REQUIRE_SHARED();
  const RootRecord* netlock = tbtest::find_label(tbtest::roots_286(), kNetLockUtf8);
  ASSERT_NE(netlock, nullptr) << "the NetLock root's UTF-8 label was not read as is";
  std::string pem = format_certifi_pem({*netlock});
  EXPECT_NE(pem.find("\n# Label: \"NetLock Arany (Class Gold) F\\u0151tan\\xfas\\xedtv\\xe1ny\"\n"), std::string::npos)
      << pem.substr(0, 400);
  // The PEM is pure ASCII.
  for (unsigned char ch : pem) ASSERT_LT(ch, 0x80);
}

TEST(CertdataReal, IzenpeDistrustDateSitsInItsTrustObject) {
  TB_REQUIRE_SHARED();
  // Syntax level: the certificate object says CK_FALSE, the trust object has the date.
  std::vector<NssObject> objects = parse_certdata(tbtest::certdata_text(), "certdata.txt");
  int certificates = 0, trusts = 0;
  for (const NssObject& o : objects) {
    const NssAttribute* label = o.find("CKA_LABEL");
    if (label == nullptr || label->value != "Izenpe.com") continue;
    const NssAttribute* distrust = o.find("CKA_NSS_SERVER_DISTRUST_AFTER");
    if (o.find("CKA_CLASS")->value == "CKO_CERTIFICATE") {
      ++certificates;
      ASSERT_NE(distrust, nullptr);
      EXPECT_EQ(distrust->type, "CK_BBOOL");
    } else {
      ++trusts;
      ASSERT_NE(distrust, nullptr);
      EXPECT_EQ(distrust->type, "MULTILINE_OCTAL");
      EXPECT_EQ(distrust->value, "260415235959Z");
    }
  }
  EXPECT_EQ(certificates, 1);
  EXPECT_EQ(trusts, 1);

  const RootRecord* izenpe = tbtest::find_label(tbtest::roots_286(), "Izenpe.com");
  ASSERT_NE(izenpe, nullptr);
  EXPECT_TRUE(izenpe->has_server_distrust_after);
  EXPECT_EQ(izenpe->server_distrust_after, parse_time("2026-04-15T23:59:59Z"));
}

TEST(CertdataReal, ExplicitDistrustObjectIn274IsAcceptedAndNotInTheBundle) {
  TB_REQUIRE_SHARED();
  const RootRecord* diginotar = tbtest::find_label(tbtest::roots_274(), "Explicitly Distrust DigiNotar Root CA");
  ASSERT_NE(diginotar, nullptr);
  EXPECT_EQ(diginotar->server_trust, Trust::NotTrusted);
  EXPECT_EQ(diginotar->email_trust, Trust::NotTrusted);
  for (int64_t as_of : {parse_time("2025-01-31T00:00:00Z"), parse_time("2020-01-01T00:00:00Z")}) {
    EXPECT_FALSE(tbtest::contains_label(curate(tbtest::roots_274(), CurationMode::Certifi, as_of), diginotar->label));
    EXPECT_FALSE(tbtest::contains_label(curate(tbtest::roots_274(), CurationMode::Curl, as_of), diginotar->label));
  }
  // 2.86 no longer carries it at all.
  EXPECT_FALSE(tbtest::contains_label(tbtest::roots_286(), diginotar->label));
}

TEST(CertdataReal, RootsWithNoTrustBitsIn286) {
  TB_REQUIRE_SHARED();
  std::set<std::string> none;
  for (const RootRecord& r : tbtest::roots_286())
    if (r.server_trust != Trust::Trusted && r.email_trust != Trust::Trusted) none.insert(r.label);
  EXPECT_EQ(none, (std::set<std::string>{"Go Daddy Class 2 CA", "Starfield Class 2 CA"}));
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  for (const std::string& label : none) EXPECT_FALSE(tbtest::contains_label(bundle, label)) << label;
}

TEST(CertdataReal, EmailOnlyRootsAreExcluded) {
  TB_REQUIRE_SHARED();
  std::vector<std::string> email_only;
  for (const RootRecord& r : tbtest::roots_286())
    if (r.email_trust == Trust::Trusted && r.server_trust != Trust::Trusted) email_only.push_back(r.label);
  // 167 certificate objects = 121 server-trusted + email-only + 2 with no bits.
  EXPECT_EQ(email_only.size(), 167u - 121u - 2u);
  std::vector<RootRecord> bundle = curate(tbtest::roots_286(), CurationMode::Certifi, parse_time("2026-05-20T00:00:00Z"));
  for (const std::string& label : email_only) EXPECT_FALSE(tbtest::contains_label(bundle, label)) << label;
  // GlobalSign Root CA lost its websites bit in 2.86 but kept email trust.
  EXPECT_NE(std::find(email_only.begin(), email_only.end(), "GlobalSign Root CA"), email_only.end());
}
