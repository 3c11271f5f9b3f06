// trustbundle's raw Node-API addon: the C ABI, converted to JavaScript values.
//
// Conversion only. Every function maps to one or a few C ABI calls: it copies
// JavaScript strings and buffers into C++ buffers, calls the core, and turns a
// non-zero status into an Error carrying `status` (the number), `statusName`,
// `opensslCode` and, for store sources, `sourceIndex`. The idiomatic API
// (typed errors, argument normalisation, TLS contexts) is index.js.
//
// This file includes only trustbundle/trustbundle.h: no OpenSSL header, no
// OpenSSL call. (How the core gets OpenSSL inside Node is in README.md.)
//
// Off the main thread: verify() is a Napi::AsyncWorker. The inputs are copied
// before it is queued, the store is held by a shared_ptr, and the worker
// touches no JavaScript value until OnWorkComplete, on the thread of its own
// environment (main thread or worker_threads Worker alike).
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "trustbundle/trustbundle.h"

// src/sent_chain.cpp: the TLS chain as the server sent it (it needs OpenSSL's headers).
void register_sent_chain(Napi::Env env, Napi::Object exports);

namespace {

using StorePtr = std::shared_ptr<trustbundle_store>;

constexpr size_t kPathCap = 4096;

const unsigned char* ubytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// ----------------------------------------------------------------- errors

Napi::Error status_error(Napi::Env env, int status, const trustbundle_error& err, int source_index = -1) {
  std::string message = err.message[0] != '\0' ? err.message : trustbundle_status_name(status);
  Napi::Error e = Napi::Error::New(env, message);
  Napi::Object o = e.Value();
  o.Set("status", Napi::Number::New(env, status));
  o.Set("statusName", Napi::String::New(env, trustbundle_status_name(status)));
  o.Set("opensslCode", Napi::Number::New(env, static_cast<double>(err.openssl_code)));
  if (source_index >= 0) o.Set("sourceIndex", Napi::Number::New(env, source_index));
  return e;
}

void check(Napi::Env env, int status, const trustbundle_error& err) {
  if (status != TRUSTBUNDLE_OK) throw status_error(env, status, err);
}

[[noreturn]] void type_error(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

// -------------------------------------------------------------- arguments

// Bytes from a Buffer / Uint8Array (copied) or a string (UTF-8).
std::string bytes_of(Napi::Env env, const Napi::Value& v, const char* what) {
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() != napi_uint8_array) type_error(env, std::string(what) + ": expected a Uint8Array");
    Napi::Uint8Array u8 = v.As<Napi::Uint8Array>();
    return std::string(reinterpret_cast<const char*>(u8.Data()), u8.ByteLength());
  }
  if (v.IsString()) return v.As<Napi::String>().Utf8Value();
  type_error(env, std::string(what) + ": expected a Buffer, Uint8Array or string");
}

// A string for the C ABI: an embedded NUL would cut it short there (a host
// "a.example\0.evil" checked as "a.example"), so it is refused as Node
// refuses one in a path (ERR_INVALID_ARG_VALUE).
std::string string_of(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsString()) type_error(env, std::string(what) + ": expected a string");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    Napi::Error e = Napi::TypeError::New(env, std::string(what) + ": must be a string without null bytes");
    e.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_VALUE"));
    throw e;
  }
  return s;
}

bool is_absent(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

// Unix seconds from a JavaScript number (an integer inside +-2^53).
int64_t seconds_of(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) type_error(env, std::string(what) + ": expected a number of seconds");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9007199254740991.0)
    throw Napi::RangeError::New(env, std::string(what) + ": not an integer number of seconds");
  return static_cast<int64_t>(d);
}

Napi::Value seconds_value(Napi::Env env, int64_t s) { return Napi::Number::New(env, static_cast<double>(s)); }

Napi::Buffer<unsigned char> buffer_copy(Napi::Env env, const unsigned char* data, size_t len) {
  return Napi::Buffer<unsigned char>::Copy(env, data, len);
}

// --------------------------------------------------------------- the store

// What a store is made of, copied out of JavaScript values so it can be
// built on any thread.
struct StoreSpec {
  struct Source {
    bool is_path = false;
    std::string value;  // a path, or PEM/DER/certdata bytes
    std::string name;   // names a data source in error messages ("" = the core's default)
  };
  bool mozilla = true;
  bool env = false;
  std::vector<Source> sources;
};

