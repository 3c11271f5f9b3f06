// Small byte encodings: hex, base64, and the Python-style escaping that
// certifi's comment lines use for non-ASCII text.
#pragma once

#include <string>

namespace trustbundle {

std::string hex_lower(const std::string& bytes);
// "ab:cd:..." as in certifi's fingerprint lines.
std::string hex_colon(const std::string& bytes);

std::string base64_encode(const std::string& bytes);
// Strict: whitespace is skipped, anything else outside the alphabet throws
// Error(PARSE) naming `where`.
std::string base64_decode(const std::string& text, const std::string& where);

// UTF-8 in, ASCII out: Python's unicode_escape (\xNN, \uNNNN, \UNNNNNNNN,
// backslash doubled). Invalid UTF-8 bytes are escaped as \xNN.
std::string python_escape(const std::string& utf8);

}  // namespace trustbundle
