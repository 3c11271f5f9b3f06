// Reads Mozilla NSS certdata.txt into a list of objects and their
// attributes. Knows the syntax only; what the objects mean is curation's job.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace trustbundle {

struct NssAttribute {
  std::string type;   // CK_OBJECT_CLASS, CK_BBOOL, UTF8, MULTILINE_OCTAL, ...
  std::string value;  // decoded bytes for MULTILINE_OCTAL, unquoted text for UTF8, else the token
  size_t line = 0;    // 1-based line of the attribute's name
};

struct NssObject {
  size_t line = 0;  // line of its CKA_CLASS
  std::map<std::string, NssAttribute> attributes;

  const NssAttribute* find(const std::string& name) const;
};

// Parses the whole text. `source` names the input in error messages
// ("certdata.txt:123: ..."). Throws trustbundle::Error (PARSE) on any
// malformed line, bad octal, missing END or empty input.
std::vector<NssObject> parse_certdata(const std::string& text, const std::string& source);

// True when the text looks like certdata.txt rather than PEM.
bool looks_like_certdata(const std::string& text);

}  // namespace trustbundle
