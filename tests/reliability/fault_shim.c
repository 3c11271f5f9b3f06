/* LD_PRELOAD shim that makes file writes fail, for the fault-injection
 * tests. Only file descriptors whose path contains $TB_FAULT_MATCH (default
 * ".tmp", the suffix of the library's temporary files) are affected.
 * $TB_FAULT selects the fault:
 *   write-enospc  the disk holds $TB_FAULT_BYTES (default 16384) bytes of
 *                 the file, then write() fails with ENOSPC (a short write
 *                 first, as a real full disk does)
 *   fsync-eio     fsync() fails with EIO
 *   rename-eio    rename() of a matching path fails with EIO */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fault_is(const char *name) {
  const char *fault = getenv("TB_FAULT");
  return fault != NULL && strcmp(fault, name) == 0;
}

static int path_matches(const char *path) {
  const char *match = getenv("TB_FAULT_MATCH");
  return path != NULL && strstr(path, match != NULL && *match ? match : ".tmp") != NULL;
}

static int fd_matches(int fd) {
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = '\0';
  return path_matches(target);
}

ssize_t write(int fd, const void *buf, size_t count) {
  static ssize_t (*real_write)(int, const void *, size_t);
  if (real_write == NULL) real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  if (fd > 2 && fault_is("write-enospc") && fd_matches(fd)) {
    const char *limit_text = getenv("TB_FAULT_BYTES");
    off_t limit = limit_text != NULL ? (off_t)atol(limit_text) : 16384;
    struct stat st;
    if (fstat(fd, &st) != 0) return -1;
    if (st.st_size >= limit) {
      errno = ENOSPC;
      return -1;
    }
    if ((off_t)count > limit - st.st_size) count = (size_t)(limit - st.st_size);
  }
  return real_write(fd, buf, count);
}

int fsync(int fd) {
  static int (*real_fsync)(int);
  if (real_fsync == NULL) real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  if (fault_is("fsync-eio") && fd_matches(fd)) {
    errno = EIO;
    return -1;
  }
  return real_fsync(fd);
}

int rename(const char *from, const char *to) {
  static int (*real_rename)(const char *, const char *);
  if (real_rename == NULL) real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  if (fault_is("rename-eio") && path_matches(from)) {
    errno = EIO;
    return -1;
  }
  return real_rename(from, to);
}
