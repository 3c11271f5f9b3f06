/*
 * trustbundle.i: the SWIG interface of Trustbundle::Native, the raw Ruby
 * binding of the C ABI (core/include/trustbundle/trustbundle.h, and nothing
 * else). lib/trustbundle.rb is the idiomatic layer on top of it.
 *
 * Generated with (bindings/ruby/build-gem does it):
 *   swig -c++ -ruby -initname native -I<core>/include -o trustbundle_wrap.cxx trustbundle.i
 *
 * Conversion only, no logic. What the typemaps do:
 * - Names lose their prefix: trustbundle_verify -> Native.verify,
 *   TRUSTBUNDLE_E_PARSE -> Native::E_PARSE.
 * - Binary input (pointer + length) is one Ruby String; the chain (one
 *   buffer + lengths array + count) is an Array of Strings, or one String.
 * - The trailing trustbundle_error* disappears: a non-zero status raises the
 *   matching Trustbundle::Error subclass (defined in trustbundle/errors.rb)
 *   carrying the struct's message, status name and OpenSSL code. Functions
 *   that return a status return their outputs instead (nil when none).
 * - Output parameters become return values: handles (store, builder,
 *   result) are objects freed by the garbage collector; root_info and
 *   key_check become Hashes; paths, times and sized buffers Strings/Integers.
 * - Options structs are Hashes with Symbol keys (unknown keys raise).
 * - The GVL is released while the core works (store building, which reads
 *   files, verification, key checks, writing files). Every buffer the core
 *   reads meanwhile is a private or frozen copy, so other threads cannot
 *   change it underneath.
 * Nothing raises between allocating C memory and handing it to Ruby, so an
 * exception never leaks.
 */
%module "Trustbundle::Native"

