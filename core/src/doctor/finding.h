// One thing a diagnosis found, with what to change on each side. The codes
// and severities are the C ABI's (trustbundle_finding_code, _severity).
#pragma once

#include <string>
#include <vector>

#include "trustbundle/trustbundle.h"

namespace trustbundle {

struct Finding {
  int code = 0;        // trustbundle_finding_code
  int severity = TRUSTBUNDLE_SEVERITY_INFO;
  int index = -1;      // the served certificate concerned, -1 none
  std::string message;
  std::string fix_client;  // "" when nothing to do on that side
  std::string fix_server;
};

const char* finding_name(int code);    // "MISSING_INTERMEDIATE"; "UNKNOWN" for others
const char* severity_name(int severity);  // "info", "warning", "error"
const char* failure_name(int failure);    // "CONNECTION_REFUSED"; "UNKNOWN" for others

bool has_finding(const std::vector<Finding>& findings, int code);

// "'name'": how sentences quote a certificate or host name.
std::string quoted(const std::string& name);

}  // namespace trustbundle
