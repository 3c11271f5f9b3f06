// The shared reason vocabulary: names, and the mapping from OpenSSL's
// X509_V_ERR_* codes.
#pragma once

#include "trustbundle/trustbundle.h"

namespace trustbundle {

const char* reason_name(int reason);  // "CERT_HAS_EXPIRED"; "UNKNOWN" for others
int reason_from_openssl(int x509_v_err);

}  // namespace trustbundle
