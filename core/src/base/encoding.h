// Small byte encodings: hex, base64, and the Python-style escaping that
// certifi's comment lines use for non-ASCII text.
#pragma once

#include <cstddef>
#include <cstdint>
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

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid
// (overlong, surrogate, past U+10FFFF or truncated).
size_t decode_utf8(const std::string& s, size_t i, uint32_t& cp);

// Text from a peer (certificate names, SANs) made valid UTF-8, as every
// binding's string type needs: each invalid byte becomes U+FFFD. Control
// characters are data and stay (the text report masks them).
std::string replace_invalid_utf8(const std::string& text);

}  // namespace trustbundle
