#!/usr/bin/env bash
# Fills DIR with the cacert.pem of the certifi releases the byte-identity
# test compares against: DIR/<version>/cacert.pem. Point the tests at it with
#   TRUSTBUNDLE_CERTIFI_DIR=DIR ctest ...
# Usage: tests/core/fetch_certifi.sh DIR [VERSION...]
# Uses pip's configured package index (no host is named here).
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 DIR [VERSION...]" >&2
  exit 2
fi
dest=$1
shift
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(2026.4.22 2026.5.20)

pip=${PIP:-}
if [ -z "$pip" ]; then
  if command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
    pip="python3 -m pip"
  elif command -v pip3 >/dev/null 2>&1; then
    pip=pip3
  else
    echo "fetch_certifi: pip is not available (install python3-pip)" >&2
    exit 1
  fi
fi
command -v unzip >/dev/null 2>&1 || { echo "fetch_certifi: unzip is not installed" >&2; exit 1; }

mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for v in "${versions[@]}"; do
  if [ -s "$dest/$v/cacert.pem" ]; then
    echo "fetch_certifi: $dest/$v/cacert.pem already there"
    continue
  fi
  mkdir -p "$work/$v"
  $pip download --quiet --no-deps --only-binary=:all: --dest "$work/$v" "certifi==$v"
  wheel=$(ls "$work/$v"/certifi-*.whl | head -n 1)
  mkdir -p "$dest/$v"
  unzip -p "$wheel" certifi/cacert.pem > "$dest/$v/cacert.pem.tmp"
  [ -s "$dest/$v/cacert.pem.tmp" ] || { echo "fetch_certifi: no certifi/cacert.pem in $wheel" >&2; exit 1; }
  mv "$dest/$v/cacert.pem.tmp" "$dest/$v/cacert.pem"
  echo "fetch_certifi: $dest/$v/cacert.pem"
done
