#include "verify/host_name.h"

#include <arpa/inet.h>

#include "base/errors.h"

namespace trustbundle {
namespace {

// The value as it can be shown in a message: bytes that are not printable
// ASCII as \xNN, and not more than fits in an error message.
std::string shown(const std::string& value) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < value.size() && out.size() < 80; ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out.size() < 80 ? out : out + "...";
}

// Why name (without its trailing dot) is not a DNS name; "" when it is one.
std::string dns_name_problem(const std::string& name) {
  if (name.empty()) return "it is empty";
  if (name.size() > kMaxHostBytes) return "it is longer than " + std::to_string(kMaxHostBytes) + " bytes";
  if (name.front() == '.') return "it starts with a dot (which OpenSSL would match against any subdomain)";
  size_t label = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c == '\0') return "it contains a NUL byte";
    if (c <= 0x20 || c == 0x7f) return "it contains a space or a control character";
    if (c == '/' || c == '@' || c == ':' || c == '\\') return std::string("it contains '") + name[i] + "'";
    if (c == '.') {
      if (label == 0) return "it has an empty label (two dots in a row)";
      label = 0;
      continue;
    }
    if (++label > kMaxLabelBytes) return "a label is longer than " + std::to_string(kMaxLabelBytes) + " bytes";
  }
  if (label == 0) return "it ends with an empty label";
  return "";
}

}  // namespace

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  if (host.find('\0') != std::string::npos) return false;
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string checked_host(const std::string& host, const std::string& what) {
  if (is_ip_literal(host)) return host;
  std::string name = host;
  if (name.size() > 1 && name.back() == '.') name.pop_back();  // absolute: "example.com." is "example.com"
  std::string problem = dns_name_problem(name);
  if (!problem.empty())
    throw invalid_argument(what + " '" + shown(host) + "' is not a valid DNS name or IP address: " + problem);
  return name;
}

}  // namespace trustbundle
