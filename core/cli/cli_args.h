// Command-line parsing for the trustbundle tool: --name VALUE / --name=VALUE
// options, boolean flags, positionals. Bad usage throws UsageError.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace trustbundle_cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommandSpec {
  const char* name;
  const char* usage;                    // one line after "trustbundle "
  const char* help;                     // the rest of --help
  std::set<std::string> value_options;  // take a value: "--host"
  std::set<std::string> flags;          // booleans: "--json"
  size_t min_positional;
  size_t max_positional;
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;
  std::set<std::string> flags;
  bool help = false;

  bool flag(const std::string& name) const { return flags.count(name) != 0; }
  bool has(const std::string& name) const { return values.count(name) != 0; }
  std::string value(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
};

Args parse_args(const CommandSpec& spec, const std::vector<std::string>& argv);

}  // namespace trustbundle_cli
