// Two bundles (certdata.txt or PEM) split at the first "TBFZ", or at the
// middle when there is none: both snapshots, the diff, its three formats.
// A side diffed against itself shows no change; the JSON is UTF-8.
#include <string>
#include <vector>

#include "bundle/bundle_diff.h"
#include "fuzz_check.h"
#include "harness.h"

namespace tbfuzz {

int diff(const uint8_t* data, size_t size) {
  using namespace trustbundle;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts = split_parts(bytes, 2);
  if (parts.size() == 1) parts = {bytes.substr(0, size / 2), bytes.substr(size / 2)};

  BundleSnapshot old_side, new_side;
  const bool old_ok = accepts([&] { old_side = load_bundle_snapshot(parts[0], "old"); },
                              {TRUSTBUNDLE_E_PARSE, TRUSTBUNDLE_E_LIMIT});
  const bool new_ok = accepts([&] { new_side = load_bundle_snapshot(parts[1], "new"); },
                              {TRUSTBUNDLE_E_PARSE, TRUSTBUNDLE_E_LIMIT});
  if (old_ok) TB_FUZZ_CHECK(diff_bundles(old_side, old_side).empty(), "a bundle differs from itself");
  if (!old_ok || !new_ok) return 0;

  std::vector<DiffEntry> entries = diff_bundles(old_side, new_side);
  TB_FUZZ_CHECK(entries.size() <= 2 * (old_side.roots.size() + new_side.roots.size()), "more changes than roots");
  for (size_t i = 1; i < entries.size(); ++i)
    TB_FUZZ_CHECK(entries[i - 1].change <= entries[i].change, "entries not ordered by kind");
  TB_FUZZ_CHECK(valid_utf8(format_diff_json(entries)), "diff JSON is not valid UTF-8");
  format_diff_text(entries);
  format_diff_markdown(entries);
  return 0;
}

}  // namespace tbfuzz
