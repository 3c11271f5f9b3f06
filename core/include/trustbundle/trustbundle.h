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
 *   creation and may be shared between threads.
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
  TRUSTBUNDLE_E_INTERNAL = -7          /* a bug or allocation failure */
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

#ifdef __cplusplus
}
#endif

#endif /* TRUSTBUNDLE_TRUSTBUNDLE_H */
