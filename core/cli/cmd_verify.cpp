// Commands that judge certificates: verify (a chain) and check-pair (mTLS).
#include <ctime>
#include <iostream>

#include "base/cert_info.h"
#include "base/encoding.h"
#include "verify/cert_source.h"
#include "cli_commands.h"
#include "base/errors.h"
#include "base/json_writer.h"
#include "verify/key_pair.h"
#include "base/time_util.h"
#include "verify/trust_store.h"
#include "verify/verifier.h"
#include "verify/verify_hints.h"
#include "verify/verify_reasons.h"

namespace trustbundle_cli {
namespace {

using namespace trustbundle;

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// The subject's name as data (JSON); text output passes it through
// terminal_text, like every untrusted value it prints.
std::string chain_line(const std::string& der) {
  X509Ptr cert = parse_der_certificate(der, "verified chain");
  return display_name(X509_get_subject_name(cert.get()));
}

int run_verify(const Args& args) {
  StoreConfig config;
  if (args.has("--roots")) {
    config.mozilla = false;  // replacement, for tests: only these roots
    config.env = false;
    for (const std::string& path : args.all("--roots")) config.add_path(path);
  }
  for (const std::string& path : args.all("--extra-ca")) config.add_path(path);
  config.system = args.flag("--system");

  VerifyRequest request;
  std::vector<std::string> buffers;
  for (const std::string& path : args.positional) buffers.push_back(read_input(path));
  request.chain = decode_chain(buffers, args.positional[0]);
  if (args.has("--untrusted")) {
    std::string pool = read_input(args.value("--untrusted"));
    if (!blank(pool)) request.untrusted = decode_chain({pool}, args.value("--untrusted"), TRUSTBUNDLE_MAX_UNTRUSTED_CERTS);
  }
  if (args.has("--crls")) request.crls_pem = read_input(args.value("--crls"));
  if (blank(request.crls_pem)) request.crls_pem.clear();
  request.host = args.value("--host");
  if (!args.value("--at").empty()) {
    request.has_time = true;
    request.time = parse_time(args.value("--at"));
  }
  const std::string purpose = args.value("--purpose", "server");
  if (purpose != "server" && purpose != "client") throw UsageError("--purpose must be server or client");
  request.client_purpose = purpose == "client";
  const std::string depth = args.value("--max-depth");
  if (!depth.empty()) {
    if (depth.find_first_not_of("0123456789") != std::string::npos || depth.size() > 4)
      throw UsageError("--max-depth must be a whole number");
    request.max_depth = std::stoi(depth);
  }

  std::shared_ptr<const TrustStore> store = TrustStore::build(config);
  VerifyOutcome out = verify_chain(*store, request);
  if (args.flag("--json")) {
    std::cout << "{\"ok\": " << (out.ok ? "true" : "false") << ", \"reason\": " << json_string(reason_name(out.reason))
              << ", \"depth\": " << out.depth << ", \"openssl_code\": " << out.openssl_code
              << ", \"message\": " << json_string(out.message) << ", \"hint\": " << json_string(out.hint)
              << ", \"chain\": [";
    for (size_t i = 0; i < out.chain_der.size(); ++i)
      std::cout << (i ? ", " : "") << json_string(chain_line(out.chain_der[i]));
    std::cout << "]}\n";
  } else if (out.ok) {
    std::cout << "OK: verified (" << out.chain_der.size() << " certificates)\n";
    for (size_t i = 0; i < out.chain_der.size(); ++i)
      std::cout << "  " << i << ": " << terminal_text(chain_line(out.chain_der[i])) << "\n";
  } else {
    std::cout << "REJECTED: " << reason_name(out.reason) << " at depth " << out.depth << ": "
              << terminal_text(out.message) << "\n";
    if (!out.hint.empty()) std::cout << "hint: " << terminal_text(out.hint) << "\n";
  }
  if (!out.ok) std::cerr << "rejected: " << reason_name(out.reason) << ": " << terminal_text(out.message) << "\n";
  return out.ok ? 0 : 1;
}

int run_check_pair(const Args& args) {
  std::string passphrase;
  bool has_passphrase = args.has("--passphrase-file");
  if (has_passphrase) {
    passphrase = read_input(args.value("--passphrase-file"));
    while (!passphrase.empty() && (passphrase.back() == '\n' || passphrase.back() == '\r')) passphrase.pop_back();
  }
  int64_t at = args.has("--at") ? parse_time(args.value("--at")) : static_cast<int64_t>(std::time(nullptr));
  KeyPairCheck check = check_key_pair(read_input(args.positional[0]), read_input(args.positional[1]),
                                      has_passphrase ? passphrase.c_str() : nullptr, at);
  bool good = check.match && check.client_auth && check.valid;
  if (args.flag("--json")) {
    std::cout << "{\"ok\": " << (good ? "true" : "false") << ", \"match\": " << (check.match ? "true" : "false")
              << ", \"client_auth\": " << (check.client_auth ? "true" : "false")
              << ", \"valid\": " << (check.valid ? "true" : "false")
              << ", \"not_before\": " << json_string(format_rfc3339(check.not_before))
              << ", \"not_after\": " << json_string(format_rfc3339(check.not_after)) << "}\n";
  } else {
    std::cout << (check.match ? "match:       the key belongs to the certificate\n"
                              : "MISMATCH:    the key does not belong to the certificate\n")
              << (check.client_auth ? "client auth: allowed (extended key usage)\n"
                                    : "CLIENT AUTH: not allowed: the extended key usage lacks clientAuth\n")
              << (check.valid ? "validity:    valid at " : "VALIDITY:    not valid at ") << format_rfc3339(at) << " ("
              << format_rfc3339(check.not_before) << " .. " << format_rfc3339(check.not_after) << ")\n";
  }
  return good ? 0 : 1;
}

}  // namespace

const std::vector<Command>& verify_commands() {
  static const std::vector<Command> commands = {
      {{"verify",
        "verify CHAIN.pem [MORE.pem...] [--host H] [--at TIME] [--purpose server|client] [--extra-ca PATH]... "
        "[--roots PATH]... [--untrusted FILE] [--crls FILE] [--max-depth N] [--system] [--json]",
        "Verifies a chain (leaf first; PEM or DER) against the Mozilla roots, plus --extra-ca files or\n"
        "directories and TRUSTBUNDLE_EXTRA_CA_CERTS. --roots replaces the roots (for testing).\n"
        "--host is a DNS name or an IP literal; TIME is RFC 3339 UTC or Unix seconds (default: now).\n"
        "--untrusted adds intermediates in any order; --crls turns on revocation checks for the whole chain.\n"
        "Exit 0 accepted, 1 rejected (the reason and a hint are printed), 2 bad usage or input.",
        {"--host", "--at", "--purpose", "--extra-ca", "--roots", "--untrusted", "--crls", "--max-depth"},
        {"--json", "--system"},
        1,
        TRUSTBUNDLE_MAX_CHAIN_CERTS},
       run_verify},
      {{"check-pair", "check-pair CERT KEY [--passphrase-file F] [--at TIME] [--json]",
        "Checks an mTLS client certificate against its private key: does the key match, does the\n"
        "certificate allow TLS client auth, is it valid at TIME (default: now).\n"
        "Exit 0 when all three hold, 1 when one does not, 2 bad usage or input (a wrong passphrase too).",
        {"--passphrase-file", "--at"},
        {"--json"},
        2,
        2},
       run_check_pair},
  };
  return commands;
}

}  // namespace trustbundle_cli
