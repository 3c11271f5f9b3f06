/*
 * trustbundle: Mozilla's curated TLS server roots and the helpers around
 * them, behind one stable C ABI.
 *
 * Contract (read once, it holds for every function below):
 * - Functions return an int status: TRUSTBUNDLE_OK (0) or a negative
 *   trustbundle_status. Values are never renumbered, only appended.
 * - The last parameter of a fallible function is an optional, caller-owned
 *   trustbundle_error*. Pass NULL to ignore details. There is no
 *   thread-local "last error".
 * - Output parameters come first. Nothing is returned for the caller to
 *   free(): each function says how long a returned pointer stays valid.
 * - Binary input is pointer + length; PEM or DER is accepted where a
 *   certificate is expected.
 * - No C++ exception and no OpenSSL object ever crosses this boundary.
 * - Thread safety: every function may be called from any thread at any
 *   time. The embedded bundle is immutable; handles are immutable after
 *   creation and may be shared between threads. The one exception is
 *   trustbundle_cli_main, the command-line tool, meant for a main thread.
 */
#ifndef TRUSTBUNDLE_TRUSTBUNDLE_H
#define TRUSTBUNDLE_TRUSTBUNDLE_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define TRUSTBUNDLE_API __declspec(dllexport)
#elif defined(__GNUC__)
#define TRUSTBUNDLE_API __attribute__((visibility("default")))
#else
#define TRUSTBUNDLE_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

#define TRUSTBUNDLE_VERSION_MAJOR 0
#define TRUSTBUNDLE_VERSION_MINOR 1
#define TRUSTBUNDLE_VERSION_PATCH 0
#define TRUSTBUNDLE_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define TRUSTBUNDLE_VERSION_NUMBER 100

/* The library's version as "MAJOR.MINOR.PATCH". Static; never freed. */
TRUSTBUNDLE_API const char *trustbundle_version(void);

/* TRUSTBUNDLE_VERSION_NUMBER of the library actually loaded. */
TRUSTBUNDLE_API int trustbundle_version_number(void);

/* ----------------------------------------------------------------- errors */

typedef enum trustbundle_status {
  TRUSTBUNDLE_OK = 0,
  TRUSTBUNDLE_E_INVALID_ARGUMENT = -1, /* NULL where not allowed, bad option */
  TRUSTBUNDLE_E_PARSE = -2,            /* malformed certdata, PEM, DER, time */
  TRUSTBUNDLE_E_IO = -3,               /* a file or directory operation failed */
  TRUSTBUNDLE_E_NOT_FOUND = -4,        /* index out of range, no such entry */
  TRUSTBUNDLE_E_BUFFER_TOO_SMALL = -5, /* an output buffer cannot hold the result */
  TRUSTBUNDLE_E_LIMIT = -6,            /* input over a documented limit */
  TRUSTBUNDLE_E_INTERNAL = -7,         /* a bug or allocation failure */
  TRUSTBUNDLE_E_PASSPHRASE = -8        /* a private key needs a passphrase, or it was wrong */
} trustbundle_status;

#define TRUSTBUNDLE_ERROR_MESSAGE_SIZE 512

/* Details of a failure. Caller-owned; the library fills it when a function
 * fails and leaves it untouched on success. Initialize with
 * TRUSTBUNDLE_ERROR_INIT (or memset to zero). */
typedef struct trustbundle_error {
  int status;           /* the same value the function returned */
  int reason;           /* a verification reason code; 0 when not applicable */
  int depth;            /* certificate depth of a failure; -1 when not applicable */
  long openssl_code;    /* OpenSSL's error or verify code; 0 when none */
  char message[TRUSTBUNDLE_ERROR_MESSAGE_SIZE]; /* UTF-8, NUL-terminated, says what and where */
} trustbundle_error;

#define TRUSTBUNDLE_ERROR_INIT {0, 0, -1, 0, {0}}

/* A stable name for a status, e.g. "PARSE". Static; never freed.
 * Unknown values give "UNKNOWN". */
TRUSTBUNDLE_API const char *trustbundle_status_name(int status);

/* ------------------------------------------------------------------- time */

/* Parses an RFC 3339 UTC time ("2026-05-20T00:00:00Z", fractions are
 * floored) or decimal Unix seconds ("1779235200") into Unix seconds. */
TRUSTBUNDLE_API int trustbundle_time_parse(int64_t *out_seconds, const char *text,
                                           trustbundle_error *error);

/* ----------------------------------------------------------------- bundle */

/* The embedded bundle's NSS builtins version, e.g. "2.86". Static. */
TRUSTBUNDLE_API const char *trustbundle_bundle_nss_version(void);

/* The instant the curation rule was applied at, as Unix seconds. */
TRUSTBUNDLE_API int64_t trustbundle_bundle_as_of(void);

