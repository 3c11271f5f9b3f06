// Every committed fuzz seed (fuzz/seeds/<target>/) and every input that
// once crashed a fuzzer (regressions/<target>/) runs through its harness,
// the same code libFuzzer runs. A harness aborts on a broken invariant.
#include <string>
#include <vector>

#include "harness.h"
#include "reliability_support.h"

#ifndef TB_REL_REPO
#error "TB_REL_REPO must name the repository root"
#endif

namespace {

std::vector<std::string> inputs_of(const std::string& dir) {
  std::vector<std::string> out;
  if (!tbrel::fs::is_directory(dir)) return out;
  for (const std::string& name : tbrel::list_dir(dir)) out.push_back(dir + "/" + name);
  return out;
}

void replay(const tbfuzz::Target& target, const std::string& dir) {
  for (const std::string& path : inputs_of(dir)) {
    SCOPED_TRACE(path);
    std::string data = tbrel::read_file(path);
    EXPECT_EQ(target.run(reinterpret_cast<const uint8_t*>(data.data()), data.size()), 0);
  }
}

class FuzzReplay : public ::testing::TestWithParam<tbfuzz::Target> {};

TEST_P(FuzzReplay, SeedsAndPastCrashes) {
  replay(GetParam(), std::string(TB_REL_REPO) + "/fuzz/seeds/" + GetParam().name);
  replay(GetParam(), std::string(TB_REL_REPO) + "/tests/reliability/regressions/" + GetParam().name);
}

TEST_P(FuzzReplay, EmptyAndTinyInputs) {
  for (const std::string& data : {std::string(), std::string(1, '\0'), std::string("TBFZ"), std::string(6, '\xff')})
    EXPECT_EQ(GetParam().run(reinterpret_cast<const uint8_t*>(data.data()), data.size()), 0);
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(tbfuzz::kTargets),
                         [](const ::testing::TestParamInfo<tbfuzz::Target>& info) { return std::string(info.param.name); });

}  // namespace
