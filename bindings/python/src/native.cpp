// trustbundle._native: the raw Python binding of the C ABI.
//
// Conversion only: every function maps to one or a few C ABI calls, copies
// Python objects into C++ buffers, and turns a non-zero status into
// trustbundle._native.Error(status, status_name, message, openssl_code).
// The idiomatic API (typed exceptions, argument normalisation, ssl
// integration) lives in the pure-Python package around it.
//
// The GIL is released around everything that does real work: building a
// store (it reads files), verifying, probing an endpoint (network, bounded by
// its timeout), key checks, writing files, and the command-line tool.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trustbundle/trustbundle.h"

namespace py = pybind11;

namespace {

// The module's exception type; a strong reference kept for the process.
PyObject* g_error_type = nullptr;

struct Failure {
  int status;
  std::string message;
  long openssl_code;
};

[[noreturn]] void fail(int status, const trustbundle_error& err) {
  throw Failure{status, err.message, err.openssl_code};
}

void check(int status, const trustbundle_error& err) {
  if (status != TRUSTBUNDLE_OK) fail(status, err);
}

std::string to_string(const py::bytes& b) { return static_cast<std::string>(b); }

// A string for the C ABI: an embedded NUL would cut it short there (a host
// "a.example\0.evil" checked as "a.example"), so it is refused here, as
// Python refuses it in a file name.
const char* c_str(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) throw py::value_error(std::string(what) + ": embedded null character");
  return s.c_str();
}

const unsigned char* ubytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

constexpr size_t kPathCap = 4096;

// A path (bytes from os.fsencode) or NULL.
std::string path_result(const char* buf) { return std::string(buf); }

py::tuple root_tuple(const trustbundle_root_info& r) {
  py::object distrust = r.has_server_distrust_after ? py::object(py::int_(r.server_distrust_after)) : py::none();
  return py::make_tuple(py::str(r.label), py::str(r.sha256_hex), py::str(r.sha1_hex), py::str(r.subject),
                        py::str(r.issuer), py::str(r.serial), r.not_before, r.not_after, r.server_trust,
                        r.email_trust, distrust,
                        py::bytes(reinterpret_cast<const char*>(r.der), r.der_len));
}

// --------------------------------------------------------------- the store

class Store {
 public:
  // sources: (is_path, value bytes, name str or None) in order.
  Store(bool mozilla, bool env, bool system, const std::vector<std::tuple<bool, py::bytes, std::optional<std::string>>>& sources) {
    struct Source {
      bool is_path;
      std::string value;
      std::optional<std::string> name;
    };
    std::vector<Source> copied;
    copied.reserve(sources.size());
    for (const auto& s : sources) copied.push_back({std::get<0>(s), to_string(std::get<1>(s)), std::get<2>(s)});

    trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
    options.mozilla = mozilla ? 1 : 0;
    options.env = env ? 1 : 0;
    options.system = system ? 1 : 0;

    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    int rc = TRUSTBUNDLE_OK;
    trustbundle_store* built = nullptr;
    {
      py::gil_scoped_release release;
      trustbundle_store_builder* builder = nullptr;
      rc = trustbundle_store_builder_new(&builder, &options, &err);
      for (size_t i = 0; rc == TRUSTBUNDLE_OK && i < copied.size(); ++i) {
        const Source& s = copied[i];
        if (s.is_path)
          rc = trustbundle_store_builder_add_path(builder, c_str(s.value, "CA path"), &err);
        else
          rc = trustbundle_store_builder_add_data(builder, ubytes(s.value), s.value.size(),
                                                  s.name ? c_str(*s.name, "CA source name") : nullptr, &err);
      }
      if (rc == TRUSTBUNDLE_OK) rc = trustbundle_store_build(&built, builder, &err);
      trustbundle_store_builder_free(builder);
    }
    check(rc, err);
    store_ = built;
  }

  static Store make_default() {
    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    trustbundle_store* built = nullptr;
    int rc;
    {
      py::gil_scoped_release release;
      rc = trustbundle_store_new_default(&built, &err);
    }
    check(rc, err);
    return Store(built);
  }

  Store(Store&& other) noexcept : store_(std::exchange(other.store_, nullptr)) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store() { trustbundle_store_free(store_); }

  size_t extra_count() const { return trustbundle_store_extra_count(store_); }

  py::str extra_pem() const {
    size_t len = 0;
    const char* pem = trustbundle_store_extra_pem(store_, &len);
    return py::str(pem == nullptr ? "" : pem, pem == nullptr ? 0 : len);
  }

