// Which anchor a chain ends at, and distrust-after (issue 15, item 4).
//
// Extra CAs used to go into OpenSSL's store cache, so OpenSSL never asked
// the lazy lookup of the embedded roots for a Mozilla root with the same
// subject: an extra CA named like a Mozilla root (an impostor, or an old
// cross-certificate of the root) hid the root itself. And distrust-after
// was keyed on the exact DER of the anchor, so a re-issued copy of a
// distrusted root, or a cross-certificate of it, escaped it. Here the
// candidates for an anchor come from the extras and the embedded roots
// alike, and distrust-after follows the CA's subject and key.
//
// The Mozilla case uses a real chain (tests/verify/data/google-com-chain.pem,
// the x509-limbo "online::google.com" chain: *.google.com <- WR2 <- GTS Root
// R1), checked at the instant it was captured; the distrust cases build
// their own PKI and certdata.txt, checked at pinned instants.
#include "../core/synthetic_certdata.h"
#include "../reliability/cert_factory.h"
#include "verify_support.h"

#ifndef TB_VERIFY_DATA_DIR
#define TB_VERIFY_DATA_DIR ""
#endif

namespace {

struct Verdict {
  int status = 0;
  std::string error;
  bool ok = false;
  int reason = -1;
  int depth = -2;
  std::string hint;
  std::vector<std::string> chain_der;
};

tbv::StorePtr store_of(bool mozilla, const std::vector<std::pair<std::string, std::string>>& sources) {
  trustbundle_store_options opts = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  opts.mozilla = mozilla ? 1 : 0;
  opts.env = 0;
  trustbundle_store_builder* raw = nullptr;
  trustbundle_error e = TRUSTBUNDLE_ERROR_INIT;
  if (trustbundle_store_builder_new(&raw, &opts, &e) != TRUSTBUNDLE_OK) throw std::runtime_error(e.message);
  tbv::BuilderPtr builder(raw);
  for (const auto& [name, bytes] : sources) {
    if (trustbundle_store_builder_add_data(builder.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                           bytes.size(), name.c_str(), &e) != TRUSTBUNDLE_OK)
      throw std::runtime_error(name + ": " + e.message);
  }
  trustbundle_store* store = nullptr;
  if (trustbundle_store_build(&store, builder.get(), &e) != TRUSTBUNDLE_OK) throw std::runtime_error(e.message);
  return tbv::StorePtr(store);
}

Verdict verify(trustbundle_store* store, const std::vector<std::string>& chain_pems, const char* host, int64_t at) {
  tbv::PackedChain chain;
  for (const std::string& pem : chain_pems) chain.add(pem);
  trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  opts.host = host;
  opts.has_time = 1;
  opts.time = at;
  trustbundle_error e = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_result* raw = nullptr;
  Verdict v;
  v.status = trustbundle_verify(&raw, store, chain.data(), chain.lengths.data(), chain.lengths.size(), &opts, &e);
  tbv::ResultPtr result(raw);
  if (v.status != TRUSTBUNDLE_OK) {
    v.error = e.message;
    return v;
  }
  v.ok = trustbundle_result_ok(result.get()) == 1;
  v.reason = trustbundle_result_reason(result.get());
  v.depth = trustbundle_result_depth(result.get());
  v.hint = trustbundle_result_hint(result.get());
  for (size_t i = 0; i < trustbundle_result_chain_count(result.get()); ++i) {
    size_t len = 0;
    const unsigned char* der = trustbundle_result_chain_der(result.get(), i, &len);
    v.chain_der.emplace_back(reinterpret_cast<const char*>(der), len);
  }
  return v;
}

std::string describe(const Verdict& v) {
  if (v.status != TRUSTBUNDLE_OK) return std::string(trustbundle_status_name(v.status)) + ": " + v.error;
  return std::string(trustbundle_reason_name(v.reason)) + " at depth " + std::to_string(v.depth) + " (" + v.hint + ")";
}

tbv::X509Ptr parse_der(const std::string& der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  return tbv::X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

// ------------------------------------------------- a real Mozilla chain

constexpr int64_t kGoogleCapturedAt = 1770021399;  // 2026-02-02T08:36:39Z, when the chain was served

class MozillaRootCandidates : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_pem_ = tbv::read_file(std::string(TB_VERIFY_DATA_DIR) + "/google-com-chain.pem");
    for (size_t i = 0; i < trustbundle_root_count(); ++i) {
      trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
      ASSERT_EQ(trustbundle_root_get(&info, i, nullptr), TRUSTBUNDLE_OK);
      if (std::string(info.label) == "GTS Root R1") root_der_.assign(reinterpret_cast<const char*>(info.der), info.der_len);
    }
    ASSERT_FALSE(root_der_.empty()) << "GTS Root R1 is not in the embedded bundle";
    root_ = parse_der(root_der_);
    ASSERT_NE(root_, nullptr);
    // The chain as Mozilla alone judges it: the baseline every case below keeps.
    tbv::StorePtr mozilla = store_of(true, {});
    Verdict v = verify(mozilla.get(), {chain_pem_}, "google.com", kGoogleCapturedAt);
    ASSERT_TRUE(v.ok) << describe(v);
    ASSERT_EQ(v.chain_der.back(), root_der_);
  }