// spec: {mozilla: boolean, env: boolean, sources: [{path} | {data, name}]}
StoreSpec store_spec_of(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject()) type_error(env, "store spec: expected an object");
  Napi::Object o = v.As<Napi::Object>();
  StoreSpec spec;
  spec.mozilla = o.Get("mozilla").ToBoolean().Value();
  spec.env = o.Get("env").ToBoolean().Value();
  Napi::Value list = o.Get("sources");
  if (!is_absent(list)) {
    if (!list.IsArray()) type_error(env, "store spec: sources must be an array");
    Napi::Array arr = list.As<Napi::Array>();
    for (uint32_t i = 0; i < arr.Length(); ++i) {
      Napi::Value item = arr.Get(i);
      if (!item.IsObject()) type_error(env, "store spec: each source must be an object");
      Napi::Object s = item.As<Napi::Object>();
      StoreSpec::Source src;
      Napi::Value path = s.Get("path");
      if (!is_absent(path)) {
        src.is_path = true;
        src.value = string_of(env, path, "source path");
      } else {
        src.value = bytes_of(env, s.Get("data"), "source data");
        Napi::Value name = s.Get("name");
        if (!is_absent(name)) src.name = string_of(env, name, "source name");
      }
      spec.sources.push_back(std::move(src));
    }
  }
  return spec;
}

// Builds a store; on failure returns the status and sets *failed_source to
// the index of the source that failed (-1 when none did).
int build_store(const StoreSpec& spec, StorePtr& out, trustbundle_error& err, int& failed_source) {
  failed_source = -1;
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  options.mozilla = spec.mozilla ? 1 : 0;
  options.env = spec.env ? 1 : 0;
  options.system = 0;
  trustbundle_store_builder* builder = nullptr;
  int rc = trustbundle_store_builder_new(&builder, &options, &err);
  for (size_t i = 0; rc == TRUSTBUNDLE_OK && i < spec.sources.size(); ++i) {
    const StoreSpec::Source& s = spec.sources[i];
    if (s.is_path)
      rc = trustbundle_store_builder_add_path(builder, s.value.c_str(), &err);
    else
      rc = trustbundle_store_builder_add_data(builder, ubytes(s.value), s.value.size(),
                                              s.name.empty() ? nullptr : s.name.c_str(), &err);
    if (rc != TRUSTBUNDLE_OK) failed_source = static_cast<int>(i);
  }
  trustbundle_store* built = nullptr;
  if (rc == TRUSTBUNDLE_OK) rc = trustbundle_store_build(&built, builder, &err);
  trustbundle_store_builder_free(builder);
  if (rc == TRUSTBUNDLE_OK) out = StorePtr(built, trustbundle_store_free);
  return rc;
}

// A store handed to JavaScript: an External owning a shared_ptr, freed by
// the garbage collector; an in-flight verify() holds its own reference.
Napi::Value store_new(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StoreSpec spec = store_spec_of(env, info[0]);
  StorePtr store;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int failed = -1;
  int rc = build_store(spec, store, err, failed);
  if (rc != TRUSTBUNDLE_OK) throw status_error(env, rc, err, failed);
  return Napi::External<StorePtr>::New(env, new StorePtr(std::move(store)),
                                       [](Napi::Env, StorePtr* p) { delete p; });
}

const StorePtr& store_of(Napi::Env env, const Napi::Value& v) {
  if (!v.IsExternal()) type_error(env, "store: expected a native store handle");
  StorePtr* p = v.As<Napi::External<StorePtr>>().Data();
  if (p == nullptr || !*p) type_error(env, "store: an empty handle");
  return *p;
}

Napi::Value store_extra_count(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(trustbundle_store_extra_count(store_of(info.Env(), info[0]).get())));
}

Napi::Value store_extra_pem(const Napi::CallbackInfo& info) {
  size_t len = 0;
  const char* pem = trustbundle_store_extra_pem(store_of(info.Env(), info[0]).get(), &len);
  return Napi::String::New(info.Env(), pem == nullptr ? "" : pem, pem == nullptr ? 0 : len);
}

// ------------------------------------------------------------------ verify

