#include "base/json_writer.h"

#include <cstdio>

#include "base/encoding.h"
#include "base/time_util.h"

namespace trustbundle {

std::string json_string(const std::string& utf8) {
  std::string out = "\"";
  for (size_t i = 0; i < utf8.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c >= 0x80) {
      // JSON must be UTF-8: a label from user input may not be. Keep valid
      // sequences, replace each invalid byte with U+FFFD.
      uint32_t cp = 0;
      size_t len = decode_utf8(utf8, i, cp);
      if (len == 0) {
        out += "\\ufffd";
      } else {
        out.append(utf8, i, len);
        i += len - 1;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string json_time_or_null(bool present, int64_t seconds) {
  return present ? json_string(format_rfc3339(seconds)) : "null";
}

}  // namespace trustbundle
