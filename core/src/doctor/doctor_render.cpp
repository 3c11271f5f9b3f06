#include "doctor/doctor_render.h"

#include "base/cert_info.h"
#include "doctor/chain_diagnosis.h"
#include "base/encoding.h"
#include "base/json_writer.h"
#include "base/time_util.h"
#include "verify/verify_hints.h"
#include "verify/verify_reasons.h"

namespace trustbundle {
namespace {

std::string key_text(const ServedCert& c) {
  return c.key_type + (c.key_bits > 0 ? " " + std::to_string(c.key_bits) : "");
}

std::string client_cert_text(const DoctorReport& r) {
  if (!r.tls.cert_requested) return "client certificate not requested";
  if (!r.tls.cert_offered) return "client certificate requested, none offered";
  return "client certificate requested, " + quoted(r.client_name) + " offered";
}

std::string connection_line(const DoctorReport& r) {
  std::string line = "  " + (r.address.empty() ? r.endpoint : r.address);
  if (r.servername != r.host) line += " as " + r.servername;
  if (!r.tls.protocol.empty()) line += ", " + r.tls.protocol + " " + r.tls.cipher;
  if (!r.tls.protocol.empty() || r.tls.cert_requested) line += ", " + client_cert_text(r);
  return line + "\n";
}

std::string indented_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "  - " + terminal_text(text.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return out;
}

std::string json_string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_string(items[i]);
  return out + "]";
}

std::string json_or_null(const std::string& s) { return s.empty() ? "null" : json_string(s); }

std::string json_bool(bool b) { return b ? "true" : "false"; }

std::string json_cert(size_t index, const ServedCert& c) {
  return "{\"index\": " + std::to_string(index) + ", \"subject\": " + json_string(c.subject) +
         ", \"issuer\": " + json_string(c.issuer) + ", \"name\": " + json_string(c.name) +
         ", \"issuer_name\": " + json_string(c.issuer_name) + ", \"not_before\": " +
         (c.times_readable ? json_string(format_rfc3339(c.not_before)) : "null") + ", \"not_after\": " +
         (c.times_readable ? json_string(format_rfc3339(c.not_after)) : "null") +
         ", \"key_type\": " + json_string(c.key_type) + ", \"key_bits\": " + std::to_string(c.key_bits) +
         ", \"sha256\": " + json_string(c.sha256_hex) + ", \"ca\": " + json_bool(c.is_ca) +
         ", \"self_signed\": " + json_bool(c.self_signed) + ", \"alt_names\": " + json_string_list(c.alt_names) + "}";
}

std::string json_finding(const Finding& f) {
  return "{\"code\": " + json_string(finding_name(f.code)) + ", \"severity\": " + json_string(severity_name(f.severity)) +
         ", \"index\": " + std::to_string(f.index) + ", \"message\": " + json_string(f.message) +
         ", \"fix_client\": " + json_string(f.fix_client) + ", \"fix_server\": " + json_string(f.fix_server) + "}";
}

std::string json_anchor(const DoctorReport& r) {
  if (!r.verified || !r.outcome.ok) return "null";
  const std::string& der = r.outcome.chain_der.back();
  CertInfo info = describe_certificate(der, "anchor");
  return "{\"subject\": " + json_string(info.subject) + ", \"sha256\": " + json_string(info.sha256_hex) +
         ", \"mozilla\": " + json_bool(is_mozilla_root(der)) + "}";
}

}  // namespace

const char* verdict_name(int verdict) {
  switch (verdict) {
    case TRUSTBUNDLE_VERDICT_OK: return "OK";
    case TRUSTBUNDLE_VERDICT_REJECTED: return "REJECTED";
    case TRUSTBUNDLE_VERDICT_UNREACHABLE: return "UNREACHABLE";
    default: return "UNKNOWN";
  }
}

