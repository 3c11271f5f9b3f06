// The trustbundle tool's commands. Each returns the process exit code:
// 0 success, 1 a negative answer (verification rejected), 2 bad usage or input.
#pragma once

#include <string>
#include <vector>

#include "cli_args.h"

namespace trustbundle_cli {

struct Command {
  CommandSpec spec;
  int (*run)(const Args& args);
};

const std::vector<Command>& bundle_commands();  // where, pem, info, list, capath
const std::vector<Command>& build_commands();   // build, diff
const std::vector<Command>& verify_commands();  // verify, check-pair
const std::vector<Command>& doctor_commands();  // doctor

// Reads a file named on the command line (or "-" for stdin); Error names it.
std::string read_input(const std::string& path);

}  // namespace trustbundle_cli