%{
#include <dlfcn.h>
#include <link.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <ruby/thread.h>

#include <cstring>
#include <vector>

#include "trustbundle/trustbundle.h"

namespace {

// A String the core may read without the GVL: frozen, so no thread can
// change its bytes while the call runs.
VALUE tb_frozen_bytes(VALUE value) {
  StringValue(value);
  return rb_str_new_frozen(value);
}

// A private NUL-terminated copy of a String, for const char* parameters.
VALUE tb_cstring(VALUE value, const char *what) {
  StringValue(value);
  if (std::memchr(RSTRING_PTR(value), '\0', static_cast<size_t>(RSTRING_LEN(value))) != nullptr)
    rb_raise(rb_eArgError, "%s: string contains a NUL byte", what);
  return rb_str_new(RSTRING_PTR(value), RSTRING_LEN(value));
}

VALUE tb_text(const char *s) { return s != nullptr ? rb_utf8_str_new_cstr(s) : Qnil; }

// Sized returns: text (const char*) is UTF-8, bytes (const unsigned char*) binary.
VALUE tb_sized(const char *p, size_t len) { return p != nullptr ? rb_utf8_str_new(p, static_cast<long>(len)) : Qnil; }
VALUE tb_sized(const unsigned char *p, size_t len) {
  return p != nullptr ? rb_str_new(reinterpret_cast<const char *>(p), static_cast<long>(len)) : Qnil;
}

VALUE tb_sym(const char *name) { return ID2SYM(rb_intern(name)); }

// Raises the Trustbundle::Error subclass of a failed call's status.
[[noreturn]] void tb_raise(int status, const trustbundle_error *error) {
  const char *name = "Trustbundle::Error";
  switch (status) {
    case TRUSTBUNDLE_E_INVALID_ARGUMENT: name = "Trustbundle::InvalidArgumentError"; break;
    case TRUSTBUNDLE_E_PARSE: name = "Trustbundle::ParseError"; break;
    case TRUSTBUNDLE_E_IO: name = "Trustbundle::FileError"; break;
    case TRUSTBUNDLE_E_NOT_FOUND: name = "Trustbundle::NotFoundError"; break;
    case TRUSTBUNDLE_E_BUFFER_TOO_SMALL: name = "Trustbundle::BufferTooSmallError"; break;
    case TRUSTBUNDLE_E_LIMIT: name = "Trustbundle::LimitError"; break;
    case TRUSTBUNDLE_E_INTERNAL: name = "Trustbundle::InternalError"; break;
    case TRUSTBUNDLE_E_PASSPHRASE: name = "Trustbundle::PassphraseError"; break;
    default: break;
  }
  char message[TRUSTBUNDLE_ERROR_MESSAGE_SIZE];
  std::memcpy(message, error->message, sizeof message);
  message[sizeof message - 1] = '\0';
  VALUE text = message[0] != '\0' ? rb_utf8_str_new_cstr(message) : rb_utf8_str_new_cstr(trustbundle_status_name(status));
  VALUE scrubbed = rb_str_scrub(text, Qnil);  // the core's text is UTF-8; never raise on a bad byte
  if (!NIL_P(scrubbed)) text = scrubbed;
  VALUE exc = rb_class_new_instance(1, &text, rb_path2class(name));
  rb_ivar_set(exc, rb_intern("@status"), rb_utf8_str_new_cstr(trustbundle_status_name(status)));
  rb_ivar_set(exc, rb_intern("@openssl_code"), LONG2NUM(error->openssl_code));
  rb_exc_raise(exc);
}

// Runs f without the GVL. If an interrupt is pending Ruby does not call it;
// then it runs with the GVL held and the interrupt is handled afterwards.
template <class F>
void *tb_trampoline(void *f) {
  (*static_cast<F *>(f))();
  return nullptr;
}

template <class F>
void tb_without_gvl(F f) {
  bool done = false;
  auto run = [&] {
    f();
    done = true;
  };
  rb_thread_call_without_gvl2(tb_trampoline<decltype(run)>, &run, nullptr, nullptr);
  if (!done) f();
}

// Hash options: takes key out of a copy of the Hash, Qundef when absent.
VALUE tb_take(VALUE hash, const char *key) {
  VALUE sym = tb_sym(key);
  if (rb_funcall(hash, rb_intern("key?"), 1, sym) != Qtrue) return Qundef;
  return rb_hash_delete(hash, sym);
}

void tb_no_more_keys(VALUE hash, const char *what) {
  if (RHASH_SIZE(hash) != 0)
    rb_raise(rb_eArgError, "unknown %s option(s): %" PRIsVALUE, what, rb_funcall(hash, rb_intern("keys"), 0));
}

int tb_flag(VALUE value) { return RTEST(value) ? 1 : 0; }

// Native.peer_chain_der(ssl_socket): the DER of the chain the peer of an
// OpenSSL::SSL::SSLSocket sent, leaf first, in the order sent (what
// SSLSocket#peer_cert_chain returns, without making a certificate object
// of each: that re-parses every certificate, ~0.3 ms each, on every TLS
// connection). Reads ruby-openssl's SSL* (its typed data "OpenSSL/SSL"),
// so it answers only when ruby-openssl runs the same OpenSSL instance as
// this extension (shares_process_libssl; the caller also compares
// Native.openssl_version with OpenSSL::OPENSSL_LIBRARY_VERSION). nil when
// it cannot tell, when the object is not such a socket or has no peer
// chain: the caller then uses SSLSocket#peer_cert_chain.
// True when the process maps exactly one libssl shared object and this
// extension's SSL functions come from it: then ruby-openssl (dynamically
// linked, as every distribution builds it) runs the very same library
// instance, not merely the same version, and its SSL* may be read here.
// A build with OpenSSL linked in (a platform gem) answers false.
bool shares_process_libssl() {
  static const bool shared = [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&SSL_get_peer_cert_chain), &info) == 0 || info.dli_fname == nullptr)
      return false;
    const char *ours = std::strrchr(info.dli_fname, '/');
    ours = ours != nullptr ? ours + 1 : info.dli_fname;
    if (std::strncmp(ours, "libssl.so", 9) != 0) return false;
    int mapped = 0;
    dl_iterate_phdr([](dl_phdr_info *object, size_t, void *count) {
      const char *base = std::strrchr(object->dlpi_name, '/');
      base = base != nullptr ? base + 1 : object->dlpi_name;
      if (std::strncmp(base, "libssl.so", 9) == 0) ++*static_cast<int *>(count);
      return 0;
    }, &mapped);
    return mapped == 1;
  }();
  return shared;
}

