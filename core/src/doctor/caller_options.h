// How the doctor's fixes name the caller's options. A fix must say what to
// change in the code or command the user actually runs: the C++ tool's
// flags, or the arguments of the package that asked (trustbundle_language).
#pragma once

#include <string>

namespace trustbundle {

struct CallerOptions {
  std::string (*extra_ca)(const std::string& path);    // trust path as an extra CA
  std::string (*servername)(const std::string& name);  // verify (and send SNI for) name
  const char* timeout;                                 // the probe's time limit
  const char* client_cert;                             // offer client.pem + client.key
};

// The names for a trustbundle_language value; unknown values get the CLI's.
const CallerOptions& caller_options(int language);

// "TRUSTBUNDLE_EXTRA_CA_CERTS=<path>, or <the caller's extra CA option>".
std::string extra_ca_fix(const CallerOptions& options, const std::string& path);

}  // namespace trustbundle
