#include "verify/cert_source.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cctype>

#include "verify/cert_cache.h"
#include "base/cert_info.h"
#include "bundle/certdata_curation.h"
#include "bundle/certdata_parser.h"
#include "base/errors.h"
#include "base/file_ops.h"
#include "bundle/pem_format.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {
namespace {

bool looks_like_pem(const std::string& bytes) { return bytes.find("-----BEGIN") != std::string::npos; }

void check_size(const std::string& bytes, const std::string& source) {
  if (bytes.size() > TRUSTBUNDLE_MAX_INPUT_BYTES)
    throw Error(TRUSTBUNDLE_E_LIMIT, source + ": " + std::to_string(bytes.size()) + " bytes is over the limit of " +
                                         std::to_string(TRUSTBUNDLE_MAX_INPUT_BYTES));
}

bool is_cert_file_name(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  auto ends_with = [&name](const char* suffix) {
    std::string s(suffix);
    return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends_with(".pem") || ends_with(".crt") || ends_with(".cer") || ends_with(".der") ||
         is_hashed_ca_file_name(name);
}

LoadedCert from_der(const std::string& der, const std::string& where) {
  LoadedCert out;
  out.cert = parse_der_certificate(der, where);
  out.der = der;
  return out;
}

}  // namespace

std::string der_of(X509* cert) {
  unsigned char* buf = nullptr;
  int len = i2d_X509(cert, &buf);
  if (len <= 0) throw Error(TRUSTBUNDLE_E_INTERNAL, "cannot encode a certificate");
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

std::vector<LoadedCert> load_certs_from_bytes(const std::string& bytes, const std::string& source) {
  check_size(bytes, source);
  if (bytes.find_first_not_of(" \t\r\n") == std::string::npos)
    throw parse_error(source, "empty: no certificate in it");
  std::vector<LoadedCert> out;
  if (looks_like_certdata(bytes)) {
    for (const RootRecord& root : load_certdata(bytes, source)) {
      if (root.server_trust != Trust::Trusted) continue;
      LoadedCert c = from_der(root.der, source + ":" + std::to_string(root.line));
      c.has_server_distrust_after = root.has_server_distrust_after;
      c.server_distrust_after = root.server_distrust_after;
      out.push_back(std::move(c));
      if (out.size() > TRUSTBUNDLE_MAX_SOURCE_CERTS)  // as for PEM below: a certdata source is one source
        throw Error(TRUSTBUNDLE_E_LIMIT, source + ": more than " + std::to_string(TRUSTBUNDLE_MAX_SOURCE_CERTS) +
                                             " certificates");
    }
    if (out.empty()) throw parse_error(source, "certdata.txt has no server-trusted root");
    return out;
  }
  if (looks_like_pem(bytes)) {
    for (const PemCertificate& pem : read_pem_certificates(bytes, source)) {
      out.push_back(from_der(pem.der, source + ":" + std::to_string(pem.line)));
      if (out.size() > TRUSTBUNDLE_MAX_SOURCE_CERTS)
        throw Error(TRUSTBUNDLE_E_LIMIT, source + ": more than " + std::to_string(TRUSTBUNDLE_MAX_SOURCE_CERTS) +
                                             " certificates");
    }
    if (out.empty()) throw parse_error(source, "PEM data holds no CERTIFICATE block");
    return out;
  }
  out.push_back(from_der(bytes, source));
  return out;
}

std::vector<LoadedCert> load_certs_from_path(const std::string& path) {
  if (path.empty()) throw invalid_argument("empty CA path");
  if (!is_directory(path)) return load_certs_from_bytes(read_file(path, TRUSTBUNDLE_MAX_INPUT_BYTES), path);
  std::vector<LoadedCert> out;
  for (const std::string& name : list_directory(path)) {
    if (!is_cert_file_name(name)) continue;
    const std::string file = path + "/" + name;
    struct stat st {};
    // Only regular files (after symlinks): a FIFO would block open() for
    // ever, a socket or device is no CA file; a dangling or looping link
    // falls through to read_file, which names it.
    if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) continue;
    for (LoadedCert& c : load_certs_from_bytes(read_file(file, TRUSTBUNDLE_MAX_INPUT_BYTES), file)) {
      out.push_back(std::move(c));
      if (out.size() > TRUSTBUNDLE_MAX_SOURCE_CERTS)
        throw Error(TRUSTBUNDLE_E_LIMIT, path + ": more than " + std::to_string(TRUSTBUNDLE_MAX_SOURCE_CERTS) +
                                             " certificates");
    }
  }
  if (out.empty()) throw parse_error(path, "directory holds no certificate file (*.pem, *.crt, *.cer, *.der)");
  return out;
}

std::vector<X509Ptr> decode_chain(const std::vector<std::string>& buffers, const std::string& source,
                                  size_t max_certs) {
  std::vector<X509Ptr> chain;
  for (size_t i = 0; i < buffers.size(); ++i) {
    const std::string where = source + " element " + std::to_string(i);
    check_size(buffers[i], where);
    if (buffers[i].empty()) throw parse_error(where, "empty certificate");
    if (looks_like_pem(buffers[i])) {
      std::vector<PemCertificate> pems = read_pem_certificates(buffers[i], where);
      if (pems.empty()) throw parse_error(where, "PEM data holds no CERTIFICATE block");
      for (const PemCertificate& pem : pems)
        chain.push_back(parse_der_cached(pem.der, where + " line " + std::to_string(pem.line)));
    } else {
      chain.push_back(parse_der_cached(buffers[i], where));
    }
    if (chain.size() > max_certs)
      throw Error(TRUSTBUNDLE_E_LIMIT, source + ": more than " + std::to_string(max_certs) + " certificates");
  }
  if (chain.empty()) throw parse_error(source, "no certificate given");
  return chain;
}

}  // namespace trustbundle
