// Minimal JSON output: string escaping and a few value helpers. Output is
// UTF-8 with non-ASCII kept as is; invalid UTF-8 bytes become \ufffd.
#pragma once

#include <cstdint>
#include <string>

namespace trustbundle {

std::string json_string(const std::string& utf8);
std::string json_time_or_null(bool present, int64_t seconds);  // "2026-...Z" or null

}  // namespace trustbundle
