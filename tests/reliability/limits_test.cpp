// The header's hard limits: one over each gets TRUSTBUNDLE_E_LIMIT (or, for
// the path depth, a CERT_CHAIN_TOO_LONG verdict), exactly at it does not.
#include <string>
#include <vector>

#include "cert_factory.h"
#include "reliability_support.h"

namespace {

using tbrel::bytes;

constexpr size_t kOverInput = TRUSTBUNDLE_MAX_INPUT_BYTES + 1;

// PEM of `cert` repeated n times (duplicates are fine for counting limits).
std::string repeat(const std::string& pem, size_t n) {
  std::string out;
  out.reserve(pem.size() * n);
  for (size_t i = 0; i < n; ++i) out += pem;
  return out;
}

// A valid PEM certificate padded with comment lines to exactly `size` bytes.
std::string padded_pem(size_t size) {
  std::string out = tbrel::fixed_root();
  std::string line = "# " + std::string(1021, 'p') + "\n";  // 1024 bytes
  while (out.size() + line.size() <= size) out += line;
  out += std::string(size - out.size() - 1, '#') + "\n";
  return out;
}

struct Outcome {
  int status;
  std::string message;
};

Outcome add_data(const std::string& data, const char* name = "limit data") {
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.env = 0;
  trustbundle_store_builder* builder = nullptr;
  EXPECT_EQ(trustbundle_store_builder_new(&builder, &options, nullptr), TRUSTBUNDLE_OK);
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_store_builder_add_data(builder, bytes(data), data.size(), name, &error);
  trustbundle_store_builder_free(builder);
  return {status, error.message};
}

Outcome add_path(const std::string& path) {
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.env = 0;
  trustbundle_store_builder* builder = nullptr;
  EXPECT_EQ(trustbundle_store_builder_new(&builder, &options, nullptr), TRUSTBUNDLE_OK);
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_store_builder_add_path(builder, path.c_str(), &error);
  trustbundle_store_builder_free(builder);
  return {status, error.message};
}

// A store of the Mozilla roots plus extra_pem (if any); freed by the caller.
trustbundle_store* store_with(const std::string& extra_pem) {
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.env = 0;
  trustbundle_store_builder* builder = nullptr;
  trustbundle_store* store = nullptr;
  EXPECT_EQ(trustbundle_store_builder_new(&builder, &options, nullptr), TRUSTBUNDLE_OK);
  if (!extra_pem.empty()) {
    EXPECT_EQ(trustbundle_store_builder_add_data(builder, bytes(extra_pem), extra_pem.size(), "extra", nullptr),
              TRUSTBUNDLE_OK);
  }
  EXPECT_EQ(trustbundle_store_build(&store, builder, nullptr), TRUSTBUNDLE_OK);
  trustbundle_store_builder_free(builder);
  return store;
}

struct Verdict {
  int status = 0;
  int ok = 0;
  int reason = -1;
  size_t chain_count = 0;
  std::string message;
};

Verdict verify(const trustbundle_store* store, const std::vector<std::string>& chain, const std::string& untrusted = "",
               const std::string& crls = "", int max_depth = -1) {
  std::string packed;
  std::vector<size_t> lengths;
  for (const std::string& c : chain) {
    packed += c;
    lengths.push_back(c.size());
  }
  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  options.has_time = 1;
  options.time = tbrel::kFixedPkiTime;
  options.max_depth = max_depth;
  options.untrusted = untrusted.empty() ? nullptr : bytes(untrusted);
  options.untrusted_len = untrusted.size();
  options.crls = crls.empty() ? nullptr : bytes(crls);
  options.crls_len = crls.size();
  trustbundle_result* result = nullptr;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  Verdict v;
  v.status = trustbundle_verify(&result, store, bytes(packed), lengths.data(), lengths.size(), &options, &error);
  v.message = error.message;
  if (result != nullptr) {
    v.ok = trustbundle_result_ok(result);
    v.reason = trustbundle_result_reason(result);
    v.chain_count = trustbundle_result_chain_count(result);
    trustbundle_result_free(result);
  }
  return v;
}

class Limits : public ::testing::Test {
 protected:
  void SetUp() override { store_ = store_with(tbrel::fixed_root()); }
  void TearDown() override { trustbundle_store_free(store_); }
  trustbundle_store* store_ = nullptr;
};

// ------------------------------------------------ TRUSTBUNDLE_MAX_INPUT_BYTES

TEST(LimitInputBytes, AddDataOneByteOverIsLimitExactlyAtIsAccepted) {
  std::string at = padded_pem(TRUSTBUNDLE_MAX_INPUT_BYTES);
  ASSERT_EQ(at.size(), TRUSTBUNDLE_MAX_INPUT_BYTES);
  EXPECT_EQ(add_data(at).status, TRUSTBUNDLE_OK);
  Outcome over = add_data(at + "\n", "big.pem");
  EXPECT_EQ(over.status, TRUSTBUNDLE_E_LIMIT) << over.message;
  EXPECT_NE(over.message.find("big.pem"), std::string::npos) << over.message;
}

TEST(LimitInputBytes, AddPathFileOneByteOverIsLimit) {
  tbrel::TempDir tmp;
  tbrel::write_file(tmp / "at.pem", padded_pem(TRUSTBUNDLE_MAX_INPUT_BYTES));
  tbrel::write_file(tmp / "over.pem", padded_pem(TRUSTBUNDLE_MAX_INPUT_BYTES) + "\n");
  EXPECT_EQ(add_path(tmp / "at.pem").status, TRUSTBUNDLE_OK);
  Outcome over = add_path(tmp / "over.pem");
  EXPECT_EQ(over.status, TRUSTBUNDLE_E_LIMIT) << over.message;
  EXPECT_NE(over.message.find(tmp / "over.pem"), std::string::npos) << over.message;
}

TEST_F(Limits, VerifyChainElementUntrustedPoolAndCrlsOverTheInputLimit) {
  std::string big = padded_pem(kOverInput);
  const std::string leaf = tbrel::fixed_leaf(), inter = tbrel::fixed_intermediate();
  EXPECT_EQ(verify(store_, {big}).status, TRUSTBUNDLE_E_LIMIT);
  EXPECT_EQ(verify(store_, {leaf, big}).status, TRUSTBUNDLE_E_LIMIT);
  EXPECT_EQ(verify(store_, {leaf}, big).status, TRUSTBUNDLE_E_LIMIT);
  EXPECT_EQ(verify(store_, {leaf, inter}, "", big).status, TRUSTBUNDLE_E_LIMIT);
  Verdict fine = verify(store_, {leaf, inter});
  EXPECT_EQ(fine.status, TRUSTBUNDLE_OK) << fine.message;
  EXPECT_EQ(fine.ok, 1);
}

// Found by this test: trustbundle_diff_new read inputs of any size.
TEST(LimitInputBytes, DiffSideOverTheInputLimit) {
  // A real PEM bundle, repeated past the limit: without the limit this is
  // a valid (huge) input, so only the check can refuse it.
  std::string bundle = tbrel::embedded_pem();
  std::string big = repeat(bundle, TRUSTBUNDLE_MAX_INPUT_BYTES / bundle.size() + 1);
  ASSERT_GT(big.size(), TRUSTBUNDLE_MAX_INPUT_BYTES);
  for (int side = 0; side < 2; ++side) {
    const std::string& old_side = side == 0 ? big : bundle;
    const std::string& new_side = side == 0 ? bundle : big;
    trustbundle_diff* diff = nullptr;
    trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
    int status = trustbundle_diff_new(&diff, bytes(old_side), old_side.size(), bytes(new_side), new_side.size(), &error);
    EXPECT_EQ(status, TRUSTBUNDLE_E_LIMIT) << "side " << side << ": " << error.message;
    EXPECT_EQ(diff, nullptr);
    EXPECT_NE(std::string(error.message).find(side == 0 ? "old" : "new"), std::string::npos) << error.message;
    trustbundle_diff_free(diff);
  }
}

TEST(LimitInputBytes, KeyPairInputsOverTheInputLimit) {
  std::string big = padded_pem(kOverInput);
  const std::string leaf = tbrel::fixed_leaf();
  trustbundle_key_check check = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_check_key_pair(&check, bytes(leaf), leaf.size(), bytes(big), big.size(), nullptr, 0, 0, &error),
            TRUSTBUNDLE_E_LIMIT)
      << error.message;
  error = TRUSTBUNDLE_ERROR_INIT;
  EXPECT_EQ(trustbundle_check_key_pair(&check, bytes(big), big.size(), bytes(leaf), leaf.size(), nullptr, 0, 0, &error),
            TRUSTBUNDLE_E_LIMIT)
      << error.message;
}

