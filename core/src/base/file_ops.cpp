#include "base/file_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
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

}  // namespace

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return "." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." + std::to_string(rd());
}

std::string read_file(const std::string& path, size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw errno_error("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw errno_error("cannot stat", path);
  if (S_ISDIR(st.st_mode)) throw io_error("'" + path + "' is a directory, expected a file");
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

void remove_tree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {  // lstat: never follow a link out
    try {
      for (const std::string& name : list_directory(path)) remove_tree(path + "/" + name);
    } catch (const Error&) {
    }
    ::rmdir(path.c_str());
  } else {
    ::unlink(path.c_str());
  }
}

}  // namespace trustbundle
