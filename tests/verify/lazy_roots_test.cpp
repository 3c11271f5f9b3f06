// Laziness of the default store, in a process of its own (its own test
// executable, one test), so that nothing parsed an embedded root before:
// creating default stores parses no root at all, a verification that does
// not need a Mozilla root parses none, and one that needs a root parses that
// root (and any with the same subject hash), never the whole bundle.
#include "verify/embedded_lookup.h"
#include "verify_support.h"

namespace {

TEST(LazyRoots, StoresParseNothingUntilAVerificationNeedsARoot) {
  tbv::ScopedEnv no_env("TRUSTBUNDLE_EXTRA_CA_CERTS", std::nullopt);
  ASSERT_EQ(trustbundle::embedded_roots_parsed(), 0u) << "a root was parsed before the test began";

  // 1. Ten default stores (and one built with the builder): nothing parsed.
  std::vector<tbv::StorePtr> stores;
  for (int i = 0; i < 10; ++i) stores.push_back(tbv::default_store());
  stores.push_back(tbv::make_store(/*mozilla=*/true, {}, /*env=*/true));
  EXPECT_EQ(trustbundle::embedded_roots_parsed(), 0u) << "creating default stores parsed embedded roots";

  // Reading the bundle's metadata is not a verification either.
  trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
  ASSERT_EQ(trustbundle_root_get(&info, 0, nullptr), TRUSTBUNDLE_OK);
  EXPECT_EQ(trustbundle::embedded_roots_parsed(), 0u);

  // 2. Verifications whose issuer is not a Mozilla root: the lookup misses
  //    by subject hash and parses nothing.
  if (tbv::path_exists(tbv::pki("root.pem"))) {
    const tbv::PackedChain chain = tbv::chain_of_files({"valid/leaf.pem", "valid/intermediate.pem"});
    trustbundle_verify_options opts = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
    opts.host = "a.example.test";
    opts.has_time = 1;
    opts.time = 1780272000;  // 2026-06-01T00:00:00Z
    for (const tbv::StorePtr& store : stores) {
      trustbundle_result* raw = nullptr;
      ASSERT_EQ(trustbundle_verify(&raw, store.get(), chain.data(), chain.lengths.data(), chain.lengths.size(), &opts,
                                   nullptr),
                TRUSTBUNDLE_OK);
      tbv::ResultPtr result(raw);
      EXPECT_EQ(trustbundle_result_reason(result.get()), TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    }
    tbv::StorePtr with_extra = tbv::make_store(/*mozilla=*/true, {tbv::pki("root.pem")});
    trustbundle_result* raw = nullptr;
    ASSERT_EQ(trustbundle_verify(&raw, with_extra.get(), chain.data(), chain.lengths.data(), chain.lengths.size(),
                                 &opts, nullptr),
              TRUSTBUNDLE_OK);
    tbv::ResultPtr result(raw);
    EXPECT_EQ(trustbundle_result_ok(result.get()), 1) << trustbundle_result_message(result.get());
    EXPECT_EQ(trustbundle::embedded_roots_parsed(), 0u) << "a verification under a non-Mozilla root parsed roots";
  } else {
    std::printf("test PKI not found in '%s': the non-Mozilla verifications were not run\n", tbv::pki_dir().c_str());
  }

  // 3. A verification that needs one Mozilla root parses only that root
  //    (and roots sharing its subject hash, which the lookup must compare).
  const size_t total = trustbundle_root_count();
  ASSERT_GT(total, 100u);
  ASSERT_EQ(trustbundle_root_get(&info, total / 2, nullptr), TRUSTBUNDLE_OK);
  tbv::PackedChain root_chain;
  root_chain.add(std::string(reinterpret_cast<const char*>(info.der), info.der_len));
  trustbundle_result* raw = nullptr;
  ASSERT_EQ(trustbundle_verify(&raw, stores[0].get(), root_chain.data(), root_chain.lengths.data(), 1, nullptr, nullptr),
            TRUSTBUNDLE_OK);
  tbv::ResultPtr result(raw);
  EXPECT_NE(trustbundle_result_reason(result.get()), TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
      << "the lazy lookup did not find the embedded root '" << info.label << "'";
  const size_t parsed = trustbundle::embedded_roots_parsed();
  EXPECT_GE(parsed, 1u);
  EXPECT_LE(parsed, 3u) << "one verification parsed " << parsed << " of " << total << " roots";

  // Parsed once per process: the same root again, on another store, parses nothing new.
  raw = nullptr;
  ASSERT_EQ(trustbundle_verify(&raw, stores[5].get(), root_chain.data(), root_chain.lengths.data(), 1, nullptr, nullptr),
            TRUSTBUNDLE_OK);
  tbv::ResultPtr again(raw);
  EXPECT_EQ(trustbundle_result_reason(again.get()), trustbundle_result_reason(result.get()));
  EXPECT_EQ(trustbundle::embedded_roots_parsed(), parsed);
}

}  // namespace