struct VerifyInput {
  std::string packed;           // the chain, certificates back to back
  std::vector<size_t> lengths;  // their sizes
  bool has_host = false;
  std::string host;
  bool has_time = false;
  int64_t time = 0;
  int purpose = TRUSTBUNDLE_PURPOSE_SERVER;
};

// chain: an array of Buffers/strings (PEM or DER each; one item may hold a
// whole PEM chain). opts: {host?: string, at?: seconds, purpose?: 0|1}.
VerifyInput verify_input_of(Napi::Env env, const Napi::Value& chain, const Napi::Value& opts) {
  VerifyInput in;
  if (!chain.IsArray()) type_error(env, "chain: expected an array");
  Napi::Array arr = chain.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    std::string one = bytes_of(env, arr.Get(i), "chain element");
    in.lengths.push_back(one.size());
    in.packed += one;
  }
  if (!is_absent(opts)) {
    if (!opts.IsObject()) type_error(env, "options: expected an object");
    Napi::Object o = opts.As<Napi::Object>();
    Napi::Value host = o.Get("host");
    if (!is_absent(host)) {
      in.host = string_of(env, host, "host");
      in.has_host = true;
    }
    Napi::Value at = o.Get("at");
    if (!is_absent(at)) {
      in.time = seconds_of(env, at, "at");
      in.has_time = true;
    }
    Napi::Value purpose = o.Get("purpose");
    if (!is_absent(purpose)) in.purpose = static_cast<int>(seconds_of(env, purpose, "purpose"));
  }
  return in;
}

int run_verify(const trustbundle_store* store, const VerifyInput& in, trustbundle_result** out, trustbundle_error& err) {
  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  options.host = in.has_host ? in.host.c_str() : nullptr;
  options.has_time = in.has_time ? 1 : 0;
  options.time = in.time;
  options.purpose = in.purpose;
  // An empty chain reaches the core as count 0, which it rejects by name.
  static const size_t kNoLength = 0;
  const size_t* lengths = in.lengths.empty() ? &kNoLength : in.lengths.data();
  return trustbundle_verify(out, store, ubytes(in.packed), lengths, in.lengths.size(), &options, &err);
}

// {ok, reason, reasonName, depth, opensslCode, message, hint, chain: Buffer[]}
Napi::Object result_object(Napi::Env env, const trustbundle_result* r) {
  Napi::Object o = Napi::Object::New(env);
  const int reason = trustbundle_result_reason(r);
  o.Set("ok", Napi::Boolean::New(env, trustbundle_result_ok(r) == 1));
  o.Set("reason", Napi::Number::New(env, reason));
  o.Set("reasonName", Napi::String::New(env, trustbundle_reason_name(reason)));
  o.Set("depth", Napi::Number::New(env, trustbundle_result_depth(r)));
  o.Set("opensslCode", Napi::Number::New(env, static_cast<double>(trustbundle_result_openssl_code(r))));
  o.Set("message", Napi::String::New(env, trustbundle_result_message(r)));
  o.Set("hint", Napi::String::New(env, trustbundle_result_hint(r)));
  const size_t n = trustbundle_result_chain_count(r);
  Napi::Array chain = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) {
    size_t len = 0;
    const unsigned char* der = trustbundle_result_chain_der(r, i, &len);
    chain.Set(static_cast<uint32_t>(i), buffer_copy(env, der, der == nullptr ? 0 : len));
  }
  o.Set("chain", chain);
  return o;
}

struct ResultDeleter {
  void operator()(trustbundle_result* r) const { trustbundle_result_free(r); }
};
using ResultPtr = std::unique_ptr<trustbundle_result, ResultDeleter>;

// verifySync(storeOrNull, specOrNull, chain, opts) -> result. Without a store
// handle, a store is built from the spec for this one call and freed at once.
Napi::Value verify_sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StorePtr store;
  if (!is_absent(info[0])) {
    store = store_of(env, info[0]);
  } else {
    StoreSpec spec = store_spec_of(env, info[1]);
    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    int failed = -1;
    int rc = build_store(spec, store, err, failed);
    if (rc != TRUSTBUNDLE_OK) throw status_error(env, rc, err, failed);
  }
  VerifyInput in = verify_input_of(env, info[2], info[3]);
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  trustbundle_result* raw = nullptr;
  int rc = run_verify(store.get(), in, &raw, err);
  ResultPtr result(raw);
  check(env, rc, err);
  return result_object(env, result.get());
}