  std::shared_ptr<EVP_PKEY> root_public_key() const {
    EVP_PKEY* key = X509_get_pubkey(root_.get());  // a new reference
    return std::shared_ptr<EVP_PKEY>(key, tbrel::PkeyDeleter());
  }

  std::string chain_pem_;
  std::string root_der_;
  tbv::X509Ptr root_;
};

TEST_F(MozillaRootCandidates, AnExtraCaWithTheSubjectOfAMozillaRootDoesNotHideTheRoot) {
  // Self-signed, the root's exact subject, another key (RSA, as the root's).
  tbrel::Issued impostor =
      tbrel::make_ca_named(X509_get_subject_name(root_.get()), tbrel::rsa_key_with_exponent(2048, 17), nullptr, 1);
  tbv::StorePtr store = store_of(true, {{"impostor.pem", tbrel::to_pem(impostor.cert.get())}});
  Verdict v = verify(store.get(), {chain_pem_}, "google.com", kGoogleCapturedAt);
  EXPECT_TRUE(v.ok) << describe(v);
  ASSERT_FALSE(v.chain_der.empty());
  EXPECT_EQ(v.chain_der.back(), root_der_) << "the chain did not end at the genuine GTS Root R1";
}

TEST_F(MozillaRootCandidates, AnOldCrossCertificateOfTheRootInTheExtrasDoesNotHideTheRoot) {
  // A corporate bundle that still holds a cross-certificate of the root
  // (its subject and key, issued by the corporate root), expired since 2021.
  tbrel::Issued corp = tbrel::make_ca("Corp Root", nullptr);
  tbrel::Issued cross = tbrel::make_ca_named(X509_get_subject_name(root_.get()), root_public_key(), &corp, 2,
                                             tbrel::Validity{1451606400, 1609459200});  // 2016 .. 2021
  tbv::StorePtr store = store_of(true, {{"corp.pem", tbrel::to_pem(corp.cert.get()) + tbrel::to_pem(cross.cert.get())}});
  Verdict v = verify(store.get(), {chain_pem_}, "google.com", kGoogleCapturedAt);
  EXPECT_TRUE(v.ok) << describe(v);
  ASSERT_FALSE(v.chain_der.empty());
  EXPECT_EQ(v.chain_der.back(), root_der_) << "the chain did not end at the genuine GTS Root R1";
}

// ------------------------------------------------------- distrust-after

// D = "Distrusted CA", distrusted for server certificates issued after
// 2030-01-01 (its certdata.txt entry says so); it expires on 2031-01-01.
constexpr long k2024 = 1704067200;
constexpr long kDistrustAfter = 1893456000;  // 2030-01-01T00:00:00Z
constexpr long k2031 = 1924992000;           // 2031-01-01: D expires
constexpr long kLeafIssued = 1906502400;     // 2030-06-01: after the distrust date
constexpr long k2032 = 1969660800;
constexpr int64_t kWhileValid = 1909094400;    // 2030-07-01: D, the leaf, all valid
constexpr int64_t kAfterExpiry = 1938038400;   // 2031-06-01: D expired, the leaf valid

class DistrustFollowsTheCa : public ::testing::Test {
 protected:
  void SetUp() override {
    distrusted_ = tbrel::make_ca("Distrusted CA", nullptr, nullptr, 1, tbrel::Validity{k2024, k2031});
    intermediate_ = tbrel::make_ca("Distrusted CA Intermediate", &distrusted_);
    leaf_ = tbrel::make_leaf("distrusted.example.test", intermediate_, tbrel::Validity{kLeafIssued, k2032});
    const tbtest::SyntheticCert c = tbtest::synthetic_cert(tbrel::to_der(distrusted_.cert.get()), "Distrusted CA");
    certdata_ = tbtest::certdata_header() + tbtest::certificate_object(c, "300101000000Z") + tbtest::trust_object(c);
    chain_ = {tbrel::to_pem(leaf_.cert.get()), tbrel::to_pem(intermediate_.cert.get())};
  }