/* Whole days from the bundle's as_of to `at` (Unix seconds), floored; 0 when
 * `at` is earlier. Past 180 days the bundle is stale: newer Mozilla roots
 * exist, and the doctor says so when an issuer is unknown. */
TRUSTBUNDLE_API int64_t trustbundle_bundle_age_days(int64_t at);

/* The bundle's identity, "<nss version>/<as_of RFC 3339>", e.g.
 * "2.86/2026-11-22T00:00:00Z". Static. */
TRUSTBUNDLE_API const char *trustbundle_bundle_version(void);

/* Number of roots in the embedded bundle. */
TRUSTBUNDLE_API size_t trustbundle_root_count(void);

typedef enum trustbundle_trust {
  TRUSTBUNDLE_TRUST_NONE = 0,          /* no value in the data */
  TRUSTBUNDLE_TRUST_TRUSTED = 1,       /* CKT_NSS_TRUSTED_DELEGATOR */
  TRUSTBUNDLE_TRUST_MUST_VERIFY = 2,   /* CKT_NSS_MUST_VERIFY_TRUST */
  TRUSTBUNDLE_TRUST_NOT_TRUSTED = 3    /* CKT_NSS_NOT_TRUSTED */
} trustbundle_trust;

#define TRUSTBUNDLE_ROOT_INFO_VERSION 1

/* Metadata of one embedded root. Every pointer is static: valid for the
 * life of the process, never freed. Initialize with
 * TRUSTBUNDLE_ROOT_INFO_INIT; fields of later versions are appended. */
typedef struct trustbundle_root_info {
  unsigned int version;
  const char *label;       /* Mozilla's CKA_LABEL, UTF-8 */
  const char *sha256_hex;  /* lowercase hex, no separators */
  const char *sha1_hex;
  const char *subject;     /* "CN=... O=... OU=...", certifi's form, UTF-8 */
  const char *issuer;
  const char *serial;      /* decimal */
  int64_t not_before;      /* Unix seconds */
  int64_t not_after;
  int server_trust;        /* trustbundle_trust */
  int email_trust;         /* trustbundle_trust */
  int has_server_distrust_after;
  int64_t server_distrust_after; /* Unix seconds; valid if has_... is 1 */
  const unsigned char *der;
  size_t der_len;
} trustbundle_root_info;

#define TRUSTBUNDLE_ROOT_INFO_INIT {TRUSTBUNDLE_ROOT_INFO_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/* Fills *out with root number index (0 .. count-1, in certdata order).
 * Fails with TRUSTBUNDLE_E_NOT_FOUND past the end. */
TRUSTBUNDLE_API int trustbundle_root_get(trustbundle_root_info *out, size_t index,
                                         trustbundle_error *error);

/* The whole bundle as PEM text in certifi's cacert.pem layout, NUL
 * terminated; *out_len (optional) gets its length without the NUL.
 * Static: valid for the process, never freed. NULL only if the process is
 * out of memory. */
TRUSTBUNDLE_API const char *trustbundle_bundle_pem(size_t *out_len);

/* Writes the bundle to DIR/cacert.pem atomically (temporary file, fsync,
 * rename) and copies the file's path into path_out (capacity path_cap,
 * NUL-terminated). An existing identical file is reused untouched; a
 * different or damaged one is replaced. Safe when several threads or
 * processes race on the same directory. dir NULL means the user cache
 * directory: $TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else
 * $HOME/.cache/trustbundle, each with a subdirectory per bundle version. */
TRUSTBUNDLE_API int trustbundle_materialize(char *path_out, size_t path_cap, const char *dir,
                                            trustbundle_error *error);

/* Writes a hashed CA directory for OpenSSL's capath (one PEM file per root,
 * named "<subject hash>.<n>" as `openssl rehash` names them) into DIR and
 * copies the directory's path into path_out. The directory is built aside
 * and renamed into place; an existing identical one is reused. dir NULL
 * means "capath" beside the cacert.pem of trustbundle_materialize(NULL). */
TRUSTBUNDLE_API int trustbundle_capath_export(char *path_out, size_t path_cap, const char *dir,
                                              trustbundle_error *error);

/* ------------------------------------------------------------------- diff */

/* What changed between two bundles. Each side is a Mozilla certdata.txt or
 * a PEM bundle (detected from the content). Created by trustbundle_diff_new,
 * freed by trustbundle_diff_free. Immutable. */
typedef struct trustbundle_diff trustbundle_diff;

typedef enum trustbundle_change {
  TRUSTBUNDLE_CHANGE_ADDED = 1,            /* trusted for servers in new, not in old */
  TRUSTBUNDLE_CHANGE_REMOVED = 2,          /* trusted for servers in old, not in new */
  TRUSTBUNDLE_CHANGE_TRUST_CHANGED = 3,    /* in both; another trust bit changed */
  TRUSTBUNDLE_CHANGE_DISTRUST_CHANGED = 4  /* in both; server distrust-after changed */
} trustbundle_change;

