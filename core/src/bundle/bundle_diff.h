// What changed between two bundles, each a certdata.txt or a PEM bundle.
#pragma once

#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

enum class Change { Added = 1, Removed = 2, TrustChanged = 3, DistrustChanged = 4 };

const char* change_name(Change change);  // "added", "removed", "trust_changed", "distrust_changed"

struct DiffEntry {
  Change change;
  std::string label;
  std::string sha256_hex;
  std::string detail;
};

// A side of a diff. PEM carries no trust, so its roots count as server-trusted.
struct BundleSnapshot {
  bool from_certdata = false;
  std::vector<RootRecord> roots;
};

// Detects the format from the content. Throws Error(PARSE) naming source.
BundleSnapshot load_bundle_snapshot(const std::string& text, const std::string& source);

std::vector<DiffEntry> diff_bundles(const BundleSnapshot& old_side, const BundleSnapshot& new_side);

std::string format_diff_text(const std::vector<DiffEntry>& entries);
std::string format_diff_json(const std::vector<DiffEntry>& entries);
std::string format_diff_markdown(const std::vector<DiffEntry>& entries);

}  // namespace trustbundle