// Builds the store (when given a spec) and verifies, on a libuv pool thread.
class VerifyWorker : public Napi::AsyncWorker {
 public:
  VerifyWorker(Napi::Env env, StorePtr store, std::unique_ptr<StoreSpec> spec, VerifyInput input)
      : Napi::AsyncWorker(env, "trustbundle.verify"),
        deferred_(Napi::Promise::Deferred::New(env)),
        store_(std::move(store)),
        spec_(std::move(spec)),
        input_(std::move(input)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    if (!store_) {
      status_ = build_store(*spec_, store_, err_, failed_source_);
      if (status_ != TRUSTBUNDLE_OK) return;
    }
    trustbundle_result* raw = nullptr;
    status_ = run_verify(store_.get(), input_, &raw, err_);
    result_.reset(raw);
  }

  // Back on the thread of the environment that queued it. When that
  // environment is being torn down (a Worker terminated with verifications
  // in flight) Node still completes the work, but JavaScript can no longer
  // run: the calls below then fail, nobody is waiting for the promise, and
  // the failure is dropped here instead of escaping as a C++ exception.
  void OnWorkComplete(Napi::Env env, napi_status status) override {
    if (status != napi_cancelled) {
      try {
        Napi::HandleScope scope(env);
        if (status_ != TRUSTBUNDLE_OK)
          deferred_.Reject(status_error(env, status_, err_, failed_source_).Value());
        else
          deferred_.Resolve(result_object(env, result_.get()));
      } catch (const Napi::Error&) {
        // the environment is going away
      }
    }
    Destroy();
  }

 private:
  Napi::Promise::Deferred deferred_;
  StorePtr store_;
  std::unique_ptr<StoreSpec> spec_;
  VerifyInput input_;
  int status_ = TRUSTBUNDLE_OK;
  int failed_source_ = -1;
  trustbundle_error err_ = TRUSTBUNDLE_ERROR_INIT;
  ResultPtr result_;
};

// verify(storeOrNull, specOrNull, chain, opts) -> Promise<result>
Napi::Value verify_async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StorePtr store;
  std::unique_ptr<StoreSpec> spec;
  if (!is_absent(info[0]))
    store = store_of(env, info[0]);
  else
    spec = std::make_unique<StoreSpec>(store_spec_of(env, info[1]));
  VerifyInput in = verify_input_of(env, info[2], info[3]);
  auto* worker = new VerifyWorker(env, std::move(store), std::move(spec), std::move(in));
  Napi::Promise promise = worker->Promise();
  worker->Queue();  // it deletes itself once complete
  return promise;
}

// ------------------------------------------------------------- key pairs

// checkKeyPair(cert, key, passphrase|null, atSeconds|null)
//   -> {match, clientAuth, valid, notBefore, notAfter}
Napi::Value check_key_pair(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string cert = bytes_of(env, info[0], "cert");
  std::string key = bytes_of(env, info[1], "key");
  const bool has_pass = !is_absent(info[2]);
  std::string pass = has_pass ? string_of(env, info[2], "passphrase") : std::string();
  const bool has_time = !is_absent(info[3]);
  const int64_t at = has_time ? seconds_of(env, info[3], "at") : 0;
  trustbundle_key_check out = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  check(env, trustbundle_check_key_pair(&out, ubytes(cert), cert.size(), ubytes(key), key.size(),
                                        has_pass ? pass.c_str() : nullptr, has_time ? 1 : 0, at, &err),
        err);
  Napi::Object o = Napi::Object::New(env);
  o.Set("match", Napi::Boolean::New(env, out.match != 0));
  o.Set("clientAuth", Napi::Boolean::New(env, out.client_auth != 0));
  o.Set("valid", Napi::Boolean::New(env, out.valid != 0));
  o.Set("notBefore", seconds_value(env, out.not_before));
  o.Set("notAfter", seconds_value(env, out.not_after));
  return o;
}

// ------------------------------------------------------------ the bundle

