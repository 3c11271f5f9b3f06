// `trustbundle doctor`: diagnose a live TLS endpoint. The work and both
// renderings are the core's (doctor.h), so every binding prints the same.
#include <cmath>
#include <iostream>

#include "cli_commands.h"
#include "doctor/doctor.h"
#include "doctor/doctor_render.h"
#include "base/errors.h"
#include "verify/trust_store.h"

namespace trustbundle_cli {
namespace {

using namespace trustbundle;

// "2", "0.5": seconds, more than 0 and at most 10 minutes.
int timeout_ms(const std::string& text) {
  size_t used = 0;
  double seconds = 0;
  try {
    seconds = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || !std::isfinite(seconds) || seconds <= 0 || seconds > 600)
    throw UsageError("--timeout must be a number of seconds, more than 0 and at most 600");
  return static_cast<int>(std::ceil(seconds * 1000));
}

int run_doctor_command(const Args& args) {
  StoreConfig config;
  for (const std::string& path : args.all("--extra-ca")) config.add_path(path);

  DoctorRequest request;
  request.target = args.positional[0];
  request.servername = args.value("--servername");
  if (args.has("--timeout")) request.timeout_ms = timeout_ms(args.value("--timeout"));
  if (args.has("--key") && !args.has("--cert")) throw UsageError("--key needs --cert");
  if (args.has("--cert")) {
    request.client_cert = read_input(args.value("--cert"));
    // One PEM file may hold both, as curl's --cert accepts.
    request.client_key = read_input(args.value("--key", args.value("--cert")));
  }
  if (args.has("--passphrase-file")) {
    request.has_passphrase = true;
    request.passphrase = read_input(args.value("--passphrase-file"));
    while (!request.passphrase.empty() && (request.passphrase.back() == '\n' || request.passphrase.back() == '\r'))
      request.passphrase.pop_back();
  }

  std::shared_ptr<const TrustStore> store = TrustStore::build(config);
  DoctorReport report = run_doctor(*store, request);
  std::cout << (args.flag("--json") ? render_doctor_json(report) : render_doctor_text(report));
  return report.verdict;  // 0 verifies, 1 does not, 2 unreachable or not TLS
}

}  // namespace

const std::vector<Command>& doctor_commands() {
  static const std::vector<Command> commands = {
      {{"doctor",
        "doctor HOST[:PORT] [--servername NAME] [--extra-ca FILE]... [--cert FILE --key FILE] "
        "[--passphrase-file F] [--timeout S] [--json]",
        "Connects to HOST (port 443 by default), handshakes with SNI, and says whether the chain the server\n"
        "sends verifies for NAME (default: HOST) against the Mozilla roots plus --extra-ca files or directories\n"
        "and TRUSTBUNDLE_EXTRA_CA_CERTS. Then every problem found, with the fix on the client side and on the\n"
        "server side: missing or unknown issuers, order, expiry, names, client certificates (mTLS).\n"
        "--cert/--key offer a client certificate (--key defaults to the --cert file). --timeout bounds the\n"
        "whole probe (default 10 s). Nothing is sent over the connection once it is established.\n"
        "Exit 0 verifies, 1 does not (or the server refused the client certificate), 2 unreachable or not TLS\n"
        "(the cause is named: DNS, CONNECTION_REFUSED, TIMEOUT, PLAIN_HTTP, HANDSHAKE_ALERT ...) or bad usage.",
        {"--servername", "--extra-ca", "--cert", "--key", "--passphrase-file", "--timeout"},
        {"--json"},
        1,
        1},
       run_doctor_command},
  };
  return commands;
}

}  // namespace trustbundle_cli
