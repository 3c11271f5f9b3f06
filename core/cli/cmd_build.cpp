// Commands over Mozilla data: build (the converter) and diff.
#include <iostream>

#include "bundle/bundle_diff.h"
#include "bundle/bundle_outputs.h"
#include "base/cert_info.h"
#include "bundle/certdata_curation.h"
#include "bundle/materialize.h"
#include "cli_commands.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "base/file_ops.h"
#include "bundle/pem_format.h"
#include "base/time_util.h"

namespace trustbundle_cli {
namespace {

using namespace trustbundle;

constexpr size_t kMaxInputBytes = 64u << 20;

void write_output(const std::string& path, const std::string& content) {
  if (path == "-")
    std::cout << content;
  else
    write_file_atomic(path, content);
}

int run_build(const Args& args) {
  if (!args.has("--as-of"))
    throw UsageError("--as-of is required: curation depends on the time, and the wall clock is never used implicitly");
  const std::string mode = args.value("--mode", "certifi");
  if (mode != "certifi" && mode != "curl") throw UsageError("--mode must be certifi or curl, not '" + mode + "'");
  if (args.has("--capath") && args.value("--capath").empty()) throw UsageError("--capath needs a directory");
  const std::string source = args.positional[0];
  const std::string text = read_input(source);

  BundleFacts facts;
  facts.as_of = parse_time(args.value("--as-of"));
  facts.mode = mode;
  facts.nss_version = args.value("--nss-version", "unknown");
  facts.source_sha256 = hex_lower(digest(EVP_sha256(), text));
  std::vector<RootRecord> roots =
      curate(load_certdata(text, source), mode == "curl" ? CurationMode::Curl : CurationMode::Certifi, facts.as_of);
  if (roots.empty()) throw parse_error(source, "no root passes the curation rule; refusing to write an empty bundle");

  // Everything is computed before anything is written.
  const std::string pem = mode == "curl" ? format_curl_pem(roots, facts.nss_version, facts.as_of)
                                         : format_certifi_pem(roots);
  const std::string manifest = args.has("--manifest") ? format_manifest(roots, facts) : "";
  const std::string embed = args.has("--embed") ? format_embedded_include(roots, facts) : "";
  write_output(args.value("-o", "-"), pem);
  if (args.has("--manifest")) write_output(args.value("--manifest"), manifest);
  if (args.has("--embed")) write_output(args.value("--embed"), embed);
  if (args.has("--capath")) export_capath(args.value("--capath"), roots);
  std::cerr << "trustbundle: " << roots.size() << " roots (" << mode << " rule, as of " << format_rfc3339(facts.as_of)
            << ")\n";
  return 0;
}

int run_diff(const Args& args) {
  const std::string& old_path = args.positional[0];
  const std::string& new_path = args.positional[1];
  std::vector<DiffEntry> entries = diff_bundles(load_bundle_snapshot(read_input(old_path), old_path),
                                                load_bundle_snapshot(read_input(new_path), new_path));
  if (args.flag("--json"))
    std::cout << format_diff_json(entries);
  else if (args.flag("--markdown"))
    std::cout << format_diff_markdown(entries);
  else
    std::cout << format_diff_text(entries);
  return 0;
}

}  // namespace

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return text;
  }
  return read_file(path, kMaxInputBytes);
}

const std::vector<Command>& build_commands() {
  static const std::vector<Command> commands = {
      {{"build",
        "build CERTDATA --as-of TIME [--mode certifi|curl] [-o PEM] [--manifest JSON] [--nss-version V] [--embed INC]"
        " [--capath DIR]",
        "Converts Mozilla's certdata.txt into a PEM bundle. TIME is RFC 3339 UTC or Unix seconds.\n"
        "certifi mode (default): server-trusted roots not past distrust-after + 398 days; certifi's layout.\n"
        "curl mode: server-trusted roots not expired at TIME; label + underline, 76 columns.\n"
        "-o - (the default) writes to stdout; files are written atomically, and only if the input is valid.\n"
        "--manifest writes the JSON metadata; --embed writes the C++ include the library embeds;\n"
        "--capath writes the hashed CA directory of these roots (built aside, renamed into place).",
        {"--as-of", "--mode", "-o", "--manifest", "--nss-version", "--embed", "--capath"}, {}, 1, 1},
       run_build},
      {{"diff", "diff OLD NEW [--json | --markdown]",
        "Compares two bundles, each a certdata.txt or a PEM bundle: roots added, removed,\n"
        "trust changed and distrust-after changed, with labels and SHA-256 fingerprints.",
        {}, {"--json", "--markdown"}, 2, 2},
       run_diff},
  };
  return commands;
}

}  // namespace trustbundle_cli