  // Returns (ok, reason, reason_name, depth, openssl_code, message, hint, chain).
  py::tuple verify(const std::vector<py::bytes>& chain, std::optional<std::string> host, std::optional<int64_t> at,
                   int purpose, int max_depth, std::optional<py::bytes> untrusted,
                   std::optional<py::bytes> crls) const {
    std::string packed;
    std::vector<size_t> lengths;
    lengths.reserve(chain.size());
    for (const py::bytes& item : chain) {
      std::string one = to_string(item);
      lengths.push_back(one.size());
      packed += one;
    }
    std::string untrusted_buf = untrusted ? to_string(*untrusted) : std::string();
    std::string crls_buf = crls ? to_string(*crls) : std::string();

    trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
    options.host = host ? c_str(*host, "host") : nullptr;
    options.has_time = at ? 1 : 0;
    options.time = at ? *at : 0;
    options.purpose = purpose;
    options.max_depth = max_depth;
    if (untrusted) {
      options.untrusted = ubytes(untrusted_buf);
      options.untrusted_len = untrusted_buf.size();
    }
    if (crls) {
      options.crls = ubytes(crls_buf);
      options.crls_len = crls_buf.size();
    }

    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    trustbundle_result* result = nullptr;
    int rc;
    {
      py::gil_scoped_release release;
      rc = trustbundle_verify(&result, store_, ubytes(packed), lengths.data(), lengths.size(), &options, &err);
    }
    check(rc, err);

    const bool ok = trustbundle_result_ok(result) == 1;
    const int reason = trustbundle_result_reason(result);
    py::list verified;
    const size_t n = trustbundle_result_chain_count(result);
    for (size_t i = 0; i < n; ++i) {
      size_t len = 0;
      const unsigned char* der = trustbundle_result_chain_der(result, i, &len);
      if (der != nullptr) verified.append(py::bytes(reinterpret_cast<const char*>(der), len));
    }
    py::tuple out = py::make_tuple(ok, reason, py::str(trustbundle_reason_name(reason)),
                                   trustbundle_result_depth(result), trustbundle_result_openssl_code(result),
                                   py::str(trustbundle_result_message(result)),
                                   py::str(trustbundle_result_hint(result)), verified);
    trustbundle_result_free(result);
    return out;
  }

  // Returns (verdict, failure, failure_name, reason, reason_name, message, hint, protocol, cipher,
  // client_cert_requested, certs, findings, fix_client, fix_server, json, text); see _native.pyi.
  py::tuple probe(const std::string& target, std::optional<std::string> servername, int timeout_ms,
                  std::optional<py::bytes> cert, std::optional<py::bytes> key,
                  std::optional<std::string> passphrase) const {
    std::string cert_buf = cert ? to_string(*cert) : std::string();
    std::string key_buf = key ? to_string(*key) : std::string();
    trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
    options.language = TRUSTBUNDLE_LANGUAGE_PYTHON;  // fixes name diagnose()'s extra_ca=, servername=, ...
    options.servername = servername ? c_str(*servername, "servername") : nullptr;
    options.timeout_ms = timeout_ms;
    if (cert) {
      options.client_cert = ubytes(cert_buf);
      options.client_cert_len = cert_buf.size();
    }
    if (key) {
      options.client_key = ubytes(key_buf);
      options.client_key_len = key_buf.size();
    }
    options.client_key_passphrase = passphrase ? c_str(*passphrase, "passphrase") : nullptr;
    const char* target_c = c_str(target, "target");

    trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
    trustbundle_probe* probe = nullptr;
    int rc;
    {
      py::gil_scoped_release release;
      rc = trustbundle_probe_new(&probe, store_, target_c, &options, &err);
    }
    check(rc, err);

    py::list certs;
    for (size_t i = 0; i < trustbundle_probe_cert_count(probe); ++i) {
      trustbundle_probe_cert c = TRUSTBUNDLE_PROBE_CERT_INIT;
      if (trustbundle_probe_cert_get(&c, probe, i, nullptr) != TRUSTBUNDLE_OK) continue;
      certs.append(py::make_tuple(py::str(c.subject), py::str(c.issuer), c.not_before, c.not_after,
                                  py::str(c.key_type), c.key_bits, py::str(c.sha256_hex),
                                  py::bytes(reinterpret_cast<const char*>(c.der), c.der_len)));
    }
    py::list findings;
    for (size_t i = 0; i < trustbundle_probe_finding_count(probe); ++i) {
      trustbundle_finding f = TRUSTBUNDLE_FINDING_INIT;
      if (trustbundle_probe_finding_get(&f, probe, i, nullptr) != TRUSTBUNDLE_OK) continue;
      findings.append(py::make_tuple(f.code, py::str(f.name), f.severity, f.index, py::str(f.message),
                                     py::str(f.fix_client), py::str(f.fix_server)));
    }
    const int failure = trustbundle_probe_failure(probe);
    const int reason = trustbundle_probe_reason(probe);
    py::tuple out = py::make_tuple(
        trustbundle_probe_verdict(probe), failure, py::str(trustbundle_failure_name(failure)), reason,
        py::str(trustbundle_reason_name(reason)), py::str(trustbundle_probe_message(probe)),
        py::str(trustbundle_probe_hint(probe)), py::str(trustbundle_probe_protocol(probe)),
        py::str(trustbundle_probe_cipher(probe)), trustbundle_probe_client_cert_requested(probe) == 1, certs, findings,
        py::str(trustbundle_probe_fix_client(probe)), py::str(trustbundle_probe_fix_server(probe)),
        py::str(trustbundle_probe_json(probe)), py::str(trustbundle_probe_text(probe)));
    trustbundle_probe_free(probe);
    return out;
  }

