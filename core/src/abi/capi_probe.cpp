// extern "C" entry points of `trustbundle doctor`: a probe handle that owns
// its report and the C views of it (certificates, findings, texts).
#include <memory>
#include <string>
#include <vector>

#include "abi/capi_guard.h"
#include "abi/capi_handles.h"
#include "doctor/doctor.h"
#include "doctor/doctor_render.h"
#include "verify/trust_store.h"
#include "trustbundle/trustbundle.h"

using namespace trustbundle;

// Defined identically in capi_verify.cpp (one definition, two translation
// units, as the ODR allows): the probe only reads the store it wraps.
struct trustbundle_probe {
  DoctorReport report;
  std::string json;
  std::string text;
};

namespace {

// name: "client_cert" or "client_key", for the messages. len is within
// the input limit (checked by the caller before any copy).
std::string optional_bytes(const unsigned char* data, size_t len, const std::string& name) {
  if (data == nullptr && len != 0)
    throw invalid_argument("options->" + name + " is NULL but options->" + name + "_len is not 0");
  return bytes(data, len);
}

Error not_found(const char* what, size_t index, size_t count) {
  return Error(TRUSTBUNDLE_E_NOT_FOUND, std::string(what) + " index " + std::to_string(index) +
                                            " is out of range (count " + std::to_string(count) + ")");
}

}  // namespace

extern "C" {

const char* trustbundle_failure_name(int failure) { return failure_name(failure); }

int trustbundle_probe_new(trustbundle_probe** out, const trustbundle_store* store, const char* target,
                          const trustbundle_probe_options* options, trustbundle_error* error) {
  if (out != nullptr) *out = nullptr;
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(store != nullptr, "store is NULL");
    require(target != nullptr && *target != '\0', "target is NULL or empty");
    DoctorRequest request;
    request.target = target;
    if (options != nullptr) {
      require(options->version >= 1, "options->version is 0: initialize with TRUSTBUNDLE_PROBE_OPTIONS_INIT");
      request.servername = options->servername != nullptr ? options->servername : "";
      request.timeout_ms = options->timeout_ms;
      within_limit(options->client_cert_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "options->client_cert");
      within_limit(options->client_key_len, TRUSTBUNDLE_MAX_INPUT_BYTES, "options->client_key");
      request.client_cert = optional_bytes(options->client_cert, options->client_cert_len, "client_cert");
      request.client_key = optional_bytes(options->client_key, options->client_key_len, "client_key");
      request.has_passphrase = options->client_key_passphrase != nullptr;
      if (request.has_passphrase) request.passphrase = options->client_key_passphrase;
      if (options->version >= 2) {
        require(options->language >= TRUSTBUNDLE_LANGUAGE_CLI && options->language <= TRUSTBUNDLE_LANGUAGE_GO,
                "options->language is not a trustbundle_language");
        request.language = options->language;
      }
    }
    auto probe = std::make_unique<trustbundle_probe>();
    probe->report = run_doctor(*store->store, request);
    probe->json = render_doctor_json(probe->report);
    probe->text = render_doctor_text(probe->report);
    *out = probe.release();
  });
}

int trustbundle_probe_verdict(const trustbundle_probe* p) {
  return p != nullptr ? p->report.verdict : TRUSTBUNDLE_VERDICT_UNREACHABLE;
}

int trustbundle_probe_failure(const trustbundle_probe* p) {
  return p != nullptr ? p->report.failure : TRUSTBUNDLE_FAILURE_NONE;
}

int trustbundle_probe_reason(const trustbundle_probe* p) {
  return p != nullptr && p->report.verified ? p->report.outcome.reason : TRUSTBUNDLE_REASON_OTHER;
}

const char* trustbundle_probe_message(const trustbundle_probe* p) { return p != nullptr ? p->report.message.c_str() : ""; }

const char* trustbundle_probe_hint(const trustbundle_probe* p) {
  return p != nullptr ? p->report.outcome.hint.c_str() : "";
}

const char* trustbundle_probe_protocol(const trustbundle_probe* p) {
  return p != nullptr ? p->report.tls.protocol.c_str() : "";
}

const char* trustbundle_probe_cipher(const trustbundle_probe* p) { return p != nullptr ? p->report.tls.cipher.c_str() : ""; }

int trustbundle_probe_client_cert_requested(const trustbundle_probe* p) {
  return p != nullptr && p->report.tls.cert_requested ? 1 : 0;
}

size_t trustbundle_probe_cert_count(const trustbundle_probe* p) { return p != nullptr ? p->report.served.size() : 0; }

int trustbundle_probe_cert_get(trustbundle_probe_cert* out, const trustbundle_probe* p, size_t index,
                               trustbundle_error* error) {
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(out->version >= 1, "out->version is 0: initialize with TRUSTBUNDLE_PROBE_CERT_INIT");
    require(p != nullptr, "probe is NULL");
    if (index >= p->report.served.size()) throw not_found("certificate", index, p->report.served.size());
    const ServedCert& c = p->report.served[index];
    out->subject = c.subject.c_str();
    out->issuer = c.issuer.c_str();
    out->not_before = c.not_before;
    out->not_after = c.not_after;
    out->key_type = c.key_type.c_str();
    out->key_bits = c.key_bits;
    out->sha256_hex = c.sha256_hex.c_str();
    out->der = reinterpret_cast<const unsigned char*>(c.der.data());
    out->der_len = c.der.size();
  });
}

size_t trustbundle_probe_finding_count(const trustbundle_probe* p) { return p != nullptr ? p->report.findings.size() : 0; }

int trustbundle_probe_finding_get(trustbundle_finding* out, const trustbundle_probe* p, size_t index,
                                  trustbundle_error* error) {
  return guarded(error, [&] {
    require(out != nullptr, "out is NULL");
    require(out->version >= 1, "out->version is 0: initialize with TRUSTBUNDLE_FINDING_INIT");
    require(p != nullptr, "probe is NULL");
    if (index >= p->report.findings.size()) throw not_found("finding", index, p->report.findings.size());
    const Finding& f = p->report.findings[index];
    out->code = f.code;
    out->name = finding_name(f.code);
    out->severity = f.severity;
    out->index = f.index;
    out->message = f.message.c_str();
    out->fix_client = f.fix_client.c_str();
    out->fix_server = f.fix_server.c_str();
  });
}

const char* trustbundle_probe_fix_client(const trustbundle_probe* p) {
  return p != nullptr ? p->report.fix_client.c_str() : "";
}

const char* trustbundle_probe_fix_server(const trustbundle_probe* p) {
  return p != nullptr ? p->report.fix_server.c_str() : "";
}

const char* trustbundle_probe_json(const trustbundle_probe* p) { return p != nullptr ? p->json.c_str() : nullptr; }

const char* trustbundle_probe_text(const trustbundle_probe* p) { return p != nullptr ? p->text.c_str() : nullptr; }

void trustbundle_probe_free(trustbundle_probe* probe) { delete probe; }

}  // extern "C"