// ----------------------------------------------- TRUSTBUNDLE_MAX_CHAIN_CERTS

TEST_F(Limits, ChainOfMoreThanMaxChainCertsIsLimit) {
  const std::string leaf = tbrel::fixed_leaf(), inter = tbrel::fixed_intermediate();
  std::vector<std::string> at(TRUSTBUNDLE_MAX_CHAIN_CERTS - 1, inter);
  at.insert(at.begin(), leaf);
  Verdict v = verify(store_, at);
  EXPECT_EQ(v.status, TRUSTBUNDLE_OK) << v.message;
  std::vector<std::string> over = at;
  over.push_back(inter);
  v = verify(store_, over);
  EXPECT_EQ(v.status, TRUSTBUNDLE_E_LIMIT) << v.message;
  // The same count inside one PEM buffer (count 1) is counted too.
  std::string one;
  for (const std::string& c : over) one += c;
  v = verify(store_, {one});
  EXPECT_EQ(v.status, TRUSTBUNDLE_E_LIMIT) << v.message;
}

// ------------------------------------------- TRUSTBUNDLE_MAX_UNTRUSTED_CERTS

TEST_F(Limits, UntrustedPoolOfMoreThanMaxUntrustedCertsIsLimit) {
  const std::string inter = tbrel::fixed_intermediate();
  Verdict at = verify(store_, {tbrel::fixed_leaf()}, repeat(inter, TRUSTBUNDLE_MAX_UNTRUSTED_CERTS));
  EXPECT_EQ(at.status, TRUSTBUNDLE_OK) << at.message;
  EXPECT_EQ(at.ok, 1);
  Verdict over = verify(store_, {tbrel::fixed_leaf()}, repeat(inter, TRUSTBUNDLE_MAX_UNTRUSTED_CERTS + 1));
  EXPECT_EQ(over.status, TRUSTBUNDLE_E_LIMIT) << over.message;
}