VALUE tb_peer_chain_der(VALUE, VALUE socket) {
  if (!shares_process_libssl()) return Qnil;
  if (!RB_TYPE_P(socket, T_DATA) || !RTYPEDDATA_P(socket)) return Qnil;
  const rb_data_type_t *type = RTYPEDDATA_TYPE(socket);
  if (type == nullptr || type->wrap_struct_name == nullptr || std::strcmp(type->wrap_struct_name, "OpenSSL/SSL") != 0)
    return Qnil;
  SSL *ssl = static_cast<SSL *>(RTYPEDDATA_DATA(socket));
  STACK_OF(X509) *chain = ssl != nullptr ? SSL_get_peer_cert_chain(ssl) : nullptr;
  if (chain == nullptr) return Qnil;
  VALUE out = rb_ary_new_capa(sk_X509_num(chain));
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509 *cert = sk_X509_value(chain, i);
    const int len = i2d_X509(cert, nullptr);
    if (len <= 0) return Qnil;
    VALUE der = rb_str_new(nullptr, len);
    unsigned char *p = reinterpret_cast<unsigned char *>(RSTRING_PTR(der));
    if (i2d_X509(cert, &p) != len) return Qnil;
    rb_ary_push(out, der);
  }
  return out;
}

// Native.openssl_version: the OpenSSL this extension runs, as
// OpenSSL::OPENSSL_LIBRARY_VERSION names ruby-openssl's.
VALUE tb_openssl_version(VALUE) { return rb_str_new_cstr(OpenSSL_version(OPENSSL_VERSION)); }

}  // namespace
%}

%include <stdint.i>

/* ------------------------------------------------------------------ names */

%rename("%(strip:[TRUSTBUNDLE_])s", %$isconstant) "";
%rename("%(strip:[TRUSTBUNDLE_])s", %$isenumitem) "";

/* The functions wrapped, by name: a function added to the header is bound
 * when someone writes its conversion, never by accident. */
%rename("$ignore", %$isfunction) "";
%define TB_FUNCTION(NAME)
%rename(NAME) trustbundle_ ## NAME;
%enddef
TB_FUNCTION(version)
TB_FUNCTION(version_number)
TB_FUNCTION(status_name)
TB_FUNCTION(time_parse)
TB_FUNCTION(bundle_nss_version)
TB_FUNCTION(bundle_as_of)
TB_FUNCTION(bundle_age_days)
TB_FUNCTION(bundle_version)
TB_FUNCTION(root_count)
TB_FUNCTION(root_get)
TB_FUNCTION(bundle_pem)
TB_FUNCTION(materialize)
TB_FUNCTION(capath_export)
TB_FUNCTION(store_builder_new)
TB_FUNCTION(store_builder_add_path)
TB_FUNCTION(store_builder_add_data)
TB_FUNCTION(store_build)
TB_FUNCTION(store_new_default)
TB_FUNCTION(store_extra_count)
TB_FUNCTION(store_extra_pem)
TB_FUNCTION(reason_name)
TB_FUNCTION(verify)
TB_FUNCTION(result_ok)
TB_FUNCTION(result_reason)
TB_FUNCTION(result_depth)
TB_FUNCTION(result_openssl_code)
TB_FUNCTION(result_message)
TB_FUNCTION(result_hint)
TB_FUNCTION(result_chain_count)
TB_FUNCTION(result_chain_der)
TB_FUNCTION(check_key_pair)
TB_FUNCTION(cli_main)
TB_FUNCTION(failure_name)
TB_FUNCTION(probe_new)
TB_FUNCTION(probe_verdict)
TB_FUNCTION(probe_failure)
TB_FUNCTION(probe_reason)
TB_FUNCTION(probe_message)
TB_FUNCTION(probe_hint)
TB_FUNCTION(probe_protocol)
TB_FUNCTION(probe_cipher)
TB_FUNCTION(probe_client_cert_requested)
TB_FUNCTION(probe_cert_count)
TB_FUNCTION(probe_cert_get)
TB_FUNCTION(probe_finding_count)
TB_FUNCTION(probe_finding_get)
TB_FUNCTION(probe_fix_client)
TB_FUNCTION(probe_fix_server)
TB_FUNCTION(probe_json)
TB_FUNCTION(probe_text)