  tbrel::Issued distrusted_, intermediate_, leaf_;
  std::string certdata_;
  std::vector<std::string> chain_;
};

TEST_F(DistrustFollowsTheCa, TheDistrustedRootItselfIsDistrusted) {
  tbv::StorePtr store = store_of(false, {{"certdata.txt", certdata_}});
  Verdict v = verify(store.get(), chain_, "distrusted.example.test", kWhileValid);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.reason, TRUSTBUNDLE_REASON_ROOT_DISTRUSTED) << describe(v);
  EXPECT_EQ(v.depth, 2);
  EXPECT_NE(v.hint.find("Distrusted CA"), std::string::npos) << v.hint;
  // A leaf issued before the date is fine.
  tbrel::Issued early = tbrel::make_leaf("distrusted.example.test", intermediate_, tbrel::Validity{k2024, k2032});
  Verdict before = verify(store.get(), {tbrel::to_pem(early.cert.get()), chain_[1]}, "distrusted.example.test",
                          kWhileValid);
  EXPECT_TRUE(before.ok) << describe(before);
}

TEST_F(DistrustFollowsTheCa, AReissuedCopyOfTheRootIsDistrustedToo) {
  // The same subject and key, self-signed again with a later end date.
  tbrel::Issued reissued = tbrel::make_ca_named(X509_get_subject_name(distrusted_.cert.get()), distrusted_.key,
                                                nullptr, 99, tbrel::Validity{k2024, 2366841600});
  tbv::StorePtr store = store_of(false, {{"certdata.txt", certdata_}, {"reissued.pem", tbrel::to_pem(reissued.cert.get())}});
  for (int64_t at : {kWhileValid, kAfterExpiry}) {
    Verdict v = verify(store.get(), chain_, "distrusted.example.test", at);
    EXPECT_FALSE(v.ok) << "at " << at << ": the re-issued root escaped distrust-after";
    EXPECT_EQ(v.reason, TRUSTBUNDLE_REASON_ROOT_DISTRUSTED) << "at " << at << ": " << describe(v);
    EXPECT_EQ(v.depth, 2);
  }
}

TEST_F(DistrustFollowsTheCa, ACrossCertificateOfTheRootInACorporateBundleIsDistrustedToo) {
  // The corporate root cross-signs the distrusted CA (its subject and key).
  tbrel::Issued corp = tbrel::make_ca("Corp Root", nullptr);
  tbrel::Issued cross =
      tbrel::make_ca_named(X509_get_subject_name(distrusted_.cert.get()), distrusted_.key, &corp, 5);
  tbv::StorePtr store = store_of(false, {{"certdata.txt", certdata_},
                                         {"corp.pem", tbrel::to_pem(corp.cert.get()) + tbrel::to_pem(cross.cert.get())}});
  for (int64_t at : {kWhileValid, kAfterExpiry}) {
    Verdict v = verify(store.get(), chain_, "distrusted.example.test", at);
    EXPECT_FALSE(v.ok) << "at " << at << ": the cross-certificate escaped distrust-after";
    EXPECT_EQ(v.reason, TRUSTBUNDLE_REASON_ROOT_DISTRUSTED) << "at " << at << ": " << describe(v);
  }
  // The server sends the cross-certificate; only the corporate root is an
  // extra. The distrusted root is then the anchor while it is valid, and
  // once it has expired the chain is rejected for that: never accepted.
  tbv::StorePtr corp_only = store_of(false, {{"certdata.txt", certdata_}, {"corp.pem", tbrel::to_pem(corp.cert.get())}});
  std::vector<std::string> sent = chain_;
  sent.push_back(tbrel::to_pem(cross.cert.get()));
  Verdict while_valid = verify(corp_only.get(), sent, "distrusted.example.test", kWhileValid);
  EXPECT_EQ(while_valid.reason, TRUSTBUNDLE_REASON_ROOT_DISTRUSTED) << describe(while_valid);
  Verdict expired = verify(corp_only.get(), sent, "distrusted.example.test", kAfterExpiry);
  EXPECT_FALSE(expired.ok) << "a served cross-certificate escaped distrust-after";
  EXPECT_EQ(expired.reason, TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED) << describe(expired);
}

}  // namespace
