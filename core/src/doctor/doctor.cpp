#include "doctor/doctor.h"

#include <algorithm>
#include <ctime>

#include "base/cert_info.h"
#include "verify/cert_source.h"
#include "doctor/chain_diagnosis.h"
#include "doctor/client_identity.h"
#include "base/errors.h"
#include "doctor/handshake_diagnosis.h"
#include "doctor/net_connect.h"
#include "doctor/platform_socket.h"
#include "verify/host_name.h"
#include "verify/verify_budget.h"
#include "verify/verify_hints.h"
#include "verify/verify_reasons.h"

namespace trustbundle {
namespace {

struct SocketCloser {
  SocketHandle socket;
  ~SocketCloser() {
    if (socket != kNoSocket) socket_close(socket);
  }
};

// The name verified and sent: the servername, else the target's host; a
// DNS name (its trailing dot dropped) or an IP literal, checked as verify checks a host.
void set_names(DoctorReport& report, const std::string& servername) {
  std::string name = servername.empty() ? checked_host(report.host, "the target's host")
                                        : checked_host(servername, "servername");
  report.servername = name;
  report.sni = is_ip_literal(name) ? "" : name;  // RFC 6066: SNI never carries an address
}

bool unreachable(int failure) {
  return failure != TRUSTBUNDLE_FAILURE_NONE && failure != TRUSTBUNDLE_FAILURE_CLIENT_CERT;
}

// The finding that says in words what the verification reason says.
const Finding* primary_finding(const std::vector<Finding>& findings, int reason) {
  for (const Finding& f : findings)
    if (explains(f.code, reason)) return &f;
  return nullptr;
}

void sort_by_severity(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.severity > b.severity; });
}