Napi::Object root_object(Napi::Env env, const trustbundle_root_info& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("label", Napi::String::New(env, r.label));
  o.Set("sha256", Napi::String::New(env, r.sha256_hex));
  o.Set("sha1", Napi::String::New(env, r.sha1_hex));
  o.Set("subject", Napi::String::New(env, r.subject));
  o.Set("issuer", Napi::String::New(env, r.issuer));
  o.Set("serial", Napi::String::New(env, r.serial));
  o.Set("notBefore", seconds_value(env, r.not_before));
  o.Set("notAfter", seconds_value(env, r.not_after));
  o.Set("serverTrust", Napi::Number::New(env, r.server_trust));
  o.Set("emailTrust", Napi::Number::New(env, r.email_trust));
  o.Set("serverDistrustAfter",
        r.has_server_distrust_after ? seconds_value(env, r.server_distrust_after) : env.Null());
  o.Set("der", buffer_copy(env, r.der, r.der_len));
  return o;
}

Napi::Value roots(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t n = trustbundle_root_count();
  Napi::Array out = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) {
    trustbundle_root_info r = TRUSTBUNDLE_ROOT_INFO_INIT;
    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    check(env, trustbundle_root_get(&r, i, &err), err);
    out.Set(static_cast<uint32_t>(i), root_object(env, r));
  }
  return out;
}

Napi::Value bundle_pem(const Napi::CallbackInfo& info) {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  if (pem == nullptr) throw Napi::Error::New(info.Env(), "out of memory");
  return Napi::String::New(info.Env(), pem, len);
}

Napi::Value bundle_age_days(const Napi::CallbackInfo& info) {
  return seconds_value(info.Env(), trustbundle_bundle_age_days(seconds_of(info.Env(), info[0], "at")));
}

Napi::Value time_parse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string text = string_of(env, info[0], "time");
  int64_t seconds = 0;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  check(env, trustbundle_time_parse(&seconds, text.c_str(), &err), err);
  return seconds_value(env, seconds);
}

template <int (*Fn)(char*, size_t, const char*, trustbundle_error*)>
Napi::Value path_call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool has_dir = !is_absent(info[0]);
  std::string dir = has_dir ? string_of(env, info[0], "dir") : std::string();
  char path[kPathCap] = {0};
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  check(env, Fn(path, sizeof path, has_dir ? dir.c_str() : nullptr, &err), err);
  return Napi::String::New(env, path);
}

Napi::Value name_of(const Napi::CallbackInfo& info, const char* (*fn)(int)) {
  return Napi::String::New(info.Env(), fn(static_cast<int>(seconds_of(info.Env(), info[0], "code"))));
}

// The command-line tool (bin/trustbundle.js): an array of strings, argv[0]
// the program's name, in; the exit code out. The core writes to file
// descriptors 1 and 2 itself.
Napi::Value cli_main(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) type_error(env, "argv: expected an array of strings");
  Napi::Array items = info[0].As<Napi::Array>();
  std::vector<std::string> words;
  for (uint32_t i = 0; i < items.Length(); ++i) {
    words.push_back(string_of(env, items.Get(i), "argv"));
    if (words.back().find('\0') != std::string::npos) type_error(env, "argv: a string contains a NUL character");
  }
  std::vector<const char*> pointers;
  for (const std::string& word : words) pointers.push_back(word.c_str());
  return Napi::Number::New(env, trustbundle_cli_main(static_cast<int>(pointers.size()), pointers.data()));
}

// ----------------------------------------------------------------- doctor

struct ProbeDeleter {
  void operator()(trustbundle_probe* p) const { trustbundle_probe_free(p); }
};
using ProbePtr = std::unique_ptr<trustbundle_probe, ProbeDeleter>;

// What a probe needs, copied out of JavaScript values.
struct ProbeInput {
  std::string target;
  std::string servername;  // "" = the target's host
  int timeout_ms = 0;
  bool has_cert = false;
  std::string cert, key;
  bool has_passphrase = false;
  std::string passphrase;
};