 private:
  explicit Store(trustbundle_store* s) : store_(s) {}
  trustbundle_store* store_ = nullptr;
};

// ------------------------------------------------------------- functions

py::tuple check_key_pair(const py::bytes& cert, const py::bytes& key, std::optional<std::string> passphrase,
                         std::optional<int64_t> at) {
  std::string cert_buf = to_string(cert);
  std::string key_buf = to_string(key);
  const char* passphrase_c = passphrase ? c_str(*passphrase, "passphrase") : nullptr;
  trustbundle_key_check out = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int rc;
  {
    py::gil_scoped_release release;
    rc = trustbundle_check_key_pair(&out, ubytes(cert_buf), cert_buf.size(), ubytes(key_buf), key_buf.size(),
                                    passphrase_c, at ? 1 : 0, at ? *at : 0, &err);
  }
  check(rc, err);
  return py::make_tuple(out.match != 0, out.client_auth != 0, out.valid != 0, out.not_before, out.not_after);
}

py::bytes materialize(std::optional<py::bytes> dir) {
  std::string dir_buf = dir ? to_string(*dir) : std::string();
  const char* dir_c = dir ? c_str(dir_buf, "directory") : nullptr;
  char path[kPathCap] = {0};
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int rc;
  {
    py::gil_scoped_release release;
    rc = trustbundle_materialize(path, sizeof path, dir_c, &err);
  }
  check(rc, err);
  return py::bytes(path_result(path));
}

py::bytes capath_export(std::optional<py::bytes> dir) {
  std::string dir_buf = dir ? to_string(*dir) : std::string();
  const char* dir_c = dir ? c_str(dir_buf, "directory") : nullptr;
  char path[kPathCap] = {0};
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  int rc;
  {
    py::gil_scoped_release release;
    rc = trustbundle_capath_export(path, sizeof path, dir_c, &err);
  }
  check(rc, err);
  return py::bytes(path_result(path));
}

int64_t time_parse(const std::string& text) {
  int64_t seconds = 0;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  check(trustbundle_time_parse(&seconds, c_str(text, "time"), &err), err);
  return seconds;
}

py::tuple root_get(size_t index) {
  trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
  trustbundle_error err = TRUSTBUNDLE_ERROR_INIT;
  check(trustbundle_root_get(&info, index, &err), err);
  return root_tuple(info);
}

py::list roots() {
  py::list out;
  const size_t n = trustbundle_root_count();
  for (size_t i = 0; i < n; ++i) out.append(root_get(i));
  return out;
}

py::str bundle_pem() {
  size_t len = 0;
  const char* pem = trustbundle_bundle_pem(&len);
  if (pem == nullptr) throw std::bad_alloc();
  return py::str(pem, len);
}

