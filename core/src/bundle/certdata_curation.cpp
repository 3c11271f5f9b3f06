#include "bundle/certdata_curation.h"

#include <map>

#include "bundle/certdata_parser.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "base/time_util.h"

namespace trustbundle {

const char* trust_name(Trust trust) {
  switch (trust) {
    case Trust::Trusted: return "trusted";
    case Trust::MustVerify: return "must-verify";
    case Trust::NotTrusted: return "not-trusted";
    case Trust::None: break;
  }
  return "none";
}

namespace {

std::string at(const std::string& source, size_t line) { return source + ":" + std::to_string(line); }

const NssAttribute& require(const NssObject& obj, const char* name, const std::string& source) {
  const NssAttribute* attr = obj.find(name);
  if (attr == nullptr) throw parse_error(at(source, obj.line), std::string("object is missing ") + name);
  return *attr;
}

Trust read_trust(const NssObject& obj, const char* name, const std::string& source) {
  const NssAttribute* attr = obj.find(name);
  if (attr == nullptr) return Trust::None;
  const std::string where = at(source, attr->line);
  if (attr->type != "CK_TRUST") throw parse_error(where, std::string(name) + " must have type CK_TRUST");
  if (attr->value == "CKT_NSS_TRUSTED_DELEGATOR") return Trust::Trusted;
  if (attr->value == "CKT_NSS_MUST_VERIFY_TRUST") return Trust::MustVerify;
  if (attr->value == "CKT_NSS_NOT_TRUSTED") return Trust::NotTrusted;
  throw parse_error(where, "unknown trust value '" + attr->value + "' for " + name);
}

// CK_BBOOL CK_FALSE or absent: no date. MULTILINE_OCTAL: a YYMMDDHHMMSSZ date.
bool read_distrust(const NssObject& obj, const std::string& source, int64_t& out) {
  const NssAttribute* attr = obj.find("CKA_NSS_SERVER_DISTRUST_AFTER");
  if (attr == nullptr) return false;
  const std::string where = at(source, attr->line);
  if (attr->type == "CK_BBOOL") {
    if (attr->value != "CK_FALSE") throw parse_error(where, "server distrust-after must be CK_FALSE or a date");
    return false;
  }
  if (attr->type != "MULTILINE_OCTAL") throw parse_error(where, "server distrust-after has an unexpected type");
  out = parse_utctime(attr->value, where);
  return true;
}

std::string pair_key(const NssObject& obj, const std::string& source) {
  return require(obj, "CKA_ISSUER", source).value + '\0' + require(obj, "CKA_SERIAL_NUMBER", source).value;
}

void check_hash(const NssObject& trust, const char* name, const std::string& expected, const RootRecord& cert,
                const std::string& source) {
  const NssAttribute* attr = trust.find(name);
  if (attr == nullptr) return;
  if (hex_lower(attr->value) != expected)
    throw parse_error(at(source, attr->line), std::string(name) + " does not match the certificate '" +
                                                  cert.label + "' at line " + std::to_string(cert.line));
}

}  // namespace

std::vector<RootRecord> load_certdata(const std::string& text, const std::string& source) {
  std::vector<NssObject> objects = parse_certdata(text, source);
  std::vector<RootRecord> roots;
  std::map<std::string, size_t> cert_by_key;
  std::map<std::string, size_t> trust_line_by_key;
  std::vector<const NssObject*> trusts;
  std::vector<std::string> keys;  // pairing key of roots[i]

  for (const NssObject& obj : objects) {
    const std::string cls = require(obj, "CKA_CLASS", source).value;
    if (cls == "CKO_NSS_BUILTIN_ROOT_LIST") continue;
    if (cls == "CKO_NSS_TRUST") {
      trusts.push_back(&obj);
      continue;
    }
    if (cls != "CKO_CERTIFICATE") throw parse_error(at(source, obj.line), "unknown object class '" + cls + "'");
    const NssAttribute& type = require(obj, "CKA_CERTIFICATE_TYPE", source);
    if (type.value != "CKC_X_509")
      throw parse_error(at(source, type.line), "unsupported certificate type '" + type.value + "'");
    RootRecord root;
    root.line = obj.line;
    root.label = require(obj, "CKA_LABEL", source).value;
    root.der = require(obj, "CKA_VALUE", source).value;
    root.info = describe_certificate(root.der, at(source, require(obj, "CKA_VALUE", source).line));
    root.has_server_distrust_after = read_distrust(obj, source, root.server_distrust_after);
    std::string key = pair_key(obj, source);
    auto inserted = cert_by_key.emplace(key, roots.size());
    if (!inserted.second)
      throw parse_error(at(source, obj.line), "duplicate certificate object (same issuer and serial as line " +
                                                  std::to_string(roots[inserted.first->second].line) + ")");
    roots.push_back(std::move(root));
    keys.push_back(std::move(key));
  }

  for (const NssObject* trust : trusts) {
    std::string key = pair_key(*trust, source);
    auto dup = trust_line_by_key.emplace(key, trust->line);
    if (!dup.second)
      throw parse_error(at(source, trust->line), "duplicate trust object (same issuer and serial as line " +
                                                     std::to_string(dup.first->second) + ")");
    Trust server = read_trust(*trust, "CKA_TRUST_SERVER_AUTH", source);
    Trust email = read_trust(*trust, "CKA_TRUST_EMAIL_PROTECTION", source);
    read_trust(*trust, "CKA_TRUST_CODE_SIGNING", source);  // validated, not used
    auto cert = cert_by_key.find(key);
    if (cert == cert_by_key.end()) {
      // A trust object alone is an explicit distrust; alone it cannot grant trust.
      if (server == Trust::Trusted || email == Trust::Trusted)
        throw parse_error(at(source, trust->line), "trust object grants trust but has no certificate object");
      continue;
    }
    RootRecord& root = roots[cert->second];
    check_hash(*trust, "CKA_CERT_SHA1_HASH", root.info.sha1_hex, root, source);
    check_hash(*trust, "CKA_CERT_MD5_HASH", root.info.md5_hex, root, source);
    root.server_trust = server;
    root.email_trust = email;
    int64_t date = 0;
    if (read_distrust(*trust, source, date) &&
        (!root.has_server_distrust_after || date < root.server_distrust_after)) {
      root.has_server_distrust_after = true;
      root.server_distrust_after = date;
    }
  }

  for (size_t i = 0; i < roots.size(); ++i)
    if (trust_line_by_key.find(keys[i]) == trust_line_by_key.end())
      throw parse_error(at(source, roots[i].line), "certificate '" + roots[i].label + "' has no trust object");
  return roots;
}

std::vector<RootRecord> curate(const std::vector<RootRecord>& all, CurationMode mode, int64_t as_of) {
  std::vector<RootRecord> out;
  for (const RootRecord& root : all) {
    if (root.server_trust != Trust::Trusted) continue;
    if (mode == CurationMode::Certifi) {
      if (root.has_server_distrust_after && as_of > root.server_distrust_after + kDistrustGraceSeconds) continue;
    } else if (as_of > root.info.not_after) {
      continue;
    }
    out.push_back(root);
  }
  return out;
}

}  // namespace trustbundle