TEST_F(Limits, AHostilePoolOfMutuallyIssuingCasIsBoundedInTime) {
  // 1024 distinct CAs with one name and one key: each one "issues" every
  // other, the worst case for path building. No root: must fail, quickly.
  auto key = tbrel::new_ec_key();
  std::vector<tbrel::Issued> cas;
  std::string pool;
  tbrel::Issued first = tbrel::make_ca("Loop CA", nullptr, key, 1);
  for (long i = 0; i < static_cast<long>(TRUSTBUNDLE_MAX_UNTRUSTED_CERTS); ++i)
    pool += tbrel::to_pem(tbrel::make_ca("Loop CA", &first, key, 1000 + i).cert.get());
  tbrel::Issued leaf = tbrel::make_leaf("loop.example.test", first);
  auto start = std::chrono::steady_clock::now();
  Verdict v = verify(store_, {tbrel::to_pem(leaf.cert.get())}, pool);
  double took = tbrel::seconds_since(start);
  EXPECT_EQ(v.status, TRUSTBUNDLE_OK) << v.message;
  EXPECT_EQ(v.ok, 0);
  EXPECT_LT(took, 5.0) << "path building over a hostile pool took " << took << " s";
}

// --------------------------------------------- TRUSTBUNDLE_MAX_SOURCE_CERTS

TEST(LimitSourceCerts, PemBufferWithMoreThanMaxSourceCertsIsLimit) {
  const std::string root = tbrel::fixed_root();
  EXPECT_EQ(add_data(repeat(root, TRUSTBUNDLE_MAX_SOURCE_CERTS)).status, TRUSTBUNDLE_OK);
  Outcome over = add_data(repeat(root, TRUSTBUNDLE_MAX_SOURCE_CERTS + 1), "many.pem");
  EXPECT_EQ(over.status, TRUSTBUNDLE_E_LIMIT) << over.message;
  EXPECT_NE(over.message.find("many.pem"), std::string::npos) << over.message;
}

TEST(LimitSourceCerts, DirectoryWithMoreThanMaxSourceCertsIsLimit) {
  tbrel::TempDir tmp;
  const std::string chunk = repeat(tbrel::fixed_root(), 1000);
  for (size_t i = 0; i < TRUSTBUNDLE_MAX_SOURCE_CERTS / 1000; ++i)
    tbrel::write_file(tmp / ("part" + std::to_string(100 + i) + ".pem"), chunk);
  EXPECT_EQ(add_path(tmp.path()).status, TRUSTBUNDLE_OK);
  tbrel::write_file(tmp / "zz-one-more.pem", tbrel::fixed_root());
  Outcome over = add_path(tmp.path());
  EXPECT_EQ(over.status, TRUSTBUNDLE_E_LIMIT) << over.message;
  EXPECT_NE(over.message.find(tmp.path()), std::string::npos) << over.message;
}

