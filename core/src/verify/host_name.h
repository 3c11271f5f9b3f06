// The name a verification checks, validated before OpenSSL sees it:
// OpenSSL reads a leading dot as "any subdomain of", so ".com" would match
// every certificate for a .com name (issue 15). The verifier and the
// doctor's servername both go through checked_host.
#pragma once

#include <cstddef>
#include <string>

namespace trustbundle {

constexpr size_t kMaxHostBytes = 253;  // RFC 1035: a DNS name in text, without the final dot
constexpr size_t kMaxLabelBytes = 63;

// An IPv4 or IPv6 address in text (IPv6 without brackets).
bool is_ip_literal(const std::string& host);

// host as it is matched: an IP literal as given; a DNS name without its
// trailing dot (an absolute name). Anything else throws
// Error(INVALID_ARGUMENT) naming `what` and the value: an empty name or
// label, a leading or double dot, a NUL, space or other control byte,
// '/', '@', ':' or '\' outside an IP literal, a label over 63 bytes, a
// name over 253 bytes.
std::string checked_host(const std::string& host, const std::string& what);

}  // namespace trustbundle