#define TRUSTBUNDLE_DIFF_ENTRY_VERSION 1

/* One change. Pointers are valid until the diff is freed. */
typedef struct trustbundle_diff_entry {
  unsigned int version;
  int change;             /* trustbundle_change */
  const char *label;
  const char *sha256_hex;
  const char *detail;     /* human-readable, e.g. "server trust turned off" */
} trustbundle_diff_entry;

#define TRUSTBUNDLE_DIFF_ENTRY_INIT {TRUSTBUNDLE_DIFF_ENTRY_VERSION, 0, 0, 0, 0}

/* Compares old and new. Each input is the full text of a certdata.txt or a
 * PEM bundle. *out is set to NULL on failure. */
TRUSTBUNDLE_API int trustbundle_diff_new(trustbundle_diff **out, const unsigned char *old_data,
                                         size_t old_len, const unsigned char *new_data,
                                         size_t new_len, trustbundle_error *error);

/* Number of entries; 0 for NULL. Entries are ordered by change kind, then
 * by the order of the file they come from. */
TRUSTBUNDLE_API size_t trustbundle_diff_count(const trustbundle_diff *diff);

/* Fills *out with entry index. TRUSTBUNDLE_E_NOT_FOUND past the end. */
TRUSTBUNDLE_API int trustbundle_diff_get(trustbundle_diff_entry *out, const trustbundle_diff *diff,
                                         size_t index, trustbundle_error *error);

/* The whole diff as a JSON document, NUL-terminated. Valid until the diff
 * is freed; NULL for NULL. */
TRUSTBUNDLE_API const char *trustbundle_diff_json(const trustbundle_diff *diff);

/* Frees a diff. NULL is accepted and ignored. */
TRUSTBUNDLE_API void trustbundle_diff_free(trustbundle_diff *diff);

/* ------------------------------------------------------------------ limits */

/* Inputs over these limits fail with TRUSTBUNDLE_E_LIMIT, never unbounded work.
 * The work itself is bounded too: one verification spends at most a fixed
 * number of signature checks and a few seconds, else its verdict is
 * TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED. */
#define TRUSTBUNDLE_MAX_INPUT_BYTES (16u * 1024u * 1024u)  /* one buffer or file */
#define TRUSTBUNDLE_MAX_CHAIN_CERTS 1024u                   /* certificates in one chain as sent (a server may send
                                                               more than its path: the path is TRUSTBUNDLE_MAX_DEPTH) */
#define TRUSTBUNDLE_MAX_UNTRUSTED_CERTS 1024u               /* extra intermediates in a pool */
#define TRUSTBUNDLE_MAX_SOURCE_CERTS 10000u                 /* certificates from one CA source */
#define TRUSTBUNDLE_MAX_DEPTH 32                            /* intermediates in a path */

/* ------------------------------------------------------------------ store */

/* A set of trust anchors: the embedded Mozilla roots (parsed lazily, only
 * when a verification needs one), plus extra CAs. Created by
 * trustbundle_store_build, freed by trustbundle_store_free. Immutable after
 * creation; one store serves any number of threads at once. */
typedef struct trustbundle_store trustbundle_store;

/* Collects the sources of a store. Not thread-safe; freed by
 * trustbundle_store_builder_free. */
typedef struct trustbundle_store_builder trustbundle_store_builder;

#define TRUSTBUNDLE_STORE_OPTIONS_VERSION 1

typedef struct trustbundle_store_options {
  unsigned int version;
  int mozilla;  /* 1: the embedded Mozilla roots (default); 0: only what is added (testing) */
  int env;      /* 1: add TRUSTBUNDLE_EXTRA_CA_CERTS (file or directory) if set (default) */
  int system;   /* 1: add the system store: SSL_CERT_FILE, SSL_CERT_DIR, else /etc/ssl/certs (default 0) */
} trustbundle_store_options;

#define TRUSTBUNDLE_STORE_OPTIONS_INIT {TRUSTBUNDLE_STORE_OPTIONS_VERSION, 1, 1, 0}

/* options NULL means TRUSTBUNDLE_STORE_OPTIONS_INIT. Sources named in the
 * options (environment, system) are read by trustbundle_store_build. */
TRUSTBUNDLE_API int trustbundle_store_builder_new(trustbundle_store_builder **out,
                                                  const trustbundle_store_options *options,
                                                  trustbundle_error *error);

/* Adds the CAs in a file (PEM bundle, DER certificate, or certdata.txt whose
 * server-trusted roots keep their distrust-after dates) or a directory (its
 * *.pem, *.crt, *.cer, *.der and hash-named files). Read at once; an
 * unreadable, empty or unparsable source fails naming it. */
TRUSTBUNDLE_API int trustbundle_store_builder_add_path(trustbundle_store_builder *builder, const char *path,
                                                       trustbundle_error *error);

