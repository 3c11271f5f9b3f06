// How X509_verify_cert finds an issuer among a trust store's anchors: the
// store's get_issuer and lookup_certs callbacks. Every anchor with the
// issuer's name is a candidate, extra CAs and embedded roots alike (issue
// 15: a cached extra CA named like a Mozilla root used to hide the root).
// Among several, the one whose key verifies the signature wins, then one
// valid at the check time, then one allowed to sign certificates, then a
// self-signed one (it ends the path), then the order the store gives.
#pragma once

#include <openssl/x509_vfy.h>

namespace trustbundle {

class TrustStore;

// owner must outlive store. Throws Error(INTERNAL) when OpenSSL cannot
// hold the pointer.
void install_anchor_choice(X509_STORE* store, const TrustStore* owner);

}  // namespace trustbundle