// {verdict, failure, failureName, reason, reasonName, message, hint, protocol,
//  cipher, clientCertRequested, chain: [...], findings: [...], fixClient,
//  fixServer, json, text}
Napi::Object probe_object(Napi::Env env, const trustbundle_probe* p) {
  Napi::Object o = Napi::Object::New(env);
  const int failure = trustbundle_probe_failure(p);
  const int reason = trustbundle_probe_reason(p);
  o.Set("verdict", Napi::Number::New(env, trustbundle_probe_verdict(p)));
  o.Set("failure", Napi::Number::New(env, failure));
  o.Set("failureName", Napi::String::New(env, trustbundle_failure_name(failure)));
  o.Set("reason", Napi::Number::New(env, reason));
  o.Set("reasonName", Napi::String::New(env, trustbundle_reason_name(reason)));
  o.Set("message", Napi::String::New(env, trustbundle_probe_message(p)));
  o.Set("hint", Napi::String::New(env, trustbundle_probe_hint(p)));
  o.Set("protocol", Napi::String::New(env, trustbundle_probe_protocol(p)));
  o.Set("cipher", Napi::String::New(env, trustbundle_probe_cipher(p)));
  o.Set("clientCertRequested", Napi::Boolean::New(env, trustbundle_probe_client_cert_requested(p) == 1));
  Napi::Array chain = Napi::Array::New(env);
  for (size_t i = 0; i < trustbundle_probe_cert_count(p); ++i) {
    trustbundle_probe_cert c = TRUSTBUNDLE_PROBE_CERT_INIT;
    if (trustbundle_probe_cert_get(&c, p, i, nullptr) != TRUSTBUNDLE_OK) continue;
    Napi::Object cert = Napi::Object::New(env);
    cert.Set("subject", Napi::String::New(env, c.subject));
    cert.Set("issuer", Napi::String::New(env, c.issuer));
    cert.Set("notBefore", seconds_value(env, c.not_before));
    cert.Set("notAfter", seconds_value(env, c.not_after));
    cert.Set("keyType", Napi::String::New(env, c.key_type));
    cert.Set("keyBits", Napi::Number::New(env, c.key_bits));
    cert.Set("sha256", Napi::String::New(env, c.sha256_hex));
    cert.Set("der", buffer_copy(env, c.der, c.der_len));
    chain.Set(chain.Length(), cert);
  }
  o.Set("chain", chain);
  Napi::Array findings = Napi::Array::New(env);
  for (size_t i = 0; i < trustbundle_probe_finding_count(p); ++i) {
    trustbundle_finding f = TRUSTBUNDLE_FINDING_INIT;
    if (trustbundle_probe_finding_get(&f, p, i, nullptr) != TRUSTBUNDLE_OK) continue;
    Napi::Object finding = Napi::Object::New(env);
    finding.Set("code", Napi::String::New(env, f.name));
    finding.Set("severity", Napi::Number::New(env, f.severity));
    finding.Set("index", Napi::Number::New(env, f.index));
    finding.Set("message", Napi::String::New(env, f.message));
    finding.Set("fixClient", Napi::String::New(env, f.fix_client));
    finding.Set("fixServer", Napi::String::New(env, f.fix_server));
    findings.Set(findings.Length(), finding);
  }
  o.Set("findings", findings);
  o.Set("fixClient", Napi::String::New(env, trustbundle_probe_fix_client(p)));
  o.Set("fixServer", Napi::String::New(env, trustbundle_probe_fix_server(p)));
  o.Set("json", Napi::String::New(env, trustbundle_probe_json(p)));
  o.Set("text", Napi::String::New(env, trustbundle_probe_text(p)));
  return o;
}

// Builds the store and probes, on a libuv pool thread (the probe blocks for
// up to its timeout).
class ProbeWorker : public Napi::AsyncWorker {
 public:
  ProbeWorker(Napi::Env env, std::unique_ptr<StoreSpec> spec, ProbeInput input)
      : Napi::AsyncWorker(env, "trustbundle.diagnose"),
        deferred_(Napi::Promise::Deferred::New(env)),
        spec_(std::move(spec)),
        input_(std::move(input)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    StorePtr store;
    status_ = build_store(*spec_, store, err_, failed_source_);
    if (status_ != TRUSTBUNDLE_OK) return;
    trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
    options.language = TRUSTBUNDLE_LANGUAGE_NODE;
    options.servername = input_.servername.empty() ? nullptr : input_.servername.c_str();
    options.timeout_ms = input_.timeout_ms;
    if (input_.has_cert) {
      options.client_cert = ubytes(input_.cert);
      options.client_cert_len = input_.cert.size();
      options.client_key = ubytes(input_.key);
      options.client_key_len = input_.key.size();
    }
    options.client_key_passphrase = input_.has_passphrase ? input_.passphrase.c_str() : nullptr;
    trustbundle_probe* raw = nullptr;
    status_ = trustbundle_probe_new(&raw, store.get(), input_.target.c_str(), &options, &err_);
    probe_.reset(raw);
  }