/* Plain structs travel as Hashes (typemaps below), never as wrapped objects:
 * no struct of the header becomes a class, only the handles declared below. */
%rename("$ignore", %$isclass) "";
/* Not wrapped: the *_free functions (the garbage collector frees handles; an
 * explicit free would leave a dangling object) and the bundle diff (as in the
 * Python package). */
%ignore TRUSTBUNDLE_API;

/* ---------------------------------------------------------------- handles */

/* Opaque in C; declared here so SWIG makes classes the GC frees. */
%define TB_HANDLE(TYPE, RUBYNAME, FREE)
%rename(RUBYNAME) TYPE;
%nodefaultctor TYPE;
struct TYPE {};
%extend TYPE {
  ~TYPE() { FREE($self); }
}
%typemap(in, numinputs=0) TYPE **out (TYPE *handle = nullptr) { $1 = &handle; }
%typemap(argout) TYPE **out {
  %append_output(handle$argnum != nullptr ? SWIG_NewPointerObj(handle$argnum, $descriptor(TYPE *), SWIG_POINTER_OWN) : Qnil);
}
%enddef

TB_HANDLE(trustbundle_store_builder, StoreBuilder, trustbundle_store_builder_free)
TB_HANDLE(trustbundle_store, Store, trustbundle_store_free)
TB_HANDLE(trustbundle_result, Result, trustbundle_result_free)
TB_HANDLE(trustbundle_probe, Probe, trustbundle_probe_free)

/* ------------------------------------------------------------------ errors */

%typemap(in, numinputs=0) trustbundle_error *error (trustbundle_error details) {
  std::memset(&details, 0, sizeof details);
  details.depth = -1;
  $1 = &details;
}
%typemap(argout) trustbundle_error *error {
  if (result != TRUSTBUNDLE_OK) tb_raise(result, $1);
}

/* A function that reports through trustbundle_error returns its outputs, not its status. */
%typemap(out) int trustbundle_time_parse, int trustbundle_root_get, int trustbundle_materialize,
              int trustbundle_capath_export, int trustbundle_store_builder_new,
              int trustbundle_store_builder_add_path, int trustbundle_store_builder_add_data,
              int trustbundle_store_build, int trustbundle_store_new_default, int trustbundle_verify,
              int trustbundle_check_key_pair, int trustbundle_probe_new, int trustbundle_probe_cert_get,
              int trustbundle_probe_finding_get "$result = Qnil;"

/* ------------------------------------------------------------------ input */

%typemap(in) const char * (VALUE copy = Qnil) {
  if (NIL_P($input)) {
    $1 = nullptr;
  } else {
    copy = tb_cstring($input, "$1_name");
    $1 = RSTRING_PTR(copy);
  }
}
%typemap(freearg) const char * { RB_GC_GUARD(copy$argnum); }

%typemap(in) (const unsigned char *data, size_t len) (VALUE bytes = Qnil),
             (const unsigned char *cert, size_t cert_len) (VALUE bytes = Qnil),
             (const unsigned char *key, size_t key_len) (VALUE bytes = Qnil) {
  bytes = tb_frozen_bytes($input);
  $1 = ($1_ltype)RSTRING_PTR(bytes);
  $2 = static_cast<size_t>(RSTRING_LEN(bytes));
}
%typemap(freearg) (const unsigned char *data, size_t len),
                  (const unsigned char *cert, size_t cert_len),
                  (const unsigned char *key, size_t key_len) { RB_GC_GUARD(bytes$argnum); }