std::string collect_fixes(const std::vector<Finding>& findings, std::string Finding::*side) {
  std::vector<std::string> lines;
  for (const Finding& f : findings) {
    const std::string& fix = f.*side;
    if (f.severity == TRUSTBUNDLE_SEVERITY_INFO || fix.empty()) continue;
    if (std::find(lines.begin(), lines.end(), fix) == lines.end()) lines.push_back(fix);
  }
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

void judge(DoctorReport& r, const std::vector<Finding>& chain_findings) {
  if (unreachable(r.failure)) {
    r.verdict = TRUSTBUNDLE_VERDICT_UNREACHABLE;
    r.label = failure_name(r.failure);
    r.message = r.failure_message;
    return;
  }
  r.verdict = TRUSTBUNDLE_VERDICT_REJECTED;
  if (r.verified && !r.outcome.ok) {
    const Finding* primary = primary_finding(chain_findings, r.outcome.reason);
    r.label = reason_name(r.outcome.reason);
    r.message = primary != nullptr ? primary->message : r.outcome.message;
    return;
  }
  if (!r.verified) {
    r.label = "NO_CERTIFICATE";
    r.message = "the server completed the handshake without a certificate";
    return;
  }
  for (int code : {TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUIRED, TRUSTBUNDLE_FINDING_CLIENT_CERT_REJECTED,
                   TRUSTBUNDLE_FINDING_CLIENT_KEY_MISMATCH}) {
    for (const Finding& f : r.findings) {
      if (f.code != code) continue;
      if (code == TRUSTBUNDLE_FINDING_CLIENT_KEY_MISMATCH && !r.tls.cert_requested) continue;  // not needed here
      r.label = r.failure == TRUSTBUNDLE_FAILURE_CLIENT_CERT ? failure_name(r.failure) : finding_name(code);
      r.message = f.message;
      return;
    }
  }
  r.verdict = TRUSTBUNDLE_VERDICT_OK;
  r.label = "OK";
  std::string anchor = display_name(X509_get_subject_name(parse_der_certificate(r.outcome.chain_der.back(), "anchor").get()));
  r.message = "the chain verifies for " + quoted(r.servername) + " up to " + quoted(anchor);
}

// The report's names, budget and client credentials, before any I/O.
DoctorReport begin_report(const DoctorRequest& request, ClientSetup& client) {
  DoctorReport r;
  Target target = parse_target(request.target);
  r.target = request.target;
  r.host = target.host;
  r.port = target.port;
  r.endpoint = format_endpoint(target.host, target.port);
  set_names(r, request.servername);
  r.timeout_ms = request.timeout_ms > 0 ? request.timeout_ms : kDefaultProbeTimeoutMs;
  r.language = request.language;
  r.checked_at = static_cast<int64_t>(std::time(nullptr));

  if (!request.client_cert.empty() || !request.client_key.empty()) {
    if (request.client_cert.empty() || request.client_key.empty())
      throw invalid_argument("a client certificate needs its key, and a key its certificate");
    client = load_client_identity(request.client_cert, request.client_key,
                                  request.has_passphrase ? request.passphrase.c_str() : nullptr, r.checked_at);
    r.client_name = client.name;
  }
  r.client_given = client.identity != nullptr;
  return r;
}

// Judges what the probe captured (r.failure and r.tls are set), within
// what is left of the probe's timeout: it bounds the whole diagnosis.
void finish_report(DoctorReport& r, const TrustStore& store, const ClientSetup& client, const Deadline& deadline) {
  std::vector<Finding> chain_findings;
  for (size_t i = 0; i < r.tls.chain_der.size(); ++i)
    r.served.push_back(describe_served(r.tls.chain_der[i], "served certificate #" + std::to_string(i)));
  if (!r.served.empty()) {
    VerifyRequest verify;
    for (const ServedCert& c : r.served) verify.chain.push_back(parse_der_certificate(c.der, "served certificate"));
    verify.host = r.servername;
    // What the timeout leaves, at most a verification's own limit; 1 ms when spent (it stops at once).
    verify.time_limit_ms = std::clamp(deadline.remaining_ms(), 1, kDefaultVerifyTimeLimitMs);
    r.outcome = verify_chain(store, verify);
    r.verified = true;
    chain_findings = diagnose_chain(r.served, r.outcome, store, r.servername, r.checked_at, r.language);
    sort_by_severity(chain_findings);
  }

  HandshakeContext hs{r.host, r.endpoint, r.sni, r.client_given, r.client_name, r.language};
  r.findings = diagnose_handshake(r.failure, r.failure_message, r.tls, hs);
  r.findings.insert(r.findings.end(), client.findings.begin(), client.findings.end());
  r.findings.insert(r.findings.end(), chain_findings.begin(), chain_findings.end());
  if (r.tls.unreadable_cert >= 0) {
    r.findings.push_back({TRUSTBUNDLE_FINDING_VERIFY_FAILED, TRUSTBUNDLE_SEVERITY_ERROR, -1,
                          "the server sent a malformed certificate (#" + std::to_string(r.tls.unreadable_cert) +
                              " as sent): the chain above ends before it",
                          "", "replace the malformed certificate in the server's chain file"});
  }
  sort_by_severity(r.findings);
  judge(r, chain_findings);
  r.fix_client = collect_fixes(r.findings, &Finding::fix_client);
  r.fix_server = collect_fixes(r.findings, &Finding::fix_server);
}

void handshake_over(DoctorReport& r, SocketHandle socket, const ClientSetup& client, const Deadline& deadline) {
  r.tls = tls_handshake(socket, {r.sni, client.identity.get(), r.timeout_ms}, deadline);
  r.failure = r.tls.failure;
  r.failure_message = r.tls.message;
}

}  // namespace

DoctorReport run_doctor(const TrustStore& store, const DoctorRequest& request) {
  ClientSetup client;
  DoctorReport r = begin_report(request, client);
  Deadline deadline(r.timeout_ms);
  TcpConnection conn = connect_tcp(Target{r.host, r.port}, deadline);
  SocketCloser closer{conn.socket};
  r.address = conn.address;
  if (conn.socket != kNoSocket) {
    handshake_over(r, conn.socket, client, deadline);
  } else {
    r.failure = conn.failure;
    r.failure_message = conn.message;
  }
  finish_report(r, store, client, deadline);
  return r;
}

DoctorReport run_doctor_on_socket(const TrustStore& store, const DoctorRequest& request, SocketHandle socket) {
  ClientSetup client;
  DoctorReport r = begin_report(request, client);
  r.address = "(given socket)";
  Deadline deadline(r.timeout_ms);
  handshake_over(r, socket, client, deadline);
  finish_report(r, store, client, deadline);
  return r;
}

}  // namespace trustbundle
