#include "materialize.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "embedded_bundle.h"
#include "errors.h"
#include "file_ops.h"
#include "pem_format.h"
#include "time_util.h"

namespace trustbundle {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string strip_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool is_hash_name(const std::string& name) {
  if (name.size() < 10 || name[8] != '.') return false;
  for (size_t i = 0; i < 8; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  for (size_t i = 9; i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

bool directory_matches(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> names;
  try {
    names = list_directory(dir);
  } catch (const Error&) {
    return false;
  }
  if (names.size() != files.size()) return false;
  for (const auto& file : files)
    if (!file_has_content(dir + "/" + file.first, file.second)) return false;
  return true;
}

}  // namespace

std::string default_cache_directory() {
  std::string base = env("TRUSTBUNDLE_CACHE_DIR");
  if (base.empty()) {
    std::string xdg = env("XDG_CACHE_HOME");
    if (!xdg.empty() && xdg[0] == '/') {
      base = xdg + "/trustbundle";
    } else {
      std::string home = env("HOME");
      if (home.empty())
        throw io_error("no cache directory: set TRUSTBUNDLE_CACHE_DIR, XDG_CACHE_HOME or HOME, or pass a directory");
      base = home + "/.cache/trustbundle";
    }
  }
  std::string version = embedded_nss_version();
  std::string stamp = format_rfc3339(embedded_as_of());  // 2026-11-22T00:00:00Z -> 20261122T000000Z
  std::string compact;
  for (char c : stamp)
    if (c != '-' && c != ':') compact.push_back(c);
  return strip_trailing_slashes(base) + "/" + version + "-" + compact;
}

std::string materialize_pem(const std::string& dir, const std::string& pem) {
  std::string target_dir = strip_trailing_slashes(dir.empty() ? default_cache_directory() : dir);
  make_directories(target_dir);
  std::string path = target_dir + "/cacert.pem";
  if (file_has_content(path, pem)) return path;
  write_file_atomic(path, pem);
  return path;
}

std::vector<std::pair<std::string, std::string>> capath_files(const std::vector<RootRecord>& roots) {
  std::vector<std::pair<std::string, std::string>> files;
  std::map<unsigned long, int> used;
  for (const RootRecord& r : roots) {
    char name[32];
    std::snprintf(name, sizeof name, "%08lx.%d", r.info.subject_hash, used[r.info.subject_hash]++);
    files.emplace_back(name, "# " + r.label + "\n" + pem_block(r.der, 64));
  }
  return files;
}

std::string export_capath(const std::string& dir, const std::vector<RootRecord>& roots) {
  std::string target = strip_trailing_slashes(dir.empty() ? default_cache_directory() + "/capath" : dir);
  auto files = capath_files(roots);
  if (directory_matches(target, files)) return target;
  if (is_directory(target))
    for (const std::string& name : list_directory(target))
      if (!is_hash_name(name))
        throw io_error("'" + target + "' holds '" + name +
                       "', which is not a hashed certificate file; choose a new or empty directory");

  size_t slash = target.rfind('/');
  if (slash != std::string::npos && slash > 0) make_directories(target.substr(0, slash));
  const std::string staging = target + unique_suffix() + ".new";
  make_directories(staging);
  try {
    for (const auto& file : files) write_file_atomic(staging + "/" + file.first, file.second);
  } catch (...) {
    remove_tree(staging);
    throw;
  }
  if (::rename(staging.c_str(), target.c_str()) == 0) return target;
  // The target exists (another process may have just made it): keep it if
  // it is right, otherwise swap ours in and drop the old one.
  if (directory_matches(target, files)) {
    remove_tree(staging);
    return target;
  }
  const std::string old = target + unique_suffix() + ".old";
  if (::rename(target.c_str(), old.c_str()) != 0 || ::rename(staging.c_str(), target.c_str()) != 0) {
    int saved = errno;
    remove_tree(staging);
    if (directory_matches(target, files)) return target;
    throw io_error("cannot move the CA directory into place at '" + target + "': " + std::strerror(saved));
  }
  remove_tree(old);
  return target;
}

}  // namespace trustbundle