/* The chain: an Array of Strings (PEM or DER each), or one String (it may
 * hold a whole PEM chain), packed into one buffer plus a lengths array. */
%typemap(in) (const unsigned char *chain, const size_t *lengths, size_t count) (VALUE packed = Qnil, VALUE sizes = Qnil) {
  VALUE items = rb_check_array_type($input);
  if (NIL_P(items)) items = rb_ary_new_from_args(1, $input);
  const long n = RARRAY_LEN(items);
  packed = rb_str_buf_new(0);
  sizes = rb_str_buf_new(static_cast<long>(sizeof(size_t)) * (n > 0 ? n : 1));
  for (long i = 0; i < n; ++i) {
    VALUE item = rb_ary_entry(items, i);
    StringValue(item);
    rb_str_buf_cat(packed, RSTRING_PTR(item), RSTRING_LEN(item));
    const size_t len = static_cast<size_t>(RSTRING_LEN(item));
    rb_str_buf_cat(sizes, reinterpret_cast<const char *>(&len), static_cast<long>(sizeof len));
  }
  $1 = ($1_ltype)RSTRING_PTR(packed);
  $2 = ($2_ltype)RSTRING_PTR(sizes);
  $3 = static_cast<size_t>(n);
}
%typemap(freearg) (const unsigned char *chain, const size_t *lengths, size_t count) {
  RB_GC_GUARD(packed$argnum);
  RB_GC_GUARD(sizes$argnum);
}

/* The command-line tool's argv: an Array of Strings, argv[0] the program's
 * name. Every String is copied (and checked) before the pointer array is
 * built, so nothing raises once it holds memory. */
%typemap(in) (int argc, const char *const *argv) (VALUE copies = Qnil, std::vector<const char *> pointers) {
  VALUE items = rb_check_array_type($input);
  if (NIL_P(items)) rb_raise(rb_eTypeError, "argv: expected an Array of Strings");
  copies = rb_ary_new();
  for (long i = 0; i < RARRAY_LEN(items); ++i) rb_ary_push(copies, tb_cstring(rb_ary_entry(items, i), "argv"));
  pointers.reserve(static_cast<size_t>(RARRAY_LEN(copies)));
  for (long i = 0; i < RARRAY_LEN(copies); ++i) pointers.push_back(RSTRING_PTR(rb_ary_entry(copies, i)));
  $1 = static_cast<int>(pointers.size());
  $2 = ($2_ltype)pointers.data();
}
%typemap(freearg) (int argc, const char *const *argv) { RB_GC_GUARD(copies$argnum); }

/* check_key_pair's time: nil for now, else Unix seconds. */
%typemap(in) (int has_time, int64_t at) {
  $1 = NIL_P($input) ? 0 : 1;
  $2 = NIL_P($input) ? 0 : static_cast<int64_t>(NUM2LL($input));
}

/* {mozilla: true, env: true, system: false}, any subset; nil = the defaults. */
%typemap(in) const trustbundle_store_options *options (trustbundle_store_options opts) {
  if (NIL_P($input)) {
    $1 = nullptr;
  } else {
    Check_Type($input, T_HASH);
    VALUE h = rb_hash_dup($input);
    opts = trustbundle_store_options TRUSTBUNDLE_STORE_OPTIONS_INIT;
    VALUE v;
    if ((v = tb_take(h, "mozilla")) != Qundef) opts.mozilla = tb_flag(v);
    if ((v = tb_take(h, "env")) != Qundef) opts.env = tb_flag(v);
    if ((v = tb_take(h, "system")) != Qundef) opts.system = tb_flag(v);
    tb_no_more_keys(h, "store");
    $1 = &opts;
  }
}

