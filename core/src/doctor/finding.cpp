#include "doctor/finding.h"

#include "base/encoding.h"

namespace trustbundle {

const char* finding_name(int code) {
  switch (code) {
    case TRUSTBUNDLE_FINDING_CONNECTION_FAILED: return "CONNECTION_FAILED";
    case TRUSTBUNDLE_FINDING_MISSING_INTERMEDIATE: return "MISSING_INTERMEDIATE";
    case TRUSTBUNDLE_FINDING_OUT_OF_ORDER: return "OUT_OF_ORDER";
    case TRUSTBUNDLE_FINDING_DUPLICATE_CERT: return "DUPLICATE_CERT";
    case TRUSTBUNDLE_FINDING_ROOT_SENT: return "ROOT_SENT";
    case TRUSTBUNDLE_FINDING_UNUSED_CERT: return "UNUSED_CERT";
    case TRUSTBUNDLE_FINDING_LEAF_EXPIRED: return "LEAF_EXPIRED";
    case TRUSTBUNDLE_FINDING_LEAF_EXPIRING: return "LEAF_EXPIRING";
    case TRUSTBUNDLE_FINDING_LEAF_NOT_YET_VALID: return "LEAF_NOT_YET_VALID";
    case TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRED: return "INTERMEDIATE_EXPIRED";
    case TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRING: return "INTERMEDIATE_EXPIRING";
    case TRUSTBUNDLE_FINDING_NAME_MISMATCH: return "NAME_MISMATCH";
    case TRUSTBUNDLE_FINDING_SELF_SIGNED_LEAF: return "SELF_SIGNED_LEAF";
    case TRUSTBUNDLE_FINDING_UNKNOWN_ROOT: return "UNKNOWN_ROOT";
    case TRUSTBUNDLE_FINDING_EXTRA_CA_ANCHOR: return "EXTRA_CA_ANCHOR";
    case TRUSTBUNDLE_FINDING_VERIFY_FAILED: return "VERIFY_FAILED";
    case TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUESTED: return "CLIENT_CERT_REQUESTED";
    case TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUIRED: return "CLIENT_CERT_REQUIRED";
    case TRUSTBUNDLE_FINDING_CLIENT_CERT_REJECTED: return "CLIENT_CERT_REJECTED";
    case TRUSTBUNDLE_FINDING_CLIENT_KEY_MISMATCH: return "CLIENT_KEY_MISMATCH";
    case TRUSTBUNDLE_FINDING_CLIENT_CERT_UNUSABLE: return "CLIENT_CERT_UNUSABLE";
    case TRUSTBUNDLE_FINDING_OLD_PROTOCOL: return "OLD_PROTOCOL";
    case TRUSTBUNDLE_FINDING_STALE_BUNDLE: return "STALE_BUNDLE";
    default: return "UNKNOWN";
  }
}

const char* severity_name(int severity) {
  switch (severity) {
    case TRUSTBUNDLE_SEVERITY_INFO: return "info";
    case TRUSTBUNDLE_SEVERITY_WARNING: return "warning";
    case TRUSTBUNDLE_SEVERITY_ERROR: return "error";
    default: return "unknown";
  }
}

const char* failure_name(int failure) {
  switch (failure) {
    case TRUSTBUNDLE_FAILURE_NONE: return "NONE";
    case TRUSTBUNDLE_FAILURE_DNS: return "DNS";
    case TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED: return "CONNECTION_REFUSED";
    case TRUSTBUNDLE_FAILURE_TIMEOUT: return "TIMEOUT";
    case TRUSTBUNDLE_FAILURE_NETWORK: return "NETWORK";
    case TRUSTBUNDLE_FAILURE_PLAIN_HTTP: return "PLAIN_HTTP";
    case TRUSTBUNDLE_FAILURE_NOT_TLS: return "NOT_TLS";
    case TRUSTBUNDLE_FAILURE_HANDSHAKE_ALERT: return "HANDSHAKE_ALERT";
    case TRUSTBUNDLE_FAILURE_HANDSHAKE: return "HANDSHAKE";
    case TRUSTBUNDLE_FAILURE_CLIENT_CERT: return "CLIENT_CERT";
    default: return "UNKNOWN";
  }
}

bool has_finding(const std::vector<Finding>& findings, int code) {
  for (const Finding& f : findings)
    if (f.code == code) return true;
  return false;
}

std::string quoted(const std::string& name) { return "'" + terminal_text(name) + "'"; }

}  // namespace trustbundle
