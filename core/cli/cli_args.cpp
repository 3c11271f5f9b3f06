#include "cli_args.h"

namespace trustbundle_cli {

std::string Args::value(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>() : it->second;
}

Args parse_args(const CommandSpec& spec, const std::vector<std::string>& argv) {
  Args args;
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (options_done || word.size() < 2 || word[0] != '-' || word == "-") {
      args.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    if (word == "--help" || word == "-h") {
      args.help = true;
      continue;
    }
    std::string name = word, value;
    size_t eq = word.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      name = word.substr(0, eq);
      value = word.substr(eq + 1);
    }
    if (spec.flags.count(name)) {
      if (inline_value) throw UsageError(name + " takes no value");
      args.flags.insert(name);
    } else if (spec.value_options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
        value = argv[++i];
      }
      args.values[name].push_back(value);
    } else {
      throw UsageError("unknown option " + name + " for '" + spec.name + "'");
    }
  }
  if (args.help) return args;
  if (args.positional.size() < spec.min_positional) throw UsageError(std::string("missing argument: ") + spec.usage);
  if (args.positional.size() > spec.max_positional)
    throw UsageError("unexpected argument '" + args.positional[spec.max_positional] + "'");
  return args;
}

}  // namespace trustbundle_cli
