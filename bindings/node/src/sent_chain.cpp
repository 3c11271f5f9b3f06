// The chain a TLS server sent, as it sent it, for lib/connect.js.
//
// Why: Node 20's tlsSocket.getPeerCertificate(true) links the certificates by
// issuer and stops early when an issuer is the last one left in its list, so
// a server that sends its intermediates out of order loses some of them (and
// the core would judge a shorter chain than the one sent). OpenSSL has the
// chain intact while it handshakes; this records it.
//
// How: recordSentChains(address, timeout) installs a certificate-verify
// callback on the SSL_CTX at address (Node's SecureContext gives it as a V8
// External, context._external, whose value JS reads as a BigInt: Node-API
// cannot unwrap an External it did not create); timeout is the context's
// session timeout, checked first. The context is one that lib/connect.js owns (its
// handshake context, never handed to a plain tls.connect). OpenSSL calls it
// with the peer's chain as received; it stores the DERs by the leaf's DER and
// returns success: the verdict is not OpenSSL's but the core's, given in JS
// before any data is written. sentChain(leafDer) gives the chain most
// recently received with that leaf (kept, not consumed: connections to the
// same server may be checked in any order; two servers sending the same leaf
// with different chains at the same moment can only swap chains that both
// end in that leaf, which the core then judges). Conversion only: no
// verification here.
#include <napi.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr size_t kMaxRecorded = 256;  // handshakes between the callback and the JS check

std::mutex recorded_mutex;
// Most recent last: (leaf DER, chain DERs leaf first).
std::list<std::pair<std::string, std::vector<std::string>>> recorded;

std::string der_of(X509* cert) {
  int len = i2d_X509(cert, nullptr);
  if (len <= 0) return {};
  std::string out(static_cast<size_t>(len), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d_X509(cert, &p) != len) return {};
  return out;
}

int record_chain(X509_STORE_CTX* ctx, void*) {
  STACK_OF(X509)* sent = X509_STORE_CTX_get0_untrusted(ctx);  // leaf first, in the order received
  X509* leaf = X509_STORE_CTX_get0_cert(ctx);
  if (sent == nullptr || leaf == nullptr) return 1;  // nothing recorded: JS falls back, and may reject
  std::vector<std::string> chain;
  for (int i = 0; i < sk_X509_num(sent); ++i) chain.push_back(der_of(sk_X509_value(sent, i)));
  std::string key = der_of(leaf);
  std::lock_guard<std::mutex> lock(recorded_mutex);
  for (auto it = recorded.begin(); it != recorded.end(); ++it) {
    if (it->first == key) {
      recorded.erase(it);
      break;
    }
  }
  recorded.emplace_back(std::move(key), std::move(chain));
  if (recorded.size() > kMaxRecorded) recorded.pop_front();
  return 1;
}

Napi::Value record_sent_chains(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBigInt() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "recordSentChains: expected (address: bigint, timeout: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#ifndef TB_OPENSSL_IS_NODES
  // Built against another OpenSSL than the one inside node (mode "shared"):
  // Node's SSL_CTX is not this OpenSSL's to touch. JS falls back.
  return Napi::Boolean::New(env, false);
#endif
  bool lossless = false;
  uint64_t address = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless || address == 0) return Napi::Boolean::New(env, false);
  auto* ctx = reinterpret_cast<SSL_CTX*>(static_cast<uintptr_t>(address));
  if (SSL_CTX_get_timeout(ctx) != static_cast<long>(info[1].As<Napi::Number>().Int64Value())) {
    return Napi::Boolean::New(env, false);
  }
  SSL_CTX_set_cert_verify_callback(ctx, record_chain, nullptr);
  return Napi::Boolean::New(env, true);
}

Napi::Value sent_chain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer()) {
    Napi::TypeError::New(env, "sentChain: expected the leaf's DER").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto leaf = info[0].As<Napi::Buffer<char>>();
  std::string key(leaf.Data(), leaf.Length());
  std::vector<std::string> chain;
  {
    std::lock_guard<std::mutex> lock(recorded_mutex);
    for (auto it = recorded.rbegin(); it != recorded.rend(); ++it) {
      if (it->first == key) {
        chain = it->second;
        break;
      }
    }
  }
  if (chain.empty()) return env.Null();
  Napi::Array out = Napi::Array::New(env, chain.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    out.Set(static_cast<uint32_t>(i), Napi::Buffer<char>::Copy(env, chain[i].data(), chain[i].size()));
  }
  return out;
}

}  // namespace

void register_sent_chain(Napi::Env env, Napi::Object exports) {
  exports.Set("recordSentChains", Napi::Function::New(env, record_sent_chains, "recordSentChains"));
  exports.Set("sentChain", Napi::Function::New(env, sent_chain, "sentChain"));
}
