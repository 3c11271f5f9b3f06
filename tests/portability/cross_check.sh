#!/usr/bin/env bash
# Issue 17, item 6: the doctor's Winsock layer, checked on this Linux
# machine with MinGW-w64 (there is no Windows here).
#
#   cross_check.sh compile REPO OUT   compile core/src/doctor for Windows, -Werror
#   cross_check.sh wine REPO OUT      link tests/portability/socket_layer_smoke.cpp
#                                     with -lws2_32 and run it under wine
#
# Exits 77 (CTest's SKIP_RETURN_CODE) and says why when a tool is missing.
# TB_MINGW_CXX and TB_WINE override the tools found.
set -euo pipefail
mode=$1 repo=$2 out=$3
cxx=${TB_MINGW_CXX:-x86_64-w64-mingw32-g++}
skip() { echo "SKIPPED: $*"; exit 77; }
command -v "$cxx" >/dev/null ||
  skip "$cxx not found (Debian package g++-mingw-w64-x86-64-posix; ci/setup installs it)"
doctor=$repo/core/src/doctor
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
       -I"$repo/core/src" -I"$repo/core/include" -I"$repo/core/data")
mkdir -p "$out"

compile() {
  # The layer and the doctor files that need no OpenSSL: real objects.
  for f in platform_socket_winsock platform_socket_posix net_connect finding caller_options; do
    "$cxx" "${flags[@]}" -c "$doctor/$f.cpp" -o "$out/$f.o"
    echo "compiled doctor/$f.cpp for Windows"
  done
  # Each file guards itself: the POSIX layer is empty on Windows.
  nm=${cxx%g++}nm
  if command -v "$nm" >/dev/null && "$nm" -C "$out/platform_socket_posix.o" | grep -q trustbundle; then
    echo "FAIL: platform_socket_posix.cpp defines symbols in a Windows build"; exit 1
  fi
  # There is no Windows OpenSSL here: check the rest for syntax against
  # this machine's OpenSSL headers (Linux's configuration.h, so only the
  # doctor's own code is judged, not OpenSSL's Windows build).
  conf=$(ls /usr/include/*/openssl/configuration.h 2>/dev/null | head -n 1 || true)
  if [ ! -f /usr/include/openssl/ssl.h ] || [ -z "$conf" ]; then
    echo "note: no OpenSSL headers (libssl-dev): the doctor files that need OpenSSL were not checked"
    return
  fi
  shim=$out/openssl-include/openssl
  rm -rf "$out/openssl-include" && mkdir -p "$shim"
  ln -s /usr/include/openssl/* "$shim/" && ln -sf "$(dirname "$conf")"/* "$shim/"
  for src in "$doctor"/*.cpp "$repo/bindings/go/internal/native/core_doctor.cpp"; do
    "$cxx" "${flags[@]}" -idirafter "$out/openssl-include" -fsyntax-only -x c++ "$src"
    echo "syntax-checked ${src#"$repo"/} for Windows"
  done
}

run_under_wine() {
  wine=${TB_WINE:-$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)}
  [ -x "$wine" ] || skip "wine not installed (ci/setup installs Debian's wine64, about 100 MB)"
  "$cxx" "${flags[@]}" -I"$repo/core/src" "$repo/tests/portability/socket_layer_smoke.cpp" \
    "$doctor/platform_socket_winsock.cpp" -static -lws2_32 -o "$out/socket_layer_smoke.exe"
  echo "linked socket_layer_smoke.exe with -lws2_32; running it under $wine"
  # A prefix of its own, made afresh (about 10 s) and removed after: one
  # takes some 700 MB, too much to keep in every build tree.
  export WINEPREFIX=$out/wineprefix WINEDEBUG=-all
  wineserver=$(command -v wineserver || echo "$(dirname "$wine")/wineserver64")
  trap '"$wineserver" -k 2>/dev/null || true; rm -rf "$WINEPREFIX"' EXIT
  rm -rf "$WINEPREFIX"
  timeout 240 "$wine" "$out/socket_layer_smoke.exe"
}

case $mode in
  compile) compile ;;
  wine) run_under_wine ;;
  *) echo "usage: cross_check.sh compile|wine REPO OUT" >&2; exit 2 ;;
esac
