// Putting the embedded bundle on disk for tools that want a path:
// cacert.pem (certifi's where()) and a hashed CApath directory.
#pragma once

#include <string>
#include <vector>

#include "bundle/root_record.h"

namespace trustbundle {

// $TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else
// $HOME/.cache/trustbundle; then a subdirectory for this bundle version.
std::string default_cache_directory();

// Writes pem as dir/cacert.pem unless an identical file is there; returns
// the path. dir empty: default_cache_directory().
std::string materialize_pem(const std::string& dir, const std::string& pem);

// File name -> content for a hashed CA directory ("<hash>.<n>").
std::vector<std::pair<std::string, std::string>> capath_files(const std::vector<RootRecord>& roots);

// Builds the directory aside and renames it into place; reuses an identical
// one. Refuses to replace a directory holding anything but hash-named files.
// dir empty: default_cache_directory() + "/capath". Returns the path.
std::string export_capath(const std::string& dir, const std::vector<RootRecord>& roots);

}  // namespace trustbundle