  void OnWorkComplete(Napi::Env env, napi_status status) override {
    if (status != napi_cancelled) {
      try {
        Napi::HandleScope scope(env);
        if (status_ != TRUSTBUNDLE_OK)
          deferred_.Reject(status_error(env, status_, err_, failed_source_).Value());
        else
          deferred_.Resolve(probe_object(env, probe_.get()));
      } catch (const Napi::Error&) {
        // the environment is going away
      }
    }
    Destroy();
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::unique_ptr<StoreSpec> spec_;
  ProbeInput input_;
  int status_ = TRUSTBUNDLE_OK;
  int failed_source_ = -1;
  trustbundle_error err_ = TRUSTBUNDLE_ERROR_INIT;
  ProbePtr probe_;
};

// probe(spec, target, {servername, timeoutMs, cert, key, passphrase}) -> Promise<probe object>
Napi::Value probe_async(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto spec = std::make_unique<StoreSpec>(store_spec_of(env, info[0]));
  ProbeInput in;
  in.target = string_of(env, info[1], "target");
  if (!info[2].IsObject()) type_error(env, "probe options: expected an object");
  Napi::Object o = info[2].As<Napi::Object>();
  if (!is_absent(o.Get("servername"))) in.servername = string_of(env, o.Get("servername"), "servername");
  in.timeout_ms = static_cast<int>(seconds_of(env, o.Get("timeoutMs"), "timeout"));
  if (!is_absent(o.Get("cert"))) {
    in.has_cert = true;
    in.cert = bytes_of(env, o.Get("cert"), "cert");
    in.key = bytes_of(env, o.Get("key"), "key");
  }
  if (!is_absent(o.Get("passphrase"))) {
    in.has_passphrase = true;
    in.passphrase = string_of(env, o.Get("passphrase"), "passphrase");
  }
  auto* worker = new ProbeWorker(env, std::move(spec), std::move(in));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// ----------------------------------------------------------------- module

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto fn = [&](const char* name, Napi::Function::Callback cb) {
    exports.Set(name, Napi::Function::New(env, cb, name));
  };
  auto str = [&](const char* name, const char* value) { exports.Set(name, Napi::String::New(env, value)); };
  auto num = [&](const char* name, double value) { exports.Set(name, Napi::Number::New(env, value)); };

  str("version", trustbundle_version());
  num("versionNumber", trustbundle_version_number());
  str("headerVersion", TRUSTBUNDLE_VERSION_STRING);
  str("bundleVersion", trustbundle_bundle_version());
  str("bundleNssVersion", trustbundle_bundle_nss_version());
  num("bundleAsOf", static_cast<double>(trustbundle_bundle_as_of()));
  num("rootCount", static_cast<double>(trustbundle_root_count()));
  num("PURPOSE_SERVER", TRUSTBUNDLE_PURPOSE_SERVER);
  num("PURPOSE_CLIENT", TRUSTBUNDLE_PURPOSE_CLIENT);
  num("MAX_INPUT_BYTES", TRUSTBUNDLE_MAX_INPUT_BYTES);
  num("MAX_CHAIN_CERTS", TRUSTBUNDLE_MAX_CHAIN_CERTS);

  fn("roots", roots);
  fn("bundlePem", bundle_pem);
  fn("bundleAgeDays", bundle_age_days);
  fn("timeParse", time_parse);
  fn("materialize", path_call<trustbundle_materialize>);
  fn("capathExport", path_call<trustbundle_capath_export>);
  fn("statusName", [](const Napi::CallbackInfo& info) { return name_of(info, trustbundle_status_name); });
  fn("reasonName", [](const Napi::CallbackInfo& info) { return name_of(info, trustbundle_reason_name); });
  fn("checkKeyPair", check_key_pair);
  fn("storeNew", store_new);
  fn("storeExtraCount", store_extra_count);
  fn("storeExtraPem", store_extra_pem);
  fn("verifySync", verify_sync);
  fn("verify", verify_async);
  fn("cliMain", cli_main);
  fn("probe", probe_async);
  register_sent_chain(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(trustbundle, Init)