std::string render_doctor_text(const DoctorReport& r) {
  std::string out = verdict_name(r.verdict);
  out += r.verdict == TRUSTBUNDLE_VERDICT_OK ? ": " : " (" + r.label + "): ";
  out += terminal_text(r.message) + "\n" + connection_line(r);
  if (!r.served.empty()) {
    out += "chain as served (" + std::to_string(r.served.size()) +
           (r.served.size() == 1 ? " certificate" : " certificates") + ", in the order sent):\n";
    for (size_t i = 0; i < r.served.size(); ++i) {
      const ServedCert& c = r.served[i];
      const std::string validity =
          c.times_readable ? format_date(c.not_before) + ".." + format_date(c.not_after) : "unreadable validity";
      out += "  #" + std::to_string(i) + " " + terminal_text(c.name) + " | issuer " + terminal_text(c.issuer_name) +
             " | " + validity + " | " +
             key_text(c) + " | SHA-256 " + c.sha256_hex.substr(0, 16) + "\n";
    }
  }
  if (!r.findings.empty()) {
    out += "findings:\n";
    for (const Finding& f : r.findings) {
      std::string severity = severity_name(f.severity);
      out += "  " + severity + std::string(8 - severity.size(), ' ') + finding_name(f.code) + ": " + terminal_text(f.message) + "\n";
    }
  }
  if (r.fix_client.empty() && r.fix_server.empty()) return out + "fix: nothing to fix\n";
  out += "fix, client side:\n" + (r.fix_client.empty() ? std::string("  - nothing to change\n") : indented_lines(r.fix_client));
  out += "fix, server side:\n" + (r.fix_server.empty() ? std::string("  - nothing to change\n") : indented_lines(r.fix_server));
  return out;
}

std::string render_doctor_json(const DoctorReport& r) {
  std::string out = "{\n";
  out += "  \"target\": " + json_string(r.target) + ",\n";
  out += "  \"host\": " + json_string(r.host) + ",\n";
  out += "  \"port\": " + std::to_string(r.port) + ",\n";
  out += "  \"servername\": " + json_string(r.servername) + ",\n";
  out += "  \"sni\": " + json_or_null(r.sni) + ",\n";
  out += "  \"address\": " + json_or_null(r.address) + ",\n";
  out += "  \"checked_at\": " + json_string(format_rfc3339(r.checked_at)) + ",\n";
  out += "  \"verdict\": " + json_string(verdict_name(r.verdict)) + ",\n";
  out += "  \"ok\": " + json_bool(r.verdict == TRUSTBUNDLE_VERDICT_OK) + ",\n";
  out += "  \"label\": " + json_string(r.label) + ",\n";
  out += "  \"message\": " + json_string(r.message) + ",\n";
  out += "  \"failure\": " + json_string(failure_name(r.failure)) + ",\n";
  out += "  \"failure_message\": " + json_string(r.failure_message) + ",\n";
  out += "  \"reason\": " + (r.verified ? json_string(reason_name(r.outcome.reason)) : "null") + ",\n";
  out += "  \"depth\": " + std::to_string(r.verified ? r.outcome.depth : -1) + ",\n";
  out += "  \"verify_message\": " + json_string(r.verified ? r.outcome.message : "") + ",\n";
  out += "  \"hint\": " + json_string(r.verified ? r.outcome.hint : "") + ",\n";
  out += "  \"protocol\": " + json_or_null(r.tls.protocol) + ",\n";
  out += "  \"cipher\": " + json_or_null(r.tls.cipher) + ",\n";
  out += "  \"alert\": " + (r.tls.alert < 0 ? std::string("null")
                                            : "{\"code\": " + std::to_string(r.tls.alert) +
                                                  ", \"name\": " + json_string(alert_name(r.tls.alert)) + "}") + ",\n";
  out += "  \"client_certificate\": {\"requested\": " + json_bool(r.tls.cert_requested) +
         ", \"offered\": " + json_bool(r.tls.cert_offered) + ", \"given\": " + json_or_null(r.client_name) +
         ", \"acceptable_cas\": " + json_string_list(r.tls.acceptable_cas) + "},\n";
  out += "  \"chain\": [";
  for (size_t i = 0; i < r.served.size(); ++i) out += std::string(i ? "," : "") + "\n    " + json_cert(i, r.served[i]);
  out += r.served.empty() ? "],\n" : "\n  ],\n";
  out += "  \"anchor\": " + json_anchor(r) + ",\n";
  out += "  \"findings\": [";
  for (size_t i = 0; i < r.findings.size(); ++i) out += std::string(i ? "," : "") + "\n    " + json_finding(r.findings[i]);
  out += r.findings.empty() ? "],\n" : "\n  ],\n";
  out += "  \"fix\": {\"client\": " + json_string(r.fix_client) + ", \"server\": " + json_string(r.fix_server) + "}\n";
  return out + "}\n";
}

}  // namespace trustbundle
