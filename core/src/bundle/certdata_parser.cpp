#include "bundle/certdata_parser.h"

#include <cstring>

#include "base/errors.h"

namespace trustbundle {
namespace {

const char* const kKnownTypes[] = {"CK_OBJECT_CLASS",     "CK_BBOOL", "UTF8",
                                   "CK_CERTIFICATE_TYPE", "CK_TRUST", "MULTILINE_OCTAL"};

bool is_known_type(const std::string& type) {
  for (const char* known : kKnownTypes)
    if (type == known) return true;
  return false;
}

class LineReader {
 public:
  explicit LineReader(const std::string& text) : text_(text) {}

  bool next(std::string& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string::npos) end = text_.size();
    line.assign(text_, pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos_ = end + 1;
    ++number_;
    return true;
  }
  size_t number() const { return number_; }

 private:
  const std::string& text_;
  size_t pos_ = 0;
  size_t number_ = 0;
};

bool is_blank_or_comment(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  return i == std::string::npos || line[i] == '#';
}

std::vector<std::string> split_tokens(const std::string& line, size_t max_tokens) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size() && out.size() + 1 < max_tokens) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t end = line.find_first_of(" \t", i);
    if (end == std::string::npos) end = line.size();
    out.push_back(line.substr(i, end - i));
    i = end;
  }
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size()) out.push_back(line.substr(i));
  return out;
}

void check_printable(const std::string& line, const std::string& where) {
  for (unsigned char c : line)
    if (c == 0 || (c < 0x20 && c != '\t'))
      throw parse_error(where, "binary data where a text line was expected");
}

// One line of "\ooo\ooo..." escapes.
void decode_octal_line(const std::string& line, const std::string& where, std::string& out) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  size_t end = line.find_last_not_of(" \t");
  for (; end != std::string::npos && i <= end; i += 4) {
    if (line[i] != '\\' || i + 3 > end)
      throw parse_error(where, "malformed octal: expected \\ooo at column " + std::to_string(i + 1));
    int value = 0;
    for (size_t k = 1; k <= 3; ++k) {
      char c = line[i + k];
      if (c < '0' || c > '7')
        throw parse_error(where, std::string("malformed octal: '") + c + "' is not an octal digit at column " +
                                     std::to_string(i + k + 1));
      value = value * 8 + (c - '0');
    }
    if (value > 255)
      throw parse_error(where, "malformed octal: \\" + line.substr(i + 1, 3) + " is larger than a byte");
    out.push_back(static_cast<char>(value));
  }
}

std::string unquote_utf8(const std::string& raw, const std::string& where) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
    throw parse_error(where, "UTF8 value must be a double-quoted string");
  return raw.substr(1, raw.size() - 2);
}

}  // namespace

const NssAttribute* NssObject::find(const std::string& name) const {
  auto it = attributes.find(name);
  return it == attributes.end() ? nullptr : &it->second;
}

bool looks_like_certdata(const std::string& text) {
  return text.find("BEGINDATA") != std::string::npos && text.find("CKA_CLASS") != std::string::npos;
}

std::vector<NssObject> parse_certdata(const std::string& text, const std::string& source) {
  if (text.empty()) throw parse_error(source, "empty input, expected Mozilla certdata.txt");
  if (std::memchr(text.data(), 0, text.size()) != nullptr) {
    size_t nul = text.find('\0');
    size_t line = 1;
    for (size_t i = 0; i < nul; ++i) line += text[i] == '\n';
    throw parse_error(source + ":" + std::to_string(line), "binary data (NUL byte), expected certdata.txt text");
  }

  LineReader reader(text);
  std::string line;
  bool in_data = false;
  std::vector<NssObject> objects;
  while (reader.next(line)) {
    const std::string where = source + ":" + std::to_string(reader.number());
    check_printable(line, where);
    if (is_blank_or_comment(line)) continue;
    if (!in_data) {
      if (line.rfind("BEGINDATA", 0) == 0) {
        in_data = true;
        continue;
      }
      throw parse_error(where, "expected a comment or BEGINDATA before any object");
    }
    std::vector<std::string> tokens = split_tokens(line, 3);
    if (tokens.size() < 2 || tokens[0].rfind("CKA_", 0) != 0)
      throw parse_error(where, "expected 'CKA_<NAME> <TYPE> [VALUE]', got '" + line.substr(0, 60) + "'");
    NssAttribute attr;
    attr.type = tokens[1];
    attr.line = reader.number();
    if (!is_known_type(attr.type)) throw parse_error(where, "unknown attribute type '" + attr.type + "'");

    if (attr.type == "MULTILINE_OCTAL") {
      if (tokens.size() > 2) throw parse_error(where, "MULTILINE_OCTAL takes its value on the following lines");
      bool ended = false;
      while (reader.next(line)) {
        const std::string at = source + ":" + std::to_string(reader.number());
        check_printable(line, at);
        if (line.rfind("END", 0) == 0 && line.find_first_not_of(" \t", 3) == std::string::npos) {
          ended = true;
          break;
        }
        if (is_blank_or_comment(line)) continue;
        decode_octal_line(line, at, attr.value);
      }
      if (!ended) throw parse_error(where, "truncated input: MULTILINE_OCTAL value has no END");
    } else {
      if (tokens.size() < 3) throw parse_error(where, tokens[0] + " has no value");
      attr.value = attr.type == "UTF8" ? unquote_utf8(tokens[2], where) : tokens[2];
    }

    if (tokens[0] == "CKA_CLASS") {
      objects.emplace_back();
      objects.back().line = reader.number();
    } else if (objects.empty()) {
      throw parse_error(where, "attribute " + tokens[0] + " before the first CKA_CLASS");
    }
    auto inserted = objects.back().attributes.emplace(tokens[0], attr);
    if (!inserted.second)
      throw parse_error(where, "duplicate attribute " + tokens[0] + " in the object starting at line " +
                                   std::to_string(objects.back().line));
  }
  if (!in_data) throw parse_error(source, "no BEGINDATA line: this is not a certdata.txt file");
  if (objects.empty()) throw parse_error(source, "no objects after BEGINDATA");
  return objects;
}

}  // namespace trustbundle
