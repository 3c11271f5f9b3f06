#!/usr/bin/env bash
# packaging/release/openssl-static.sh PREFIX
#
# Builds OpenSSL 3 as static libraries into PREFIX, for the release
# workflow's wheels (.github/workflows/release.yml): the extension links them
# in with hidden symbols, so a wheel needs no system OpenSSL and never shares
# one with the interpreter's ssl module. UNTESTED here: this machine cannot
# download OpenSSL's source (the workflow's runners can).
set -euo pipefail
prefix=${1:?usage: openssl-static.sh PREFIX}
version=3.0.15
# OpenSSL's published SHA-256 of that tarball, written down from memory of
# its release notes and NOT verified here: check it on the first run (a
# mismatch stops the build, it never builds an unchecked source).
sha256=23c666d0edf20f14249b3d8f0368acaee9ab585b09e1de82107c66e1f3ec9533

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
curl -fsSLo openssl.tar.gz "https://github.com/openssl/openssl/releases/download/openssl-$version/openssl-$version.tar.gz"
echo "$sha256  openssl.tar.gz" | sha256sum -c -
tar -xzf openssl.tar.gz
cd "openssl-$version"
# no-shared: static only; -fPIC: linked into a shared extension; no tests,
# docs or engines to keep the build short.
./Configure --prefix="$prefix" --libdir=lib no-shared no-tests no-docs no-engine -fPIC
make -j"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
make install_sw