/* {host:, time:, purpose:, max_depth:, untrusted:, crls:}, any subset; nil = the defaults.
 * host: String or nil; time: Unix seconds or nil (now); untrusted, crls: String or nil. */
%typemap(in) const trustbundle_verify_options *options
    (trustbundle_verify_options opts, VALUE host_copy = Qnil, VALUE untrusted_bytes = Qnil, VALUE crls_bytes = Qnil) {
  if (NIL_P($input)) {
    $1 = nullptr;
  } else {
    Check_Type($input, T_HASH);
    VALUE h = rb_hash_dup($input);
    opts = trustbundle_verify_options TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
    VALUE v;
    if ((v = tb_take(h, "host")) != Qundef && !NIL_P(v)) {
      host_copy = tb_cstring(v, "host");
      opts.host = RSTRING_PTR(host_copy);
    }
    if ((v = tb_take(h, "time")) != Qundef && !NIL_P(v)) {
      opts.has_time = 1;
      opts.time = static_cast<int64_t>(NUM2LL(v));
    }
    if ((v = tb_take(h, "purpose")) != Qundef) opts.purpose = NUM2INT(v);
    if ((v = tb_take(h, "max_depth")) != Qundef) opts.max_depth = NUM2INT(v);
    if ((v = tb_take(h, "untrusted")) != Qundef && !NIL_P(v)) {
      untrusted_bytes = tb_frozen_bytes(v);
      opts.untrusted = reinterpret_cast<const unsigned char *>(RSTRING_PTR(untrusted_bytes));
      opts.untrusted_len = static_cast<size_t>(RSTRING_LEN(untrusted_bytes));
    }
    if ((v = tb_take(h, "crls")) != Qundef && !NIL_P(v)) {
      crls_bytes = tb_frozen_bytes(v);
      opts.crls = reinterpret_cast<const unsigned char *>(RSTRING_PTR(crls_bytes));
      opts.crls_len = static_cast<size_t>(RSTRING_LEN(crls_bytes));
    }
    tb_no_more_keys(h, "verify");
    $1 = &opts;
  }
}
%typemap(freearg) const trustbundle_verify_options *options {
  RB_GC_GUARD(host_copy$argnum);
  RB_GC_GUARD(untrusted_bytes$argnum);
  RB_GC_GUARD(crls_bytes$argnum);
}

/* {servername:, timeout_ms:, language:, client_cert:, client_key:, passphrase:},
 * any subset; nil = the defaults. Strings or nil; timeout_ms and language
 * (Native::LANGUAGE_*) Integers. */
%typemap(in) const trustbundle_probe_options *options
    (trustbundle_probe_options opts, VALUE name_copy = Qnil, VALUE cert_bytes = Qnil, VALUE key_bytes = Qnil,
     VALUE pass_copy = Qnil) {
  if (NIL_P($input)) {
    $1 = nullptr;
  } else {
    Check_Type($input, T_HASH);
    VALUE h = rb_hash_dup($input);
    opts = trustbundle_probe_options TRUSTBUNDLE_PROBE_OPTIONS_INIT;
    VALUE v;
    if ((v = tb_take(h, "servername")) != Qundef && !NIL_P(v)) {
      name_copy = tb_cstring(v, "servername");
      opts.servername = RSTRING_PTR(name_copy);
    }
    if ((v = tb_take(h, "timeout_ms")) != Qundef && !NIL_P(v)) opts.timeout_ms = NUM2INT(v);
    if ((v = tb_take(h, "language")) != Qundef && !NIL_P(v)) opts.language = NUM2INT(v);
    if ((v = tb_take(h, "client_cert")) != Qundef && !NIL_P(v)) {
      cert_bytes = tb_frozen_bytes(v);
      opts.client_cert = reinterpret_cast<const unsigned char *>(RSTRING_PTR(cert_bytes));
      opts.client_cert_len = static_cast<size_t>(RSTRING_LEN(cert_bytes));
    }
    if ((v = tb_take(h, "client_key")) != Qundef && !NIL_P(v)) {
      key_bytes = tb_frozen_bytes(v);
      opts.client_key = reinterpret_cast<const unsigned char *>(RSTRING_PTR(key_bytes));
      opts.client_key_len = static_cast<size_t>(RSTRING_LEN(key_bytes));
    }
    if ((v = tb_take(h, "passphrase")) != Qundef && !NIL_P(v)) {
      pass_copy = tb_cstring(v, "passphrase");
      opts.client_key_passphrase = RSTRING_PTR(pass_copy);
    }
    tb_no_more_keys(h, "probe");
    $1 = &opts;
  }
}
%typemap(freearg) const trustbundle_probe_options *options {
  RB_GC_GUARD(name_copy$argnum);
  RB_GC_GUARD(cert_bytes$argnum);
  RB_GC_GUARD(key_bytes$argnum);
  RB_GC_GUARD(pass_copy$argnum);
}

