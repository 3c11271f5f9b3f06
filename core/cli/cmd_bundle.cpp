// Commands over the embedded bundle: where, pem, info, list, capath.
#include <openssl/evp.h>

#include <cstdio>
#include <ctime>
#include <iostream>

#include "base/cert_info.h"
#include "cli_commands.h"
#include "bundle/embedded_bundle.h"
#include "base/encoding.h"
#include "base/json_writer.h"
#include "bundle/materialize.h"
#include "doctor/bundle_age.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle_cli {
namespace {

using namespace trustbundle;

int run_where(const Args& args) {
  std::cout << materialize_pem(args.value("--dir"), embedded_pem()) << "\n";
  return 0;
}

int run_pem(const Args&) {
  std::cout << embedded_pem();
  return 0;
}

int run_info(const Args& args) {
  const std::string pem_sha = hex_lower(digest(EVP_sha256(), embedded_pem()));
  // The age is how long ago the roots were curated: --at makes it reproducible.
  const int64_t now = args.has("--at") ? parse_time(args.value("--at")) : static_cast<int64_t>(std::time(nullptr));
  const int64_t age = age_in_days(embedded_as_of(), now);
  if (args.flag("--json")) {
    std::cout << "{\"library_version\": " << json_string(TRUSTBUNDLE_VERSION_STRING)
              << ", \"bundle_version\": " << json_string(embedded_bundle_version())
              << ", \"nss_version\": " << json_string(embedded_nss_version())
              << ", \"as_of\": " << json_string(format_rfc3339(embedded_as_of()))
              << ", \"age_days\": " << age << ", \"root_count\": " << embedded_roots().size()
              << ", \"pem_sha256\": " << json_string(pem_sha) << "}\n";
    return 0;
  }
  std::cout << "trustbundle " << TRUSTBUNDLE_VERSION_STRING << "\n"
            << "bundle:      Mozilla NSS builtins " << embedded_nss_version() << ", curated as of "
            << format_rfc3339(embedded_as_of()) << "\n"
            << "age:         " << age << (age == 1 ? " day" : " days")
            << (age > kStaleBundleDays ? " (stale: upgrade trustbundle for the newest Mozilla roots)" : "") << "\n"
            << "roots:       " << embedded_roots().size() << "\n"
            << "pem sha256:  " << pem_sha << "\n";
  return 0;
}

int run_list(const Args& args) {
  const auto& roots = embedded_roots();
  if (args.flag("--json")) {
    std::cout << "[";
    for (size_t i = 0; i < roots.size(); ++i) {
      const RootRecord& r = roots[i];
      std::cout << (i ? ",\n " : "\n ") << "{\"label\": " << json_string(r.label)
                << ", \"sha256\": " << json_string(r.info.sha256_hex)
                << ", \"not_after\": " << json_string(format_rfc3339(r.info.not_after))
                << ", \"server_distrust_after\": "
                << json_time_or_null(r.has_server_distrust_after, r.server_distrust_after) << "}";
    }
    std::cout << (roots.empty() ? "]\n" : "\n]\n");
    return 0;
  }
  for (const RootRecord& r : roots) {
    std::cout << r.info.sha256_hex << "  " << format_date(r.info.not_after) << "  "
              << (r.has_server_distrust_after ? "distrust-after " + format_date(r.server_distrust_after) + "  " : "")
              << terminal_text(r.label) << "\n";
  }
  return 0;
}

int run_capath(const Args& args) {
  std::cout << export_capath(args.positional.empty() ? "" : args.positional[0], embedded_roots()) << "\n";
  return 0;
}

}  // namespace

const std::vector<Command>& bundle_commands() {
  static const std::vector<Command> commands = {
      {{"where", "where [--dir DIR]",
        "Writes the embedded bundle as cacert.pem into the user cache directory (or DIR),\n"
        "atomically and only if it is missing or different, and prints its path.\n"
        "The cache is $TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else ~/.cache/trustbundle.",
        {"--dir"}, {}, 0, 0},
       run_where},
      {{"pem", "pem", "Prints the embedded bundle in certifi's cacert.pem layout.", {}, {}, 0, 0}, run_pem},
      {{"info", "info [--json] [--at TIME]",
        "Prints the library version, the bundle version (NSS + as_of), its age in days and the root count.\n"
        "The age is counted to TIME (RFC 3339 UTC or Unix seconds), by default now; past 180 days it is stale.",
        {"--at"}, {"--json"}, 0, 0},
       run_info},
      {{"list", "list [--json]", "Lists every root: SHA-256, notAfter, server distrust-after, label.", {},
        {"--json"}, 0, 0},
       run_list},
      {{"capath", "capath [DIR]",
        "Writes a hashed CA directory (<subject hash>.<n>, as `openssl rehash` names files)\n"
        "for OpenSSL's -CApath / load_verify_locations(capath=), and prints its path.",
        {}, {}, 0, 1},
       run_capath},
  };
  return commands;
}

}  // namespace trustbundle_cli
