#include "bundle/bundle_diff.h"

#include <map>

#include "bundle/certdata_curation.h"
#include "bundle/certdata_parser.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "base/json_writer.h"
#include "bundle/pem_format.h"
#include "base/time_util.h"

namespace trustbundle {

const char* change_name(Change change) {
  switch (change) {
    case Change::Added: return "added";
    case Change::Removed: return "removed";
    case Change::TrustChanged: return "trust_changed";
    case Change::DistrustChanged: return "distrust_changed";
  }
  return "unknown";
}

namespace {

const Change kOrder[] = {Change::Added, Change::Removed, Change::TrustChanged, Change::DistrustChanged};

std::string distrust_text(const RootRecord& r) {
  return r.has_server_distrust_after ? format_rfc3339(r.server_distrust_after) : "none";
}

std::map<std::string, const RootRecord*> index_by_sha256(const BundleSnapshot& side) {
  std::map<std::string, const RootRecord*> out;
  for (const RootRecord& r : side.roots) out.emplace(r.info.sha256_hex, &r);
  return out;
}

bool server_trusted(const RootRecord* r) { return r != nullptr && r->server_trust == Trust::Trusted; }

const RootRecord* lookup(const std::map<std::string, const RootRecord*>& index, const std::string& sha) {
  auto it = index.find(sha);
  return it == index.end() ? nullptr : it->second;
}

}  // namespace

BundleSnapshot load_bundle_snapshot(const std::string& text, const std::string& source) {
  if (text.size() > TRUSTBUNDLE_MAX_INPUT_BYTES)  // the header's limit holds for diff inputs too
    throw Error(TRUSTBUNDLE_E_LIMIT, source + ": " + std::to_string(text.size()) + " bytes is over the limit of " +
                                         std::to_string(TRUSTBUNDLE_MAX_INPUT_BYTES));
  BundleSnapshot side;
  if (looks_like_certdata(text)) {
    side.from_certdata = true;
    side.roots = load_certdata(text, source);
    return side;
  }
  std::vector<PemCertificate> pems = read_pem_certificates(text, source);
  if (pems.empty()) throw parse_error(source, "neither a certdata.txt file nor a PEM bundle (no certificate found)");
  for (const PemCertificate& pem : pems) {
    RootRecord r;
    r.der = pem.der;
    r.info = describe_certificate(pem.der, source + ":" + std::to_string(pem.line));
    r.label = pem.label.empty() ? r.info.subject : pem.label;
    r.server_trust = Trust::Trusted;
    r.line = pem.line;
    side.roots.push_back(std::move(r));
  }
  return side;
}

std::vector<DiffEntry> diff_bundles(const BundleSnapshot& old_side, const BundleSnapshot& new_side) {
  auto old_index = index_by_sha256(old_side);
  auto new_index = index_by_sha256(new_side);
  const bool trust_known = old_side.from_certdata && new_side.from_certdata;
  std::vector<DiffEntry> found;

  for (const RootRecord& r : new_side.roots) {
    const RootRecord* before = lookup(old_index, r.info.sha256_hex);
    if (server_trusted(&r) && !server_trusted(before)) {
      std::string detail = before == nullptr ? "new root" : std::string("server trust turned on (was ") +
                                                                trust_name(before->server_trust) + ")";
      found.push_back({Change::Added, r.label, r.info.sha256_hex, detail});
    }
  }
  for (const RootRecord& r : old_side.roots) {
    const RootRecord* after = lookup(new_index, r.info.sha256_hex);
    if (server_trusted(&r) && !server_trusted(after)) {
      std::string detail = after == nullptr ? "removed from the data" : std::string("server trust turned off (now ") +
                                                                          trust_name(after->server_trust) + ")";
      if (trust_known && after != nullptr && after->email_trust != r.email_trust)
        detail += std::string("; email trust ") + trust_name(r.email_trust) + " -> " + trust_name(after->email_trust);
      found.push_back({Change::Removed, r.label, r.info.sha256_hex, detail});
    }
  }
  if (trust_known) {
    for (const RootRecord& r : new_side.roots) {
      const RootRecord* before = lookup(old_index, r.info.sha256_hex);
      if (!server_trusted(&r) || !server_trusted(before)) continue;
      if (before->email_trust != r.email_trust)
        found.push_back({Change::TrustChanged, r.label, r.info.sha256_hex,
                         std::string("email trust ") + trust_name(before->email_trust) + " -> " +
                             trust_name(r.email_trust)});
      if (before->has_server_distrust_after != r.has_server_distrust_after ||
          before->server_distrust_after != r.server_distrust_after)
        found.push_back({Change::DistrustChanged, r.label, r.info.sha256_hex,
                         "server distrust-after " + distrust_text(*before) + " -> " + distrust_text(r)});
    }
  }

  std::vector<DiffEntry> ordered;  // stable: by kind, then file order
  for (Change kind : kOrder)
    for (const DiffEntry& e : found)
      if (e.change == kind) ordered.push_back(e);
  return ordered;
}

std::string format_diff_text(const std::vector<DiffEntry>& entries) {
  static const char* const kTitles[] = {"", "Added", "Removed", "Trust changed", "Distrust-after changed"};
  static const char kMarks[] = {' ', '+', '-', '~', '~'};
  std::string out;
  for (Change kind : kOrder) {
    size_t count = 0;
    for (const DiffEntry& e : entries) count += e.change == kind;
    out += std::string(kTitles[static_cast<int>(kind)]) + ": " + std::to_string(count) + "\n";
    for (const DiffEntry& e : entries)
      if (e.change == kind)
        out += std::string("  ") + kMarks[static_cast<int>(kind)] + " " + terminal_text(e.label) + "  sha256:" +
               e.sha256_hex.substr(0, 16) + "  (" + e.detail + ")\n";
  }
  return out;
}

std::string format_diff_json(const std::vector<DiffEntry>& entries) {
  std::string out = "{\n";
  for (Change kind : kOrder) {
    size_t count = 0;
    for (const DiffEntry& e : entries) count += e.change == kind;
    out += "  \"" + std::string(change_name(kind)) + "\": " + std::to_string(count) + ",\n";
  }
  out += "  \"changes\": [";
  for (size_t i = 0; i < entries.size(); ++i) {
    const DiffEntry& e = entries[i];
    out += i ? ",\n" : "\n";
    out += "    {\"change\": " + json_string(change_name(e.change)) + ", \"label\": " + json_string(e.label) +
           ", \"sha256\": " + json_string(e.sha256_hex) + ", \"detail\": " + json_string(e.detail) + "}";
  }
  out += entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_diff_markdown(const std::vector<DiffEntry>& entries) {
  static const char* const kTitles[] = {"", "Added", "Removed", "Trust changed", "Distrust-after changed"};
  std::string out;
  for (Change kind : kOrder) {
    size_t count = 0;
    for (const DiffEntry& e : entries) count += e.change == kind;
    out += "### " + std::string(kTitles[static_cast<int>(kind)]) + " (" + std::to_string(count) + ")\n\n";
    if (count == 0) {
      out += "None.\n\n";
      continue;
    }
    out += "| label | SHA-256 | detail |\n| --- | --- | --- |\n";
    for (const DiffEntry& e : entries)
      if (e.change == kind) out += "| " + terminal_text(e.label) + " | `" + e.sha256_hex + "` | " + e.detail + " |\n";
    out += "\n";
  }
  return out;
}

}  // namespace trustbundle
