// trustbundle: the command-line tool. Dispatches to a command; turns errors
// into a one-line reason on stderr and exit code 2.
#include <iostream>

#include "cli_commands.h"
#include "base/errors.h"
#include "trustbundle/trustbundle.h"

namespace {

using trustbundle_cli::Command;

std::vector<const Command*> all_commands() {
  std::vector<const Command*> out;
  for (const Command& c : trustbundle_cli::bundle_commands()) out.push_back(&c);
  for (const Command& c : trustbundle_cli::build_commands()) out.push_back(&c);
  for (const Command& c : trustbundle_cli::verify_commands()) out.push_back(&c);
  for (const Command& c : trustbundle_cli::doctor_commands()) out.push_back(&c);
  return out;
}

void print_overview(std::ostream& out) {
  out << "usage: trustbundle COMMAND [options]   (trustbundle COMMAND --help for details)\n\ncommands:\n";
  for (const Command* c : all_commands()) out << "  trustbundle " << c->spec.usage << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    print_overview(std::cerr);
    return 2;
  }
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    print_overview(std::cout);
    return 0;
  }
  if (words[0] == "--version") {
    std::cout << "trustbundle " << trustbundle_version() << "\n";
    return 0;
  }
  for (const Command* command : all_commands()) {
    if (words[0] != command->spec.name) continue;
    try {
      trustbundle_cli::Args args =
          trustbundle_cli::parse_args(command->spec, std::vector<std::string>(words.begin() + 1, words.end()));
      if (args.help) {
        std::cout << "usage: trustbundle " << command->spec.usage << "\n\n" << command->spec.help << "\n";
        return 0;
      }
      return command->run(args);
    } catch (const trustbundle_cli::UsageError& e) {
      std::cerr << "trustbundle " << command->spec.name << ": " << e.what() << " (see trustbundle "
                << command->spec.name << " --help)\n";
      return 2;
    } catch (const trustbundle::Error& e) {
      std::cerr << "trustbundle " << command->spec.name << ": " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      std::cerr << "trustbundle " << command->spec.name << ": internal error: " << e.what() << "\n";
      return 2;
    }
  }
  std::cerr << "trustbundle: unknown command '" << words[0] << "'\n";
  print_overview(std::cerr);
  return 2;
}
