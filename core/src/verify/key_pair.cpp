#include "verify/key_pair.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "base/cert_info.h"
#include "verify/cert_source.h"
#include "base/errors.h"
#include "base/time_util.h"
#include "trustbundle/trustbundle.h"

namespace trustbundle {
namespace {

// OpenSSL's default would prompt on the terminal; we answer from memory.
int passphrase_callback(char* buf, int size, int, void* userdata) {
  const char* pass = static_cast<const char*>(userdata);
  if (pass == nullptr) return -1;
  int len = static_cast<int>(std::strlen(pass));
  if (len > size) return -1;
  std::memcpy(buf, pass, static_cast<size_t>(len));
  return len;
}

bool looks_encrypted(const std::string& key) {
  return key.find("ENCRYPTED") != std::string::npos;
}

// True if the first PEM block is whole (BEGIN, base64, END) and, for PKCS#8
// "ENCRYPTED PRIVATE KEY", its DER is a complete EncryptedPrivateKeyInfo:
// then a failure to read the key can only be the passphrase.
bool pem_block_intact(const std::string& key) {
  BioPtr bio(BIO_new_mem_buf(key.data(), static_cast<int>(key.size())));
  if (!bio) return false;
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  bool intact = PEM_read_bio(bio.get(), &name, &header, &data, &len) == 1;
  if (intact && std::strcmp(name, PEM_STRING_PKCS8) == 0) {
    const unsigned char* p = data;
    X509_SIG* sig = d2i_X509_SIG(nullptr, &p, len);
    intact = sig != nullptr && p == data + len;
    X509_SIG_free(sig);
  }
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  ERR_clear_error();
  return intact;
}



}  // namespace

EvpPkeyPtr read_private_key(const std::string& key, const char* passphrase) {
  if (key.size() > TRUSTBUNDLE_MAX_INPUT_BYTES) throw Error(TRUSTBUNDLE_E_LIMIT, "private key is over the input limit");
  if (key.empty()) throw parse_error("private key", "empty input");
  void* pass = const_cast<char*>(passphrase);
  BioPtr bio(BIO_new_mem_buf(key.data(), static_cast<int>(key.size())));
  if (!bio) throw Error(TRUSTBUNDLE_E_INTERNAL, "out of memory");
  EvpPkeyPtr pkey;
  bool pem = key.find("-----BEGIN") != std::string::npos;
  if (pem) {
    pkey.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback, pass));
  } else {
    pkey.reset(d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, passphrase_callback, pass));
    if (!pkey) {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(key.data());
      pkey.reset(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(key.size())));
    }
  }
  ERR_clear_error();
  if (pkey) return pkey;
  if (pem && looks_encrypted(key) && !pem_block_intact(key))
    throw parse_error("private key", "the encrypted PEM block is truncated or damaged");
  if (pem && looks_encrypted(key))
    throw Error(TRUSTBUNDLE_E_PASSPHRASE, passphrase == nullptr ? "the private key is encrypted: a passphrase is needed"
                                                                : "the passphrase does not decrypt the private key");
  throw parse_error("private key", "not a PEM or DER private key");
}

KeyPairCheck check_key_pair(const std::string& cert, const std::string& key, const char* passphrase, int64_t at) {
  std::vector<X509Ptr> certs = decode_chain({cert}, "client certificate");
  X509* x = certs.front().get();
  EvpPkeyPtr pkey = read_private_key(key, passphrase);
  KeyPairCheck out;
  EVP_PKEY* pub = X509_get0_pubkey(x);
  out.match = pub != nullptr && EVP_PKEY_eq(pub, pkey.get()) == 1;
  out.client_auth = X509_check_purpose(x, X509_PURPOSE_SSL_CLIENT, 0) == 1;
  out.not_before = asn1_time_seconds_or_zero(X509_get0_notBefore(x));
  out.not_after = asn1_time_seconds_or_zero(X509_get0_notAfter(x));
  out.valid = out.not_before <= at && at <= out.not_after;
  ERR_clear_error();
  return out;
}

}  // namespace trustbundle
