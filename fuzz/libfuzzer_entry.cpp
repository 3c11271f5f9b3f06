// libFuzzer's entry point, compiled once per target with TB_FUZZ_HARNESS
// naming the harness (see CMakeLists.txt).
#include "harness.h"

#ifndef TB_FUZZ_HARNESS
#error "TB_FUZZ_HARNESS must name a harness, e.g. tbfuzz::certdata"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return TB_FUZZ_HARNESS(data, size); }
