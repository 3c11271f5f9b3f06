// The trustbundle tool behind the C ABI: trustbundle_cli_main() dispatches to
// a command and turns errors into a one-line reason on stderr and exit code 2.
// Every package's command-line tool calls it, so all of them print the same.
#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "base/errors.h"
#include "cli_commands.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle_cli {
namespace {

std::vector<const Command*> all_commands() {
  std::vector<const Command*> out;
  for (const Command& c : bundle_commands()) out.push_back(&c);
  for (const Command& c : build_commands()) out.push_back(&c);
  for (const Command& c : verify_commands()) out.push_back(&c);
  for (const Command& c : doctor_commands()) out.push_back(&c);
  return out;
}

const Command& command_named(const char* name) {
  for (const Command* c : all_commands())
    if (std::string(name) == c->spec.name) return *c;
  throw std::logic_error(std::string("no command ") + name);
}

void print_overview(std::ostream& out) {
  out << "usage: trustbundle COMMAND [options]   (trustbundle COMMAND --help for details)\n"
      << "       trustbundle [-c | --contents]   (as python -m certifi: the path of cacert.pem, or its text)\n"
      << "\ncommands:\n";
  for (const Command* c : all_commands()) out << "  trustbundle " << c->spec.usage << "\n";
}

int run_command(const Command& command, const std::vector<std::string>& words) {
  try {
    Args args = parse_args(command.spec, words);
    if (args.help) {
      std::cout << "usage: trustbundle " << command.spec.usage << "\n\n" << command.spec.help << "\n";
      return 0;
    }
    return command.run(args);
  } catch (const UsageError& e) {
    std::cerr << "trustbundle " << command.spec.name << ": " << e.what() << " (see trustbundle " << command.spec.name
              << " --help)\n";
    return 2;
  } catch (const trustbundle::Error& e) {
    std::cerr << "trustbundle " << command.spec.name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "trustbundle " << command.spec.name << ": internal error: " << e.what() << "\n";
    return 2;
  }
}

int dispatch(const std::vector<std::string>& words) {
  // certifi's command line: no arguments is `where`, -c/--contents is `pem`.
  if (words.empty()) return run_command(command_named("where"), {});
  if (words[0] == "-c" || words[0] == "--contents") {
    if (words.size() > 1) {
      std::cerr << "trustbundle: " << words[0] << " takes no arguments (see trustbundle --help)\n";
      return 2;
    }
    return run_command(command_named("pem"), {});
  }
  if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
    print_overview(std::cout);
    return 0;
  }
  if (words[0] == "--version") {
    std::cout << "trustbundle " << trustbundle_version() << "\n";
    return 0;
  }
  for (const Command* command : all_commands())
    if (words[0] == command->spec.name) return run_command(*command, {words.begin() + 1, words.end()});
  std::cerr << "trustbundle: unknown command '" << words[0] << "'\n";
  print_overview(std::cerr);
  return 2;
}

// The host language writes to the same descriptors: leave nothing buffered.
void flush_all() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace
}  // namespace trustbundle_cli

extern "C" int trustbundle_cli_main(int argc, const char* const* argv) {
  int code = 2;
  try {
    // A failed write in an earlier call (a closed pipe) must not mute this one.
    std::cout.clear();
    std::cerr.clear();
    std::vector<std::string> words;
    if (argc > 0 && argv == nullptr) throw trustbundle::invalid_argument("argv is NULL");
    for (int i = 1; i < argc; ++i) {
      if (argv[i] == nullptr) throw trustbundle::invalid_argument("argv[" + std::to_string(i) + "] is NULL");
      words.emplace_back(argv[i]);
    }
    code = trustbundle_cli::dispatch(words);
  } catch (const trustbundle::Error& e) {
    std::fprintf(stderr, "trustbundle: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fputs("trustbundle: out of memory\n", stderr);
  } catch (...) {
    std::fputs("trustbundle: internal error\n", stderr);
  }
  try {
    trustbundle_cli::flush_all();
  } catch (...) {
  }
  return code;
}