/* Adds the CAs in a buffer: PEM (one or more), DER, or certdata.txt. The
 * bytes are copied. name (optional) names the source in error messages. */
TRUSTBUNDLE_API int trustbundle_store_builder_add_data(trustbundle_store_builder *builder,
                                                       const unsigned char *data, size_t len,
                                                       const char *name, trustbundle_error *error);

/* Makes the store. The builder stays usable and must still be freed. */
TRUSTBUNDLE_API int trustbundle_store_build(trustbundle_store **out, const trustbundle_store_builder *builder,
                                            trustbundle_error *error);

/* The default store: the Mozilla roots plus TRUSTBUNDLE_EXTRA_CA_CERTS,
 * read now (not cached), so setting the variable at run time works. */
TRUSTBUNDLE_API int trustbundle_store_new_default(trustbundle_store **out, trustbundle_error *error);

/* Number of anchors added besides the embedded roots. */
TRUSTBUNDLE_API size_t trustbundle_store_extra_count(const trustbundle_store *store);

/* The anchors added besides the embedded roots (extra CAs, environment,
 * system file) as one PEM text, NUL-terminated, for native TLS stacks that
 * load CAs themselves; "" when there are none. Valid until the store is
 * freed; *out_len (optional) gets the length. */
TRUSTBUNDLE_API const char *trustbundle_store_extra_pem(const trustbundle_store *store, size_t *out_len);

TRUSTBUNDLE_API void trustbundle_store_builder_free(trustbundle_store_builder *builder);
TRUSTBUNDLE_API void trustbundle_store_free(trustbundle_store *store);

/* ----------------------------------------------------------------- verify */

/* Why a verification failed: the same names in every language. Values are
 * never renumbered, only appended. */
typedef enum trustbundle_reason {
  TRUSTBUNDLE_REASON_OK = 0,
  TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 1,
  TRUSTBUNDLE_REASON_SELF_SIGNED = 2,                 /* the leaf itself is self-signed */
  TRUSTBUNDLE_REASON_SELF_SIGNED_CERT_IN_CHAIN = 3,   /* the chain ends at an untrusted root */
  TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED = 4,
  TRUSTBUNDLE_REASON_CERT_NOT_YET_VALID = 5,
  TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH = 6,
  TRUSTBUNDLE_REASON_IP_ADDRESS_MISMATCH = 7,
  TRUSTBUNDLE_REASON_INVALID_PURPOSE = 8,
  TRUSTBUNDLE_REASON_PATH_LENGTH_EXCEEDED = 9,
  TRUSTBUNDLE_REASON_NAME_CONSTRAINTS_VIOLATION = 10,
  TRUSTBUNDLE_REASON_ROOT_DISTRUSTED = 11,            /* issued after the root's distrust-after date */
  TRUSTBUNDLE_REASON_CERT_SIGNATURE_FAILURE = 12,
  TRUSTBUNDLE_REASON_INVALID_CA = 13,
  TRUSTBUNDLE_REASON_CERT_CHAIN_TOO_LONG = 14,
  TRUSTBUNDLE_REASON_WEAK_KEY_OR_SIGNATURE = 15,
  TRUSTBUNDLE_REASON_INVALID_CERTIFICATE = 16,        /* malformed or against the X.509 profile */
  TRUSTBUNDLE_REASON_CERT_REVOKED = 17,
  TRUSTBUNDLE_REASON_CRL_PROBLEM = 18,                 /* a CRL is missing, expired or invalid */
  TRUSTBUNDLE_REASON_OTHER = 19,                       /* see openssl_code and message */
  TRUSTBUNDLE_REASON_UNSUPPORTED_KEY = 20,             /* a sent certificate's RSA key is refused before any
                                                          signature is checked with it: public exponent even
                                                          or not below 2^32, or modulus over 8192 bits */
  TRUSTBUNDLE_REASON_VERIFY_BUDGET_EXCEEDED = 21       /* the chain needs more work than one verification may
                                                          spend (signature checks, time): rejected, not judged */
} trustbundle_reason;

/* A stable name, e.g. "CERT_HAS_EXPIRED". Static. Unknown: "UNKNOWN". */
TRUSTBUNDLE_API const char *trustbundle_reason_name(int reason);

typedef enum trustbundle_purpose {
  TRUSTBUNDLE_PURPOSE_SERVER = 0, /* TLS server authentication (default) */
  TRUSTBUNDLE_PURPOSE_CLIENT = 1  /* TLS client authentication (mTLS) */
} trustbundle_purpose;

#define TRUSTBUNDLE_VERIFY_OPTIONS_VERSION 1

