#include "doctor/client_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

#include "verify/cert_source.h"
#include "base/errors.h"
#include "verify/key_pair.h"
#include "base/time_util.h"
#include "verify/verify_hints.h"

namespace trustbundle {

ClientSetup load_client_identity(const std::string& cert, const std::string& key, const char* passphrase, int64_t now) {
  KeyPairCheck check = check_key_pair(cert, key, passphrase, now);
  std::vector<X509Ptr> certs = decode_chain({cert}, "client certificate");
  ClientSetup out;
  out.name = display_name(X509_get_subject_name(certs.front().get()));
  if (!check.match) {
    out.findings.push_back({TRUSTBUNDLE_FINDING_CLIENT_KEY_MISMATCH, TRUSTBUNDLE_SEVERITY_ERROR, -1,
                            "the private key given does not belong to the client certificate " + quoted(out.name) +
                                ": the certificate was not offered",
                            "pass the key that belongs to " + quoted(out.name) +
                                " (trustbundle check-pair CERT KEY tells whether they match)",
                            ""});
    return out;
  }
  if (!check.client_auth)
    out.findings.push_back({TRUSTBUNDLE_FINDING_CLIENT_CERT_UNUSABLE, TRUSTBUNDLE_SEVERITY_WARNING, -1,
                            "the client certificate " + quoted(out.name) +
                                " does not allow TLS client authentication (its extended key usage lacks clientAuth)",
                            "use a client certificate whose extended key usage includes clientAuth", ""});
  if (!check.valid)
    out.findings.push_back({TRUSTBUNDLE_FINDING_CLIENT_CERT_UNUSABLE, TRUSTBUNDLE_SEVERITY_WARNING, -1,
                            "the client certificate " + quoted(out.name) + " is valid only from " +
                                format_date(check.not_before) + " to " + format_date(check.not_after),
                            "renew the client certificate " + quoted(out.name), ""});
  out.identity = std::make_unique<ClientIdentity>();
  out.identity->cert = std::move(certs.front());
  for (size_t i = 1; i < certs.size(); ++i) out.identity->chain.push_back(std::move(certs[i]));
  out.identity->key = read_private_key(key, passphrase);
  return out;
}

}  // namespace trustbundle
