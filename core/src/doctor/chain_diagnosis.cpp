#include "doctor/chain_diagnosis.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

#include "base/cert_info.h"
#include "bundle/embedded_bundle.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "base/time_util.h"
#include "doctor/bundle_age.h"
#include "doctor/caller_options.h"
#include "verify/host_name.h"
#include "verify/verify_hints.h"
#include "verify/verify_reasons.h"

namespace trustbundle {
namespace {

// Whether an anchor in the store may have issued cert (the extra CAs and
// the embedded roots, by names and key identifiers).
bool store_has_issuer(const TrustStore& store, X509* cert) { return store.has_issuer_of(cert); }

bool issued(const ServedCert& issuer, const ServedCert& subject) {
  bool yes = X509_check_issued(issuer.cert.get(), subject.cert.get()) == X509_V_OK;
  ERR_clear_error();
  return yes;
}

std::string days_until(int64_t from, int64_t to) {
  int64_t days = (to - from) / 86400;
  if (days <= 0) return "within a day";
  return "in " + std::to_string(days) + (days == 1 ? " day" : " days");
}

std::string list_names(const std::vector<size_t>& order, const std::vector<ServedCert>& served) {
  std::string out;
  for (size_t i : order) out += (out.empty() ? "" : ", ") + quoted(served[i].name);
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool name_matches(X509* leaf, const std::string& name) {
  int ok = is_ip_literal(name)
               ? X509_check_ip_asc(leaf, name.c_str(), 0)
               : X509_check_host(leaf, name.c_str(), name.size(),
                                 X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr);
  ERR_clear_error();
  return ok == 1;
}

class Diagnosis {
 public:
  Diagnosis(const std::vector<ServedCert>& served, const VerifyOutcome& outcome, const TrustStore& store, int64_t now,
            const CallerOptions& options)
      : served_(served), outcome_(outcome), store_(store), now_(now), options_(options) {}

  std::vector<Finding> run(const std::string& name) {
    find_duplicates();
    build_path();
    check_order();
    check_leaf(name);
    check_intermediates();
    check_trust();
    explain_the_rest();
    check_bundle_age(out_, outcome_, embedded_as_of(), now_, stale_bundle_days());
    if (outcome_.ok)  // whatever the policy accepted is not why it fails
      for (Finding& f : out_)
        if (f.severity == TRUSTBUNDLE_SEVERITY_ERROR) f.severity = TRUSTBUNDLE_SEVERITY_WARNING;
    return out_;
  }

 private:
  void add(int code, int severity, int index, std::string message, std::string fix_client = "",
           std::string fix_server = "") {
    out_.push_back({code, severity, index, std::move(message), std::move(fix_client), std::move(fix_server)});
  }

  void find_duplicates() {
    for (size_t i = 0; i < served_.size(); ++i) {
      size_t first = i;
      for (size_t j = 0; j < i; ++j)
        if (served_[j].der == served_[i].der) {
          first = j;
          break;
        }
      if (first == i) {
        unique_.push_back(i);
        continue;
      }
      add(TRUSTBUNDLE_FINDING_DUPLICATE_CERT, TRUSTBUNDLE_SEVERITY_WARNING, static_cast<int>(i),
          "the server sends " + quoted(served_[i].name) + " twice (#" + std::to_string(first) + " and #" +
              std::to_string(i) + ")",
          "", "remove the duplicate " + quoted(served_[i].name) + " from the chain file");
    }
  }

  // From the leaf, each certificate's issuer among those sent (the next
  // one sent when it fits, so a sane chain is read as sent).
  void build_path() {
    path_.push_back(0);
    while (!served_[path_.back()].self_signed) {
      const ServedCert& child = served_[path_.back()];
      size_t pos = std::find(unique_.begin(), unique_.end(), path_.back()) - unique_.begin();
      long found = -1;
      for (size_t k = 0; k < unique_.size(); ++k) {
        size_t cand = unique_[(pos + 1 + k) % unique_.size()];
        if (std::find(path_.begin(), path_.end(), cand) != path_.end()) continue;
        if (issued(served_[cand], child)) {
          found = static_cast<long>(cand);
          break;
        }
      }
      if (found < 0) break;
      path_.push_back(static_cast<size_t>(found));
    }
  }

  void check_order() {
    // Sent order of the path's certificates; extras in between are UNUSED_CERT, not disorder.
    bool in_order = true;
    for (size_t k = 1; k < path_.size(); ++k) in_order = in_order && path_[k] > path_[k - 1];
    if (!in_order) {
      add(TRUSTBUNDLE_FINDING_OUT_OF_ORDER, TRUSTBUNDLE_SEVERITY_WARNING, -1,
          "the chain is sent out of order: " + list_names(unique_, served_) +
              "; each certificate should be followed by its issuer",
          "", "reorder the chain file: " + list_names(path_, served_));
    }
    for (size_t i : unique_) {
      if (std::find(path_.begin(), path_.end(), i) != path_.end()) continue;
      add(TRUSTBUNDLE_FINDING_UNUSED_CERT, TRUSTBUNDLE_SEVERITY_WARNING, static_cast<int>(i),
          "the server sends " + quoted(served_[i].name) + " (#" + std::to_string(i) +
              "), which is on no path from " + quoted(served_[0].name),
          "", "remove " + quoted(served_[i].name) + " from the chain file, or replace it with the right intermediate");
    }
    if (path_.size() > 1 && served_[path_.back()].self_signed && store_has_issuer(store_, served_[path_.back()].cert.get())) {
      add(TRUSTBUNDLE_FINDING_ROOT_SENT, TRUSTBUNDLE_SEVERITY_INFO, static_cast<int>(path_.back()),
          "the server also sends the root " + quoted(served_[path_.back()].name) +
              ": harmless (clients use their own copy of a root), only bytes in every handshake");
    }
  }

  void check_leaf(const std::string& name) {
    const ServedCert& leaf = served_[0];
    if (!leaf.times_readable) {
      // no date to talk about: the verification reason names the broken field
    } else if (now_ > leaf.not_after) {
      add(TRUSTBUNDLE_FINDING_LEAF_EXPIRED, TRUSTBUNDLE_SEVERITY_ERROR, 0,
          "the certificate " + quoted(leaf.name) + " expired on " + format_date(leaf.not_after),
          "check the clock of this machine if that date looks wrong",
          "renew the certificate " + quoted(leaf.name) + " and install it (automate renewal, e.g. with ACME)");
    } else if (now_ < leaf.not_before) {
      add(TRUSTBUNDLE_FINDING_LEAF_NOT_YET_VALID, TRUSTBUNDLE_SEVERITY_ERROR, 0,
          "the certificate " + quoted(leaf.name) + " is not valid until " + format_date(leaf.not_before),
          "check the clock of this machine", "install a certificate that is valid now");
    } else if (leaf.not_after - now_ <= kExpirySoonSeconds) {
      add(TRUSTBUNDLE_FINDING_LEAF_EXPIRING, TRUSTBUNDLE_SEVERITY_WARNING, 0,
          "the certificate " + quoted(leaf.name) + " expires on " + format_date(leaf.not_after) + ", " +
              days_until(now_, leaf.not_after),
          "", "renew the certificate " + quoted(leaf.name) + " now (automate renewal, e.g. with ACME)");
    }
    if (!name.empty() && !name_matches(leaf.cert.get(), name)) {
      std::string names = leaf.alt_names.empty() ? "it has no subjectAltName (the subject CN is never used)"
                                                 : "its names are " + join(leaf.alt_names);
      add(TRUSTBUNDLE_FINDING_NAME_MISMATCH, TRUSTBUNDLE_SEVERITY_ERROR, 0,
          quoted(name) + " is not among the names of the certificate " + quoted(leaf.name) + ": " + names,
          leaf.alt_names.empty() ? "check the name you connect to"
                                 : "if you meant this server, connect with one of its names (" + join(leaf.alt_names) +
                                       "), e.g. " + options_.servername(leaf.alt_names.front()),
          "reissue the certificate with " + quoted(name) + " in its subjectAltName, or point " + quoted(name) +
              " at the server that has one");
    }
    if (leaf.self_signed && !outcome_.ok) {
      add(TRUSTBUNDLE_FINDING_SELF_SIGNED_LEAF, TRUSTBUNDLE_SEVERITY_ERROR, 0,
          "the certificate " + quoted(leaf.name) + " is self-signed: no client trusts it unless told to",
          "trust it only on purpose, after checking its SHA-256 " + leaf.sha256_hex +
              " out of band: save it and pass " + extra_ca_fix(options_, "/path/to/cert.pem"),
          "use a certificate issued by a CA the clients trust (a public CA, or your own CA whose root the clients add)");
    }
  }

  void check_intermediates() {
    for (size_t k = 1; k < path_.size(); ++k) {
      const ServedCert& c = served_[path_[k]];
      if (c.self_signed || !c.times_readable) continue;  // a sent root: clients use their own copy
      int index = static_cast<int>(path_[k]);
      if (now_ > c.not_after) {
        add(TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRED, TRUSTBUNDLE_SEVERITY_ERROR, index,
            "the intermediate " + quoted(c.name) + " expired on " + format_date(c.not_after), "",
            "replace " + quoted(c.name) + " in the chain file with its current version from your CA");
      } else if (c.not_after - now_ <= kExpirySoonSeconds) {
        add(TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRING, TRUSTBUNDLE_SEVERITY_WARNING, index,
            "the intermediate " + quoted(c.name) + " expires on " + format_date(c.not_after) + ", " +
                days_until(now_, c.not_after),
            "", "get the renewed " + quoted(c.name) + " from your CA and put it in the chain file now");
      }
    }
  }

  // Where the served path stops, and whether the store can take it further.
  void check_trust() {
    if (outcome_.ok) {
      const std::string& anchor_der = outcome_.chain_der.back();
      if (!is_mozilla_root(anchor_der)) {
        std::string anchor = display_name(X509_get_subject_name(parse_der_certificate(anchor_der, "anchor").get()));
        add(TRUSTBUNDLE_FINDING_EXTRA_CA_ANCHOR, TRUSTBUNDLE_SEVERITY_INFO, -1,
            "the chain verifies through " + quoted(anchor) +
                ", one of your extra CAs (" + options_.extra_ca("...") +
                " or TRUSTBUNDLE_EXTRA_CA_CERTS), not a Mozilla root: clients without it reject this server");
      }
      return;
    }
    const ServedCert& top = served_[path_.back()];
    int index = static_cast<int>(path_.back());
    if (top.self_signed) {
      if (path_.size() == 1 || store_has_issuer(store_, top.cert.get())) return;  // the leaf: SELF_SIGNED_LEAF
      add(TRUSTBUNDLE_FINDING_UNKNOWN_ROOT, TRUSTBUNDLE_SEVERITY_ERROR, index,
          "the chain ends at the root " + quoted(top.name) +
              " (sent by the server), which is neither in the Mozilla bundle nor among your extra CAs",
          "if " + quoted(top.name) + " is your own (corporate or private) CA, trust it after checking its SHA-256 " +
              top.sha256_hex + " out of band: " + extra_ca_fix(options_, "/path/to/root.pem"),
          "if public clients must connect, use a certificate from a publicly trusted CA");
      return;
    }
    if (store_has_issuer(store_, top.cert.get())) return;  // complete: the failure is elsewhere
    if (path_.size() == 1) {
      add(TRUSTBUNDLE_FINDING_MISSING_INTERMEDIATE, TRUSTBUNDLE_SEVERITY_ERROR, 0,
          "the server did not send its intermediate certificate: " + quoted(top.issuer_name) +
              ", the issuer of " + quoted(top.name) + ", is missing from the chain",
          "nothing to change on the client, unless " + quoted(top.issuer_name) +
              " is your own root CA: then " + extra_ca_fix(options_, "/path/to/root.pem"),
          "send the full chain: " + quoted(top.name) + " followed by " + quoted(top.issuer_name) +
              " (e.g. fullchain.pem rather than cert.pem)");
      return;
    }
    add(TRUSTBUNDLE_FINDING_UNKNOWN_ROOT, TRUSTBUNDLE_SEVERITY_ERROR, index,
        quoted(top.name) + " is issued by " + quoted(top.issuer_name) +
            ", which is neither in the Mozilla bundle nor among your extra CAs",
        "if " + quoted(top.issuer_name) + " is your own (corporate or private) root CA, trust it: " + extra_ca_fix(options_, "/path/to/root.pem"),
        "if " + quoted(top.issuer_name) + " is an intermediate, send it too; if public clients must connect, "
        "use a certificate from a publicly trusted CA");
  }

  // A rejection no finding above accounts for: say what the policy said.
  void explain_the_rest() {
    if (outcome_.ok) return;
    for (const Finding& f : out_)
      if (explains(f.code, outcome_.reason)) return;
    add(TRUSTBUNDLE_FINDING_VERIFY_FAILED, TRUSTBUNDLE_SEVERITY_ERROR, outcome_.depth,
        std::string(reason_name(outcome_.reason)) + ": " + outcome_.message, "", outcome_.hint);
  }

  const std::vector<ServedCert>& served_;
  const VerifyOutcome& outcome_;
  const TrustStore& store_;
  int64_t now_;
  const CallerOptions& options_;
  std::vector<size_t> unique_;  // indices of first occurrences, in order sent
  std::vector<size_t> path_;    // from the leaf, issuer by issuer
  std::vector<Finding> out_;
};

}  // namespace

bool explains(int code, int reason) {
  switch (reason) {
    case TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      return code == TRUSTBUNDLE_FINDING_MISSING_INTERMEDIATE || code == TRUSTBUNDLE_FINDING_UNKNOWN_ROOT;
    case TRUSTBUNDLE_REASON_SELF_SIGNED: return code == TRUSTBUNDLE_FINDING_SELF_SIGNED_LEAF;
    case TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN: return code == TRUSTBUNDLE_FINDING_UNKNOWN_ROOT;
    case TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED:
      return code == TRUSTBUNDLE_FINDING_LEAF_EXPIRED || code == TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRED;
    case TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID: return code == TRUSTBUNDLE_FINDING_LEAF_NOT_YET_VALID;
    case TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH:
    case TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH: return code == TRUSTBUNDLE_FINDING_NAME_MISMATCH;
    default: return code == TRUSTBUNDLE_FINDING_VERIFY_FAILED;
  }
}

bool is_mozilla_root(const std::string& der) {
  const std::string sha = hex_lower(digest(EVP_sha256(), der));
  for (size_t i = 0; i < embedded_root_count(); ++i)
    if (sha == embedded_root_view(i).sha256_hex) return true;
  return false;
}

std::vector<Finding> diagnose_chain(const std::vector<ServedCert>& served, const VerifyOutcome& outcome,
                                    const TrustStore& store, const std::string& name, int64_t now, int language) {
  if (served.empty()) throw invalid_argument("no served certificate to diagnose");
  return Diagnosis(served, outcome, store, now, caller_options(language)).run(name);
}

}  // namespace trustbundle