/* ----------------------------------------------------------------- output */

%typemap(out) const char * "$result = tb_text($1);"

/* Pointer + *out_len returns become one String; the pointer itself is not converted. */
%typemap(in, numinputs=0) size_t *out_len (size_t len = 0) { $1 = &len; }
%typemap(argout) size_t *out_len { $result = tb_sized(result, *$1); }
%typemap(out) const char *trustbundle_bundle_pem, const char *trustbundle_store_extra_pem,
              const unsigned char *trustbundle_result_chain_der "$result = Qnil;"

%typemap(in, numinputs=0) int64_t *out_seconds (int64_t seconds = 0) { $1 = &seconds; }
%typemap(argout) int64_t *out_seconds { %append_output(LL2NUM(*$1)); }

%typemap(in, numinputs=0) (char *path_out, size_t path_cap) (char path[4096]) {
  path[0] = '\0';
  $1 = path;
  $2 = sizeof path;
}
%typemap(argout) (char *path_out, size_t path_cap) { %append_output(rb_filesystem_str_new_cstr($1)); }

%typemap(in, numinputs=0) trustbundle_root_info *out (trustbundle_root_info info) {
  info = trustbundle_root_info TRUSTBUNDLE_ROOT_INFO_INIT;
  $1 = &info;
}
%typemap(argout) trustbundle_root_info *out {
  if (result == TRUSTBUNDLE_OK) {
    VALUE h = rb_hash_new();
    rb_hash_aset(h, tb_sym("label"), tb_text($1->label));
    rb_hash_aset(h, tb_sym("sha256"), tb_text($1->sha256_hex));
    rb_hash_aset(h, tb_sym("sha1"), tb_text($1->sha1_hex));
    rb_hash_aset(h, tb_sym("subject"), tb_text($1->subject));
    rb_hash_aset(h, tb_sym("issuer"), tb_text($1->issuer));
    rb_hash_aset(h, tb_sym("serial"), tb_text($1->serial));
    rb_hash_aset(h, tb_sym("not_before"), LL2NUM($1->not_before));
    rb_hash_aset(h, tb_sym("not_after"), LL2NUM($1->not_after));
    rb_hash_aset(h, tb_sym("server_trust"), INT2NUM($1->server_trust));
    rb_hash_aset(h, tb_sym("email_trust"), INT2NUM($1->email_trust));
    rb_hash_aset(h, tb_sym("server_distrust_after"),
                 $1->has_server_distrust_after ? LL2NUM($1->server_distrust_after) : Qnil);
    rb_hash_aset(h, tb_sym("der"), tb_sized($1->der, $1->der_len));
    %append_output(h);
  }
}

%typemap(in, numinputs=0) trustbundle_key_check *out (trustbundle_key_check check) {
  check = trustbundle_key_check TRUSTBUNDLE_KEY_CHECK_INIT;
  $1 = &check;
}
%typemap(argout) trustbundle_key_check *out {
  if (result == TRUSTBUNDLE_OK) {
    VALUE h = rb_hash_new();
    rb_hash_aset(h, tb_sym("match"), $1->match ? Qtrue : Qfalse);
    rb_hash_aset(h, tb_sym("client_auth"), $1->client_auth ? Qtrue : Qfalse);
    rb_hash_aset(h, tb_sym("valid"), $1->valid ? Qtrue : Qfalse);
    rb_hash_aset(h, tb_sym("not_before"), LL2NUM($1->not_before));
    rb_hash_aset(h, tb_sym("not_after"), LL2NUM($1->not_after));
    %append_output(h);
  }
}