typedef struct trustbundle_verify_options {
  unsigned int version;
  const char *host;      /* DNS name or IP literal to match; NULL or "" = no name check */
  int has_time;          /* 1: check at `time`; 0: now */
  int64_t time;          /* Unix seconds */
  int purpose;           /* trustbundle_purpose */
  int max_depth;         /* most intermediates allowed; -1 = TRUSTBUNDLE_MAX_DEPTH */
  const unsigned char *untrusted;  /* optional extra intermediates (PEM/DER, any order) */
  size_t untrusted_len;
  const unsigned char *crls;       /* optional PEM CRLs; given = every certificate is checked */
  size_t crls_len;
} trustbundle_verify_options;

#define TRUSTBUNDLE_VERIFY_OPTIONS_INIT {TRUSTBUNDLE_VERIFY_OPTIONS_VERSION, 0, 0, 0, 0, -1, 0, 0, 0, 0}

/* The outcome of one verification. Created by trustbundle_verify, freed by
 * trustbundle_result_free; pointers it returns are valid until then. */
typedef struct trustbundle_result trustbundle_result;

/* Verifies a chain, leaf first: `count` certificates packed back to back in
 * `chain`, their sizes in `lengths` (PEM or DER each). With count 1 the one
 * buffer may hold a whole PEM chain. options NULL means defaults.
 * Returns TRUSTBUNDLE_OK whenever a verdict was reached, accepted or not:
 * read it from *out. Malformed input fails (PARSE, LIMIT) with *out NULL. */
TRUSTBUNDLE_API int trustbundle_verify(trustbundle_result **out, const trustbundle_store *store,
                                       const unsigned char *chain, const size_t *lengths, size_t count,
                                       const trustbundle_verify_options *options, trustbundle_error *error);

/* 1 if the chain was accepted, else 0 (also for NULL). */
TRUSTBUNDLE_API int trustbundle_result_ok(const trustbundle_result *result);
/* trustbundle_reason; TRUSTBUNDLE_REASON_OK when accepted. */
TRUSTBUNDLE_API int trustbundle_result_reason(const trustbundle_result *result);
/* Depth of the failing certificate (0 = leaf); -1 when accepted. */
TRUSTBUNDLE_API int trustbundle_result_depth(const trustbundle_result *result);
/* OpenSSL's X509_V_ERR_* code; 0 when accepted. */
TRUSTBUNDLE_API long trustbundle_result_openssl_code(const trustbundle_result *result);
/* What failed, e.g. "certificate has expired". "" when accepted. */
TRUSTBUNDLE_API const char *trustbundle_result_message(const trustbundle_result *result);
/* One line saying how to fix it. "" when accepted. */
TRUSTBUNDLE_API const char *trustbundle_result_hint(const trustbundle_result *result);
/* Number of certificates in the verified chain, leaf first, anchor last
 * (0 when rejected). */
TRUSTBUNDLE_API size_t trustbundle_result_chain_count(const trustbundle_result *result);
/* DER of verified-chain certificate index; NULL past the end. */
TRUSTBUNDLE_API const unsigned char *trustbundle_result_chain_der(const trustbundle_result *result, size_t index,
                                                                   size_t *out_len);
TRUSTBUNDLE_API void trustbundle_result_free(trustbundle_result *result);

/* ------------------------------------------------------------------- mTLS */

#define TRUSTBUNDLE_KEY_CHECK_VERSION 1

typedef struct trustbundle_key_check {
  unsigned int version;
  int match;        /* 1: the key is the certificate's private key */
  int client_auth;  /* 1: the certificate may be used for TLS client auth (EKU) */
  int valid;        /* 1: within notBefore..notAfter at the check time */
  int64_t not_before;
  int64_t not_after;
} trustbundle_key_check;

#define TRUSTBUNDLE_KEY_CHECK_INIT {TRUSTBUNDLE_KEY_CHECK_VERSION, 0, 0, 0, 0, 0}

/* Checks a client certificate (PEM/DER) against a private key (PEM, PKCS#8
 * encrypted or not, or DER). passphrase may be NULL. at: Unix seconds when
 * has_time, else now. A key that needs a passphrase, or a wrong one, fails
 * with TRUSTBUNDLE_E_PASSPHRASE; results are in *out. */
TRUSTBUNDLE_API int trustbundle_check_key_pair(trustbundle_key_check *out, const unsigned char *cert,
                                               size_t cert_len, const unsigned char *key, size_t key_len,
                                               const char *passphrase, int has_time, int64_t at,
                                               trustbundle_error *error);

/* ----------------------------------------------------------------- doctor */

/* A diagnosis of a live TLS endpoint (`trustbundle doctor`). It resolves
 * the name, connects over TCP, handshakes with SNI, captures what the
 * server presents (the chain in the order sent, protocol, cipher, a client
 * certificate request, alerts), verifies the chain with the policy of
 * trustbundle_verify, and explains each problem with a fix for the client
 * side and one for the server side. It observes, it does not trust: the
 * handshake is completed whatever the chain, and no data is sent over it.
 * Created by trustbundle_probe_new, freed by trustbundle_probe_free;
 * immutable, shareable between threads. Every pointer it returns is valid
 * until it is freed. */
