// What every harness holds the core to: it may refuse input only with a
// trustbundle::Error of an expected status and a message; anything else
// (another exception, a wrong status, a broken invariant) aborts, which
// libFuzzer reports as a crash and the replay test as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/errors.h"

#define TB_FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "tbfuzz: invariant broken: %s (%s:%d)\n", what, __FILE__, __LINE__); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)

namespace tbfuzz {

// Runs body; true if it returned, false if it refused the input properly.
template <typename Body>
bool accepts(Body&& body, std::initializer_list<int> allowed) {
  try {
    body();
    return true;
  } catch (const trustbundle::Error& e) {
    bool expected = false;
    for (int status : allowed) expected = expected || e.status() == status;
    if (!expected) std::fprintf(stderr, "tbfuzz: unexpected status %d: %s\n", e.status(), e.what());
    TB_FUZZ_CHECK(expected, "refused with an unexpected status");
    TB_FUZZ_CHECK(e.what()[0] != '\0', "an error without a message");
    return false;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tbfuzz: foreign exception: %s\n", e.what());
    std::abort();
  }
}

// Splits at every "TBFZ" (the separator the seed generator writes), at most
// max_parts parts; the last part keeps the rest.
inline std::vector<std::string> split_parts(const std::string& bytes, size_t max_parts) {
  static const std::string kSeparator = "TBFZ";
  std::vector<std::string> parts;
  size_t pos = 0;
  while (parts.size() + 1 < max_parts) {
    size_t next = bytes.find(kSeparator, pos);
    if (next == std::string::npos) break;
    parts.push_back(bytes.substr(pos, next - pos));
    pos = next + kSeparator.size();
  }
  parts.push_back(bytes.substr(pos));
  return parts;
}

// True if text is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool valid_utf8(const std::string& text);

}  // namespace tbfuzz