%typemap(in, numinputs=0) trustbundle_probe_cert *out (trustbundle_probe_cert cert) {
  cert = trustbundle_probe_cert TRUSTBUNDLE_PROBE_CERT_INIT;
  $1 = &cert;
}
%typemap(argout) trustbundle_probe_cert *out {
  if (result == TRUSTBUNDLE_OK) {
    VALUE h = rb_hash_new();
    rb_hash_aset(h, tb_sym("subject"), tb_text($1->subject));
    rb_hash_aset(h, tb_sym("issuer"), tb_text($1->issuer));
    rb_hash_aset(h, tb_sym("not_before"), LL2NUM($1->not_before));
    rb_hash_aset(h, tb_sym("not_after"), LL2NUM($1->not_after));
    rb_hash_aset(h, tb_sym("key_type"), tb_text($1->key_type));
    rb_hash_aset(h, tb_sym("key_bits"), INT2NUM($1->key_bits));
    rb_hash_aset(h, tb_sym("sha256"), tb_text($1->sha256_hex));
    rb_hash_aset(h, tb_sym("der"), tb_sized($1->der, $1->der_len));
    %append_output(h);
  }
}

%typemap(in, numinputs=0) trustbundle_finding *out (trustbundle_finding finding) {
  finding = trustbundle_finding TRUSTBUNDLE_FINDING_INIT;
  $1 = &finding;
}
%typemap(argout) trustbundle_finding *out {
  if (result == TRUSTBUNDLE_OK) {
    VALUE h = rb_hash_new();
    rb_hash_aset(h, tb_sym("code"), INT2NUM($1->code));
    rb_hash_aset(h, tb_sym("name"), tb_text($1->name));
    rb_hash_aset(h, tb_sym("severity"), INT2NUM($1->severity));
    rb_hash_aset(h, tb_sym("index"), INT2NUM($1->index));
    rb_hash_aset(h, tb_sym("message"), tb_text($1->message));
    rb_hash_aset(h, tb_sym("fix_client"), tb_text($1->fix_client));
    rb_hash_aset(h, tb_sym("fix_server"), tb_text($1->fix_server));
    %append_output(h);
  }
}

/* ------------------------------------------------------------- the GVL */

%define TB_NOGVL(FUNCTION)
%exception FUNCTION {
  tb_without_gvl([&] { $action });
}
%enddef

TB_NOGVL(trustbundle_materialize)
TB_NOGVL(trustbundle_capath_export)
TB_NOGVL(trustbundle_store_builder_add_path)
TB_NOGVL(trustbundle_store_builder_add_data)
TB_NOGVL(trustbundle_store_build)
TB_NOGVL(trustbundle_store_new_default)
TB_NOGVL(trustbundle_verify)
TB_NOGVL(trustbundle_check_key_pair)
TB_NOGVL(trustbundle_probe_new)
/* Not trustbundle_cli_main: it reads ENV and writes fds 1 and 2, so it keeps
 * the GVL and no other Ruby thread touches either meanwhile. */

%init %{
  rb_require("trustbundle/errors");
  /* Not in the C ABI: helpers of the TLS integration (lib/trustbundle/handshake.rb). */
  VALUE native_module = rb_path2class("Trustbundle::Native");
  rb_define_module_function(native_module, "peer_chain_der", RUBY_METHOD_FUNC(tb_peer_chain_der), 1);
  rb_define_module_function(native_module, "openssl_version", RUBY_METHOD_FUNC(tb_openssl_version), 0);
%}

%include "trustbundle/trustbundle.h"
