// File system helpers with the project's guarantees: a write either lands
// whole or leaves the old file as it was; errors name the path.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace trustbundle {

// Reads a whole regular file; throws Error(IO) naming the path, also for a
// FIFO, socket or device (opened without blocking, then refused). Files
// larger than max_bytes give Error(LIMIT).
std::string read_file(const std::string& path, size_t max_bytes);

// True if path exists and holds exactly `content`.
bool file_has_content(const std::string& path, const std::string& content);

// Writes to a unique temporary file beside `path`, fsyncs it, then renames
// it over `path`. On any failure the temporary file is removed and `path`
// is untouched. Throws Error(IO).
void write_file_atomic(const std::string& path, const std::string& content);

// mkdir -p; tolerates concurrent creators. Throws Error(IO).
void make_directories(const std::string& path);

bool is_directory(const std::string& path);       // follows symbolic links
bool is_real_directory(const std::string& path);  // a directory itself, not a link to one

// A directory the library may keep files in for later use (the cache): a
// real directory (not a symbolic link), owned by the current user and not
// writable by group or others, as ssh and pip require. Creates it (0755)
// when missing; the parent must exist. Throws Error(IO) naming the directory
// and what is wrong with it.
void make_private_directory(const std::string& path);

// A directory of hashed CA files ("<hash>.<n>"): throws Error(IO) naming the
// first entry that is anything else (another name, a directory, a link, a
// FIFO). A path that is not a directory at all (a link, a file) is refused
// too; a missing one is fine.
void require_hashed_ca_directory(const std::string& path);

// Removes a directory of hashed CA files that the library made: unlinks only
// regular files with hashed names, relative to the directory opened without
// following links, never descends, then removes the directory if that left
// it empty. Anything else stays where it is. Best effort.
void remove_hashed_ca_directory(const std::string& path);
// "<8 hex>.<digits>", as `openssl rehash` names the files of a CA directory.
bool is_hashed_ca_file_name(const std::string& name);
std::vector<std::string> list_directory(const std::string& path);  // names, sorted; throws Error(IO)
std::string unique_suffix();                                        // ".<pid>.<counter>.<random>"

}  // namespace trustbundle
