// The trustbundle executable: the tool lives in the library (cli_main.cpp),
// where every package's command-line tool reaches it through the C ABI.
#include "trustbundle/trustbundle.h"

int main(int argc, char** argv) { return trustbundle_cli_main(argc, argv); }
