// File system helpers with the project's guarantees: a write either lands
// whole or leaves the old file as it was; errors name the path.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace trustbundle {

// Reads a whole file; throws Error(IO) naming the path. Files larger than
// max_bytes give Error(LIMIT).
std::string read_file(const std::string& path, size_t max_bytes);

// True if path exists and holds exactly `content`.
bool file_has_content(const std::string& path, const std::string& content);

// Writes to a unique temporary file beside `path`, fsyncs it, then renames
// it over `path`. On any failure the temporary file is removed and `path`
// is untouched. Throws Error(IO).
void write_file_atomic(const std::string& path, const std::string& content);

// mkdir -p; tolerates concurrent creators. Throws Error(IO).
void make_directories(const std::string& path);

bool is_directory(const std::string& path);
// "<8 hex>.<digits>", as `openssl rehash` names the files of a CA directory.
bool is_hashed_ca_file_name(const std::string& name);
std::vector<std::string> list_directory(const std::string& path);  // names, sorted; throws Error(IO)
void remove_tree(const std::string& path);                          // best effort
std::string unique_suffix();                                        // ".<pid>.<counter>.<random>"

}  // namespace trustbundle