typedef struct trustbundle_probe trustbundle_probe;

/* The overall answer. The values are the exit codes of `trustbundle doctor`. */
typedef enum trustbundle_verdict {
  TRUSTBUNDLE_VERDICT_OK = 0,          /* the chain verifies and the handshake completed */
  TRUSTBUNDLE_VERDICT_REJECTED = 1,    /* TLS answered, but the chain does not verify or the
                                          server refused the handshake (client certificate) */
  TRUSTBUNDLE_VERDICT_UNREACHABLE = 2  /* no TLS conversation: trustbundle_probe_failure says why */
} trustbundle_verdict;

/* Why the TLS conversation did not complete. Values are never renumbered,
 * only appended. */
typedef enum trustbundle_failure {
  TRUSTBUNDLE_FAILURE_NONE = 0,
  TRUSTBUNDLE_FAILURE_DNS = 1,                /* the name did not resolve, or not within the timeout */
  TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED = 2, /* nothing listens on the port */
  TRUSTBUNDLE_FAILURE_TIMEOUT = 3,            /* no connection, or no handshake, within the timeout */
  TRUSTBUNDLE_FAILURE_NETWORK = 4,            /* unreachable, reset, or another socket error */
  TRUSTBUNDLE_FAILURE_PLAIN_HTTP = 5,         /* the port answered in plain HTTP */
  TRUSTBUNDLE_FAILURE_NOT_TLS = 6,            /* the port answered in another protocol */
  TRUSTBUNDLE_FAILURE_HANDSHAKE_ALERT = 7,    /* the server ended the handshake with an alert */
  TRUSTBUNDLE_FAILURE_HANDSHAKE = 8,          /* closed mid-handshake, no common protocol, ... */
  TRUSTBUNDLE_FAILURE_CLIENT_CERT = 9         /* the server refused the client certificate, or its
                                                 absence (verdict REJECTED, not UNREACHABLE) */
} trustbundle_failure;

/* A stable name, e.g. "CONNECTION_REFUSED". Static. Unknown: "UNKNOWN". */
TRUSTBUNDLE_API const char *trustbundle_failure_name(int failure);

typedef enum trustbundle_severity {
  TRUSTBUNDLE_SEVERITY_INFO = 0,     /* worth knowing; nothing to fix */
  TRUSTBUNDLE_SEVERITY_WARNING = 1,  /* works today; fix it before it breaks */
  TRUSTBUNDLE_SEVERITY_ERROR = 2     /* why the endpoint fails */
} trustbundle_severity;

/* What a diagnosis can find. Values are never renumbered, only appended. */
typedef enum trustbundle_finding_code {
  TRUSTBUNDLE_FINDING_CONNECTION_FAILED = 1,      /* see trustbundle_probe_failure */
  TRUSTBUNDLE_FINDING_MISSING_INTERMEDIATE = 2,   /* the server did not send an issuer */
  TRUSTBUNDLE_FINDING_OUT_OF_ORDER = 3,
  TRUSTBUNDLE_FINDING_DUPLICATE_CERT = 4,
  TRUSTBUNDLE_FINDING_ROOT_SENT = 5,              /* harmless */
  TRUSTBUNDLE_FINDING_UNUSED_CERT = 6,            /* sent, but on no path from the leaf */
  TRUSTBUNDLE_FINDING_LEAF_EXPIRED = 7,
  TRUSTBUNDLE_FINDING_LEAF_EXPIRING = 8,          /* within 30 days */
  TRUSTBUNDLE_FINDING_LEAF_NOT_YET_VALID = 9,
  TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRED = 10,
  TRUSTBUNDLE_FINDING_INTERMEDIATE_EXPIRING = 11, /* within 30 days */
  TRUSTBUNDLE_FINDING_NAME_MISMATCH = 12,         /* the message lists the certificate's names */
  TRUSTBUNDLE_FINDING_SELF_SIGNED_LEAF = 13,
  TRUSTBUNDLE_FINDING_UNKNOWN_ROOT = 14,          /* the root is not in the bundle nor an extra CA */
  TRUSTBUNDLE_FINDING_EXTRA_CA_ANCHOR = 15,       /* verifies only thanks to an extra CA */
  TRUSTBUNDLE_FINDING_VERIFY_FAILED = 16,         /* another verification failure: see the reason */
  TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUESTED = 17, /* the server asks for one, optionally */
  TRUSTBUNDLE_FINDING_CLIENT_CERT_REQUIRED = 18,  /* the server requires one and none was offered */
  TRUSTBUNDLE_FINDING_CLIENT_CERT_REJECTED = 19,  /* the server refused the one offered */
  TRUSTBUNDLE_FINDING_CLIENT_KEY_MISMATCH = 20,   /* the key is not the certificate's: not offered */
  TRUSTBUNDLE_FINDING_CLIENT_CERT_UNUSABLE = 21,  /* no clientAuth usage, or outside its validity */
  TRUSTBUNDLE_FINDING_OLD_PROTOCOL = 22,          /* TLS 1.1 or older negotiated */
  TRUSTBUNDLE_FINDING_STALE_BUNDLE = 23           /* no known issuer, and the bundle is old: upgrade it */
} trustbundle_finding_code;

