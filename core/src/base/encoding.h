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

// Untrusted text (a certificate's names, a label from a given certdata.txt)
// as it may be shown on a terminal: every control character, CR, LF and TAB
// included, is written as an escape (C0 and DEL as \xNN, C1 as \u0080 ..
// \u009f) and so is each invalid UTF-8 byte (\xNN), so the text cannot move
// the cursor, clear the screen or forge a line. Printable UTF-8 stays. Every
// text (not JSON) output passes untrusted values through it.
std::string terminal_text(const std::string& untrusted);

}  // namespace trustbundle
