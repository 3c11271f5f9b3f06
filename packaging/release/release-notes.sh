#!/usr/bin/env bash
# Prints a release's notes: the raw bundle's files with their SHA-256 (the
# assets beside the packages, for people who use no package manager) and
# this version's entry of the root-store history, if it has one.
# Usage: packaging/release/release-notes.sh   (from any directory)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(tr -d '[:space:]' < "$root/VERSION")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release-notes: VERSION holds '$version'" >&2; exit 2; }
echo "# trustbundle $version"
echo
echo "## The raw bundle"
echo
echo "Attached as release assets, generated from Mozilla's certdata.txt (see \`core/data/SOURCE.conf\`;"
echo "Mozilla's data is under the MPL-2.0: \`LICENSE\` and \`NOTICE\` in the repository and in every package):"
echo
echo "| file | SHA-256 |"
echo "| --- | --- |"
for f in cacert.pem manifest.json changes.atom; do
  echo "| \`$f\` | \`$(sha256sum "$root/core/data/$f" | cut -d' ' -f1)\` |"
done
echo
# This version's section of the data changelog, up to the next "## ".
awk -v head="## $version: " 'index($0, head) == 1 { on = 1; print "## Root store changes in this version" substr($0, length(head) - 1); next }
  on && /^## / { exit } on { print }' "$root/core/data/CHANGES.md"
echo
echo "The library's changes: \`CHANGES.md\`. Subscribe to root-store changes: \`core/data/changes.atom\`."