#define TRUSTBUNDLE_FINDING_VERSION 1

/* One finding. Pointers are valid until the probe is freed. */
typedef struct trustbundle_finding {
  unsigned int version;
  int code;                /* trustbundle_finding_code */
  const char *name;        /* the code's stable name, e.g. "MISSING_INTERMEDIATE" */
  int severity;            /* trustbundle_severity */
  int index;               /* the served certificate concerned (0 = leaf); -1 when none */
  const char *message;     /* what is wrong, one line */
  const char *fix_client;  /* what to change on the client side; "" when nothing */
  const char *fix_server;  /* what to change on the server side; "" when nothing */
} trustbundle_finding;

#define TRUSTBUNDLE_FINDING_INIT {TRUSTBUNDLE_FINDING_VERSION, 0, 0, 0, -1, 0, 0, 0}

#define TRUSTBUNDLE_PROBE_CERT_VERSION 1

/* One certificate as the server sent it. Pointers are valid until the
 * probe is freed. */
typedef struct trustbundle_probe_cert {
  unsigned int version;
  const char *subject;     /* "CN=... O=... OU=...", as trustbundle_root_info */
  const char *issuer;
  int64_t not_before;      /* Unix seconds; both 0 when the certificate's */
  int64_t not_after;       /* validity cannot be read (the verdict says so) */
  const char *key_type;    /* "RSA", "EC", "Ed25519", "Ed448", "DSA" or "unknown" */
  int key_bits;
  const char *sha256_hex;  /* lowercase hex, no separators */
  const unsigned char *der;
  size_t der_len;
} trustbundle_probe_cert;

#define TRUSTBUNDLE_PROBE_CERT_INIT {TRUSTBUNDLE_PROBE_CERT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/* Whose terms the doctor's fixes use for the caller's options: the
 * command-line tool's flags (--extra-ca, --servername, --timeout, --cert and
 * --key) or the package's own arguments (Python extra_ca=, Node
 * { extraCa }, Ruby extra_ca:, Go ExtraCA ...). Values are never renumbered,
 * only appended. */
typedef enum trustbundle_language {
  TRUSTBUNDLE_LANGUAGE_CLI = 0,
  TRUSTBUNDLE_LANGUAGE_PYTHON = 1,
  TRUSTBUNDLE_LANGUAGE_NODE = 2,
  TRUSTBUNDLE_LANGUAGE_RUBY = 3,
  TRUSTBUNDLE_LANGUAGE_GO = 4
} trustbundle_language;

/* Version 2 appended `language`; version 1 structs are still accepted (CLI terms). */
#define TRUSTBUNDLE_PROBE_OPTIONS_VERSION 2

typedef struct trustbundle_probe_options {
  unsigned int version;
  const char *servername;   /* SNI and the name verified; NULL or "" = the target's host
                               (an IP literal is verified as an IP and sent no SNI) */
  int timeout_ms;           /* bound on the whole probe: DNS, connect, handshake; <= 0 = 10000 */
  const unsigned char *client_cert;  /* optional mTLS certificate: PEM (may hold its chain) or DER */
  size_t client_cert_len;
  const unsigned char *client_key;   /* its private key: PEM or DER, PKCS#8 encrypted or not */
  size_t client_key_len;
  const char *client_key_passphrase; /* NULL when the key is not encrypted */
  int language;             /* trustbundle_language of the fix texts; another value is INVALID_ARGUMENT */
} trustbundle_probe_options;

#define TRUSTBUNDLE_PROBE_OPTIONS_INIT {TRUSTBUNDLE_PROBE_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0, 0, TRUSTBUNDLE_LANGUAGE_CLI}

/* Diagnoses target: "HOST", "HOST:PORT", "[IPv6]:PORT" or an https:// URL
 * (port 443 by default), trusting what `store` trusts. Blocks for at most
 * about options->timeout_ms. Returns TRUSTBUNDLE_OK whenever a diagnosis was
 * reached, the endpoint unreachable included: read it from *out. Fails with
 * *out NULL for a malformed target or options (INVALID_ARGUMENT), an
 * unreadable client certificate or key (PARSE), or a key that needs a
 * passphrase (PASSPHRASE). options NULL means defaults. */
TRUSTBUNDLE_API int trustbundle_probe_new(trustbundle_probe **out, const trustbundle_store *store,
                                          const char *target, const trustbundle_probe_options *options,
                                          trustbundle_error *error);