// The command-line tool (python -m trustbundle): argv in, exit code out. The
// core writes to file descriptors 1 and 2 itself.
int cli_main(const std::vector<py::bytes>& argv) {
  std::vector<std::string> words;
  for (const py::bytes& word : argv) {
    words.push_back(to_string(word));
    if (words.back().find('\0') != std::string::npos) throw py::value_error("an argument contains a NUL byte");
  }
  std::vector<const char*> pointers;
  for (const std::string& word : words) pointers.push_back(word.c_str());
  py::gil_scoped_release release;  // doctor waits on the network
  return trustbundle_cli_main(static_cast<int>(pointers.size()), pointers.data());
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "Raw binding of the trustbundle C ABI. Use the trustbundle package instead.";

  g_error_type = PyErr_NewExceptionWithDoc(
      "trustbundle._native.Error",
      "A C ABI call failed: args are (status, status_name, message, openssl_code).", nullptr, nullptr);
  if (g_error_type == nullptr) throw py::error_already_set();
  m.add_object("Error", py::handle(g_error_type));  // the module holds one reference; ours is leaked on purpose
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Failure& f) {
      py::tuple args = py::make_tuple(f.status, py::str(trustbundle_status_name(f.status)),
                                      py::reinterpret_steal<py::str>(
                                          PyUnicode_DecodeUTF8(f.message.data(), static_cast<Py_ssize_t>(f.message.size()), "replace")),
                                      f.openssl_code);
      PyErr_SetObject(g_error_type, args.ptr());
    }
  });

  m.attr("VERSION_STRING") = TRUSTBUNDLE_VERSION_STRING;
  m.attr("MAX_INPUT_BYTES") = TRUSTBUNDLE_MAX_INPUT_BYTES;
  m.attr("MAX_CHAIN_CERTS") = TRUSTBUNDLE_MAX_CHAIN_CERTS;
  m.attr("MAX_DEPTH") = TRUSTBUNDLE_MAX_DEPTH;
  m.attr("PURPOSE_SERVER") = static_cast<int>(TRUSTBUNDLE_PURPOSE_SERVER);
  m.attr("PURPOSE_CLIENT") = static_cast<int>(TRUSTBUNDLE_PURPOSE_CLIENT);
  m.attr("VERDICT_OK") = static_cast<int>(TRUSTBUNDLE_VERDICT_OK);
  m.attr("VERDICT_REJECTED") = static_cast<int>(TRUSTBUNDLE_VERDICT_REJECTED);
  m.attr("VERDICT_UNREACHABLE") = static_cast<int>(TRUSTBUNDLE_VERDICT_UNREACHABLE);

  m.def("version", [] { return std::string(trustbundle_version()); }, "The loaded library's version.");
  m.def("version_number", &trustbundle_version_number);
  m.def("bundle_version", [] { return std::string(trustbundle_bundle_version()); });
  m.def("bundle_nss_version", [] { return std::string(trustbundle_bundle_nss_version()); });
  m.def("bundle_as_of", &trustbundle_bundle_as_of);
  m.def("bundle_age_days", &trustbundle_bundle_age_days, py::arg("at"));
  m.def("root_count", &trustbundle_root_count);
  m.def("root_get", &root_get, py::arg("index"));
  m.def("roots", &roots);
  m.def("bundle_pem", &bundle_pem);
  m.def("status_name", [](int status) { return std::string(trustbundle_status_name(status)); }, py::arg("status"));
  m.def("reason_name", [](int reason) { return std::string(trustbundle_reason_name(reason)); }, py::arg("reason"));
  m.def("failure_name", [](int failure) { return std::string(trustbundle_failure_name(failure)); }, py::arg("failure"));
  m.def("time_parse", &time_parse, py::arg("text"));
  m.def("materialize", &materialize, py::arg("dir") = py::none());
  m.def("capath_export", &capath_export, py::arg("dir") = py::none());
  m.def("check_key_pair", &check_key_pair, py::arg("cert"), py::arg("key"), py::arg("passphrase") = py::none(),
        py::arg("at") = py::none());
  m.def("cli_main", &cli_main, py::arg("argv"));

  py::class_<Store>(m, "Store")
      .def(py::init<bool, bool, bool, const std::vector<std::tuple<bool, py::bytes, std::optional<std::string>>>&>(),
           py::arg("mozilla"), py::arg("env"), py::arg("system"), py::arg("sources"))
      .def_static("default", &Store::make_default)
      .def("extra_count", &Store::extra_count)
      .def("extra_pem", &Store::extra_pem)
      .def("verify", &Store::verify, py::arg("chain"), py::arg("host"), py::arg("at"), py::arg("purpose"),
           py::arg("max_depth"), py::arg("untrusted"), py::arg("crls"))
      .def("probe", &Store::probe, py::arg("target"), py::arg("servername"), py::arg("timeout_ms"), py::arg("cert"),
           py::arg("key"), py::arg("passphrase"));
}