// certdata.txt text with n server-trusted roots (tiny, distinct certificates).
std::string certdata_with_roots(size_t n) {
  auto octal = [](const std::string& data) {
    static const char kDigits[] = "01234567";
    std::string out;
    for (size_t i = 0; i < data.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(data[i]);
      out += {'\\', kDigits[c >> 6], kDigits[(c >> 3) & 7], kDigits[c & 7]};
      if (i % 32 == 31) out += '\n';
    }
    return out + "\nEND\n";
  };
  std::vector<std::string> ders;
  for (size_t i = 0; i < n; ++i) ders.push_back(tbrel::tiny_self_signed_der(static_cast<long>(i) + 1));
  std::string out = "# many roots\nBEGINDATA\n";
  for (size_t i = 0; i < n; ++i) {
    std::string serial = octal(std::string{static_cast<char>(i >> 8), static_cast<char>(i & 0xff)});
    std::string key = "CKA_ISSUER MULTILINE_OCTAL\n\\101\nEND\nCKA_SERIAL_NUMBER MULTILINE_OCTAL\n" + serial;
    out += "CKA_CLASS CK_OBJECT_CLASS CKO_CERTIFICATE\nCKA_LABEL UTF8 \"r" + std::to_string(i) +
           "\"\nCKA_CERTIFICATE_TYPE CK_CERTIFICATE_TYPE CKC_X_509\n" + key + "CKA_VALUE MULTILINE_OCTAL\n" +
           octal(ders[i]);
    out += "CKA_CLASS CK_OBJECT_CLASS CKO_NSS_TRUST\n" + key +
           "CKA_TRUST_SERVER_AUTH CK_TRUST CKT_NSS_TRUSTED_DELEGATOR\n";
  }
  return out;
}

// Found by this test: the certdata branch of load_certs_from_bytes did not
// count (the PEM branch did). The boundary itself is checked above, on PEM.
TEST(LimitSourceCerts, CertdataWithMoreThanMaxSourceCertsIsLimit) {
  std::string over = certdata_with_roots(TRUSTBUNDLE_MAX_SOURCE_CERTS + 1);
  ASSERT_LE(over.size(), TRUSTBUNDLE_MAX_INPUT_BYTES) << "the test file must be over the count limit only";
  Outcome refused = add_data(over, "over.txt");
  EXPECT_EQ(refused.status, TRUSTBUNDLE_E_LIMIT) << refused.message;
  EXPECT_NE(refused.message.find("over.txt"), std::string::npos) << refused.message;
}

// ---------------------------------------------------- TRUSTBUNDLE_MAX_DEPTH

// root <- ca1 <- ... <- caN <- leaf; the root PEM and the N CAs as a pool.
struct DeepChain {
  std::string root_pem, pool_pem, leaf_pem;
};

DeepChain deep_chain(int intermediates) {
  DeepChain out;
  tbrel::Issued root = tbrel::make_ca("Deep Root", nullptr);
  out.root_pem = tbrel::to_pem(root.cert.get());
  tbrel::Issued issuer = root;
  for (int i = 1; i <= intermediates; ++i) {
    issuer = tbrel::make_ca("Deep CA " + std::to_string(i), &issuer);
    out.pool_pem += tbrel::to_pem(issuer.cert.get());
  }
  out.leaf_pem = tbrel::to_pem(tbrel::make_leaf("deep.example.test", issuer).cert.get());
  return out;
}

TEST(LimitDepth, AtMostMaxDepthIntermediatesAndMaxDepthIsClamped) {
  // A path longer than the limit is a verdict, not an input error: the
  // input is small, only the path it describes is too long.
  DeepChain at = deep_chain(TRUSTBUNDLE_MAX_DEPTH);
  trustbundle_store* store = store_with(at.root_pem);
  Verdict v = verify(store, {at.leaf_pem}, at.pool_pem);
  EXPECT_EQ(v.status, TRUSTBUNDLE_OK) << v.message;
  EXPECT_EQ(v.ok, 1) << trustbundle_reason_name(v.reason);
  EXPECT_EQ(v.chain_count, static_cast<size_t>(TRUSTBUNDLE_MAX_DEPTH) + 2);
  trustbundle_store_free(store);

  DeepChain over = deep_chain(TRUSTBUNDLE_MAX_DEPTH + 1);
  store = store_with(over.root_pem);
  for (int max_depth : {-1, TRUSTBUNDLE_MAX_DEPTH, TRUSTBUNDLE_MAX_DEPTH + 1, 1000}) {
    v = verify(store, {over.leaf_pem}, over.pool_pem, "", max_depth);
    EXPECT_EQ(v.status, TRUSTBUNDLE_OK) << v.message;
    EXPECT_EQ(v.ok, 0) << "max_depth " << max_depth;
    EXPECT_EQ(v.reason, TRUSTBUNDLE_REASON_CERT_CHAIN_TOO_LONG)
        << "max_depth " << max_depth << ": " << trustbundle_reason_name(v.reason);
  }
  trustbundle_store_free(store);
}

}  // namespace
