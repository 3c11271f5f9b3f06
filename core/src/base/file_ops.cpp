#include "base/file_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "base/errors.h"

namespace trustbundle {
namespace {

Error errno_error(const std::string& what, const std::string& path) {
  return io_error(what + " '" + path + "': " + std::strerror(errno));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

const char* file_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  return "a special file";
}

}  // namespace

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return "." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." + std::to_string(rd());
}

std::string read_file(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer would wait for ever; it has no
  // effect on a regular file, which is all that is read after the check.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) throw errno_error("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw errno_error("cannot stat", path);
  if (S_ISDIR(st.st_mode)) throw io_error("'" + path + "' is a directory, expected a file");
  if (!S_ISREG(st.st_mode))
    throw io_error("'" + path + "' is " + file_kind(st.st_mode) + ", not a regular file");
  if (static_cast<unsigned long long>(st.st_size) > max_bytes)
    throw Error(TRUSTBUNDLE_E_LIMIT, "'" + path + "' is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw errno_error("cannot read", path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes)
      throw Error(TRUSTBUNDLE_E_LIMIT, "'" + path + "' is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }
  return out;
}

bool file_has_content(const std::string& path, const std::string& content) {
  try {
    return read_file(path, content.size()) == content;
  } catch (const Error&) {
    return false;
  }
}

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string temp = path + unique_suffix() + ".tmp";
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw errno_error("cannot create", temp);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Error e = errno_error("cannot write", temp);
      ::unlink(temp.c_str());
      throw e;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) {
    Error e = errno_error("cannot flush", temp);
    ::unlink(temp.c_str());
    throw e;
  }
  if (::close(fd.release()) != 0) {
    Error e = errno_error("cannot close", temp);
    ::unlink(temp.c_str());
    throw e;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error e = errno_error("cannot rename into place", path);
    ::unlink(temp.c_str());
    throw e;
  }
}

void make_directories(const std::string& path) {
  if (path.empty()) throw io_error("empty directory path");
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    std::string part = path.substr(0, pos);
    if (part.empty()) continue;
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) throw errno_error("cannot create directory", part);
  }
  if (!is_directory(path)) throw io_error("'" + path + "' exists and is not a directory");
}

bool is_hashed_ca_file_name(const std::string& name) {
  if (name.size() < 10 || name[8] != '.') return false;
  for (size_t i = 0; i < 8; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  for (size_t i = 9; i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_real_directory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void make_private_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) throw errno_error("cannot create directory", path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw errno_error("cannot stat", path);
  const std::string unsafe = "cache directory '" + path + "' is not safe to use: ";
  const std::string fix = "; set TRUSTBUNDLE_CACHE_DIR to a directory only you can write";
  if (!S_ISDIR(st.st_mode)) throw io_error(unsafe + "it is " + file_kind(st.st_mode) + fix);
  if (st.st_uid != ::geteuid())
    throw io_error(unsafe + "it belongs to uid " + std::to_string(st.st_uid) + ", not to you (uid " +
                   std::to_string(::geteuid()) + ")" + fix);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw io_error(unsafe + "group or others may write to it (mode " + mode + ")" + fix);
  }
}

void require_hashed_ca_directory(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw errno_error("cannot stat", path);
  }
  if (!S_ISDIR(st.st_mode))
    throw io_error("'" + path + "' is " + file_kind(st.st_mode) + ", not a directory of hashed certificate files");
  for (const std::string& name : list_directory(path)) {
    struct stat entry {};
    const std::string file = path + "/" + name;
    if (::lstat(file.c_str(), &entry) != 0) throw errno_error("cannot stat", file);
    if (!is_hashed_ca_file_name(name))
      throw io_error("'" + path + "' holds '" + name +
                     "', which is not a hashed certificate file; choose a new or empty directory");
    if (!S_ISREG(entry.st_mode))
      throw io_error("'" + path + "' holds '" + name + "', which is " + file_kind(entry.st_mode) +
                     ", not a hashed certificate file; choose a new or empty directory");
  }
}

void remove_hashed_ca_directory(const std::string& path) {
  Fd dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.get() < 0) return;
  int listing_fd = ::dup(dir.get());
  DIR* listing = listing_fd >= 0 ? ::fdopendir(listing_fd) : nullptr;
  if (listing == nullptr) {
    if (listing_fd >= 0) ::close(listing_fd);
    return;
  }
  std::vector<std::string> names;
  while (struct dirent* entry = ::readdir(listing)) {
    std::string name = entry->d_name;
    if (is_hashed_ca_file_name(name)) names.push_back(name);
  }
  ::closedir(listing);
  for (const std::string& name : names) {
    struct stat st {};
    // Checked and unlinked through the same directory fd: a name swapped for
    // a directory or a link in between is left alone (unlinkat without
    // AT_REMOVEDIR never removes a directory, and never follows a link).
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
      ::unlinkat(dir.get(), name.c_str(), 0);
  }
  ::rmdir(path.c_str());  // fails, harmlessly, unless the directory is now empty
}

std::vector<std::string> list_directory(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) throw errno_error("cannot open directory", path);
  std::vector<std::string> names;
  while (struct dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace trustbundle