/* trustbundle_verdict; TRUSTBUNDLE_VERDICT_UNREACHABLE for NULL. */
TRUSTBUNDLE_API int trustbundle_probe_verdict(const trustbundle_probe *probe);
/* trustbundle_failure; TRUSTBUNDLE_FAILURE_NONE when the handshake completed (and for NULL). */
TRUSTBUNDLE_API int trustbundle_probe_failure(const trustbundle_probe *probe);
/* trustbundle_reason of the served chain; TRUSTBUNDLE_REASON_OTHER when no
 * certificate was captured (and for NULL). */
TRUSTBUNDLE_API int trustbundle_probe_reason(const trustbundle_probe *probe);
/* The verdict in one line, e.g. "connection refused by 127.0.0.1:1". "" for NULL. */
TRUSTBUNDLE_API const char *trustbundle_probe_message(const trustbundle_probe *probe);
/* The verification hint (as trustbundle_result_hint); "" when none. */
TRUSTBUNDLE_API const char *trustbundle_probe_hint(const trustbundle_probe *probe);
/* Negotiated protocol ("TLSv1.3") and cipher; "" when the handshake failed. */
TRUSTBUNDLE_API const char *trustbundle_probe_protocol(const trustbundle_probe *probe);
TRUSTBUNDLE_API const char *trustbundle_probe_cipher(const trustbundle_probe *probe);
/* 1 if the server asked for a client certificate, else 0. */
TRUSTBUNDLE_API int trustbundle_probe_client_cert_requested(const trustbundle_probe *probe);

/* Certificates as served, in the order sent (0 = what the server presented
 * as its own). 0 for NULL. */
TRUSTBUNDLE_API size_t trustbundle_probe_cert_count(const trustbundle_probe *probe);
/* Fills *out with served certificate index. TRUSTBUNDLE_E_NOT_FOUND past the end. */
TRUSTBUNDLE_API int trustbundle_probe_cert_get(trustbundle_probe_cert *out, const trustbundle_probe *probe,
                                               size_t index, trustbundle_error *error);

/* Findings, errors first. 0 for NULL. */
TRUSTBUNDLE_API size_t trustbundle_probe_finding_count(const trustbundle_probe *probe);
/* Fills *out with finding index. TRUSTBUNDLE_E_NOT_FOUND past the end. */
TRUSTBUNDLE_API int trustbundle_probe_finding_get(trustbundle_finding *out, const trustbundle_probe *probe,
                                                  size_t index, trustbundle_error *error);

/* The fixes of every warning and error, one per line, for the client side
 * and the server side; "" when there is nothing to fix (and for NULL). */
TRUSTBUNDLE_API const char *trustbundle_probe_fix_client(const trustbundle_probe *probe);
TRUSTBUNDLE_API const char *trustbundle_probe_fix_server(const trustbundle_probe *probe);

/* The whole diagnosis as a JSON document, and as the one-screen report
 * `trustbundle doctor` prints, NUL-terminated. NULL for NULL. */
TRUSTBUNDLE_API const char *trustbundle_probe_json(const trustbundle_probe *probe);
TRUSTBUNDLE_API const char *trustbundle_probe_text(const trustbundle_probe *probe);

/* Frees a probe. NULL is accepted and ignored. */
TRUSTBUNDLE_API void trustbundle_probe_free(trustbundle_probe *probe);

/* ------------------------------------------------------------------- tool */

/* Runs the `trustbundle` command-line tool, as a main() would: argv[0] is
 * the program's name (ignored: usage and messages always say "trustbundle",
 * so every package's tool prints the same bytes), argv[1..argc-1] the
 * command and its arguments (argc 0, argv NULL: no arguments). The strings
 * are borrowed for the call.
 * Output goes to the process's standard output and error (file descriptors
 * 1 and 2, through C stdio); both are flushed before it returns. "-" as a
 * file argument reads standard input. Returns the exit code: 0 success, 1 a
 * negative answer (verify rejected, check-pair or doctor failed), 2 bad
 * usage or input (the reason on standard error; doctor: unreachable).
 * No exception escapes, and it never exits the process.
 * Thread safety: NOT the rule above. Meant for a process's main thread, as
 * its main(): it reads the environment (TRUSTBUNDLE_EXTRA_CA_CERTS,
 * TRUSTBUNDLE_CACHE_DIR, XDG_CACHE_HOME, HOME, SSL_CERT_FILE, SSL_CERT_DIR)
 * and writes the standard streams, so nothing else may change either
 * meanwhile. Flush the host language's own buffered output before calling. */
TRUSTBUNDLE_API int trustbundle_cli_main(int argc, const char *const *argv);

#ifdef __cplusplus
}
#endif

#endif /* TRUSTBUNDLE_TRUSTBUNDLE_H */
