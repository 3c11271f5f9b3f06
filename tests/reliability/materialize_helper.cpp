// tb_rel_materialize DIR: trustbundle_materialize(DIR) in a process of its
// own, so a test can start it under the LD_PRELOAD fault shim. Prints
// "ok PATH" (exit 0) or "error STATUS: MESSAGE" (exit 1).
#include <cstdio>

#include "trustbundle/trustbundle.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tb_rel_materialize DIR\n");
    return 2;
  }
  char path[4096];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  int status = trustbundle_materialize(path, sizeof path, argv[1], &error);
  if (status != TRUSTBUNDLE_OK) {
    std::printf("error %s: %s\n", trustbundle_status_name(status), error.message);
    return 1;
  }
  std::printf("ok %s\n", path);
  return 0;
}
