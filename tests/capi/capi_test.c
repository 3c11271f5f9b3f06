/*
 * The C ABI from C99: compiled with -std=c99 -pedantic -Werror -Wall -Wextra
 * and linked against the shared library only. Calls every function of
 * trustbundle.h, with good arguments and with NULL, empty and garbage ones.
 * Prints one line per failure and, last, "N passed, M failed"; exits
 * non-zero when anything failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trustbundle/trustbundle.h"

#ifndef TB_SHARED_DIR
#define TB_SHARED_DIR ""
#endif

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      ++passed;                                                       \
    } else {                                                          \
      ++failed;                                                       \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

#define CHECK_STATUS(expr, expected)                                                      \
  do {                                                                                    \
    int got_ = (expr);                                                                    \
    if (got_ == (expected)) {                                                             \
      ++passed;                                                                           \
    } else {                                                                              \
      ++failed;                                                                           \
      fprintf(stderr, "%s:%d: FAILED: %s gave %d (%s), expected %s\n", __FILE__, __LINE__, \
              #expr, got_, trustbundle_status_name(got_), #expected);                     \
    }                                                                                     \
  } while (0)

/* ------------------------------------------------------------ helpers */

static char *read_whole_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t got;
    if (n + 65536 + 1 > cap) {
      char *bigger;
      cap = (n + 65536 + 1) * 2;
      bigger = (char *)realloc(buf, cap);
      if (bigger == NULL) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = bigger;
    }
    got = fread(buf + n, 1, 65536, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

static void remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    if (dir != NULL) {
      struct dirent *entry;
      while ((entry = readdir(dir)) != NULL) {
        char child[4096];
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        remove_tree(child);
      }
      closedir(dir);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

static size_t count_entries(const char *path) {
  size_t n = 0;
  DIR *dir = opendir(path);
  struct dirent *entry;
  if (dir == NULL) return 0;
  while ((entry = readdir(dir)) != NULL)
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) ++n;
  closedir(dir);
  return n;
}

static size_t count_substr(const char *text, const char *needle) {
  size_t n = 0;
  const char *p = text;
  while ((p = strstr(p, needle)) != NULL) {
    ++n;
    p += strlen(needle);
  }
  return n;
}

static int is_lower_hex(const char *s, size_t len) {
  size_t i;
  if (s == NULL || strlen(s) != len) return 0;
  for (i = 0; i < len; ++i)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

static int starts_with(const char *s, const char *prefix) {
  return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static char temp_root[1024];

static void make_path(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", temp_root, name); }

/* ---------------------------------------------------- version, status */

static void test_version(void) {
  const char *v = trustbundle_version();
  CHECK(v != NULL && strcmp(v, TRUSTBUNDLE_VERSION_STRING) == 0);
  CHECK(trustbundle_version_number() == TRUSTBUNDLE_VERSION_NUMBER);
  CHECK(TRUSTBUNDLE_VERSION_NUMBER ==
        TRUSTBUNDLE_VERSION_MAJOR * 10000 + TRUSTBUNDLE_VERSION_MINOR * 100 + TRUSTBUNDLE_VERSION_PATCH);
}

static void test_status_name(void) {
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_OK), "OK") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_PARSE), "PARSE") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_IO), "IO") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_NOT_FOUND), "NOT_FOUND") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_BUFFER_TOO_SMALL), "BUFFER_TOO_SMALL") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_LIMIT), "LIMIT") == 0);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_INTERNAL), "INTERNAL") == 0);
  CHECK(strcmp(trustbundle_status_name(1), "UNKNOWN") == 0);
  CHECK(strcmp(trustbundle_status_name(-99), "UNKNOWN") == 0);
  CHECK(strcmp(trustbundle_status_name(INT_MIN), "UNKNOWN") == 0);
  /* Values are never renumbered. */
  CHECK(TRUSTBUNDLE_E_INVALID_ARGUMENT == -1 && TRUSTBUNDLE_E_PARSE == -2 && TRUSTBUNDLE_E_IO == -3 &&
        TRUSTBUNDLE_E_NOT_FOUND == -4 && TRUSTBUNDLE_E_BUFFER_TOO_SMALL == -5 && TRUSTBUNDLE_E_LIMIT == -6 &&
        TRUSTBUNDLE_E_INTERNAL == -7 && TRUSTBUNDLE_E_PASSPHRASE == -8);
  CHECK(strcmp(trustbundle_status_name(TRUSTBUNDLE_E_PASSPHRASE), "PASSPHRASE") == 0);
}

/* ----------------------------------------------------------------- time */

static void test_time_parse(void) {
  int64_t t = -1;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  CHECK_STATUS(trustbundle_time_parse(&t, "2026-05-20T00:00:00Z", &error), TRUSTBUNDLE_OK);
  CHECK(t == INT64_C(1779235200));
  CHECK(error.status == 0 && error.message[0] == '\0'); /* untouched on success */
  t = -1;
  CHECK_STATUS(trustbundle_time_parse(&t, "1779235200", NULL), TRUSTBUNDLE_OK);
  CHECK(t == INT64_C(1779235200));
  t = -1;
  CHECK_STATUS(trustbundle_time_parse(&t, "2026-05-20T00:00:00.999Z", NULL), TRUSTBUNDLE_OK);
  CHECK(t == INT64_C(1779235200));
  t = -1;
  CHECK_STATUS(trustbundle_time_parse(&t, "2026-05-20T00:00:00+00:00", NULL), TRUSTBUNDLE_OK);
  CHECK(t == INT64_C(1779235200));

  CHECK_STATUS(trustbundle_time_parse(&t, "garbage", &error), TRUSTBUNDLE_E_PARSE);
  CHECK(error.status == TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "garbage") != NULL);
  CHECK(error.depth == -1);
  CHECK_STATUS(trustbundle_time_parse(&t, "", NULL), TRUSTBUNDLE_E_PARSE);
  CHECK_STATUS(trustbundle_time_parse(&t, "2026-02-30T00:00:00Z", NULL), TRUSTBUNDLE_E_PARSE);
  CHECK_STATUS(trustbundle_time_parse(&t, "2026-05-20 00:00:00", NULL), TRUSTBUNDLE_E_PARSE);
  CHECK_STATUS(trustbundle_time_parse(&t, NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(error.status == TRUSTBUNDLE_E_INVALID_ARGUMENT && error.message[0] != '\0');
  CHECK_STATUS(trustbundle_time_parse(NULL, "2026-05-20T00:00:00Z", NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_time_parse(NULL, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
}

/* --------------------------------------------------------------- bundle */

static void test_bundle_identity(void) {
  const char *nss = trustbundle_bundle_nss_version();
  const char *version = trustbundle_bundle_version();
  int64_t as_of = trustbundle_bundle_as_of();
  int64_t parsed = 0;
  CHECK(nss != NULL && strchr(nss, '.') != NULL);
  CHECK(version != NULL && starts_with(version, nss) && version[strlen(nss)] == '/');
  CHECK(as_of > INT64_C(1700000000));
  CHECK(trustbundle_bundle_age_days(as_of) == 0);
  CHECK(trustbundle_bundle_age_days(as_of - 86400) == 0);
  CHECK(trustbundle_bundle_age_days(as_of + 86399) == 0);
  CHECK(trustbundle_bundle_age_days(as_of + 181 * INT64_C(86400) + 5) == 181);
  if (version != NULL && nss != NULL && strlen(version) > strlen(nss)) {
    CHECK_STATUS(trustbundle_time_parse(&parsed, version + strlen(nss) + 1, NULL), TRUSTBUNDLE_OK);
    CHECK(parsed == as_of);
  }
  /* Static: the same pointer every time. */
  CHECK(trustbundle_bundle_version() == version);
  CHECK(trustbundle_bundle_nss_version() == nss);
}

static void test_roots(void) {
  size_t count = trustbundle_root_count();
  size_t i;
  int all_good = 1;
  trustbundle_root_info info = TRUSTBUNDLE_ROOT_INFO_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  CHECK(count > 0);
  CHECK(info.version == TRUSTBUNDLE_ROOT_INFO_VERSION);
  for (i = 0; i < count; ++i) {
    trustbundle_root_info r = TRUSTBUNDLE_ROOT_INFO_INIT;
    int ok = trustbundle_root_get(&r, i, NULL) == TRUSTBUNDLE_OK && r.label != NULL && r.label[0] != '\0' &&
             is_lower_hex(r.sha256_hex, 64) && is_lower_hex(r.sha1_hex, 40) && r.subject != NULL &&
             r.issuer != NULL && r.serial != NULL && r.serial[0] >= '0' && r.serial[0] <= '9' &&
             r.not_before < r.not_after && r.server_trust == TRUSTBUNDLE_TRUST_TRUSTED &&
             r.email_trust >= TRUSTBUNDLE_TRUST_NONE && r.email_trust <= TRUSTBUNDLE_TRUST_NOT_TRUSTED &&
             (r.has_server_distrust_after == 0 || r.has_server_distrust_after == 1) && r.der != NULL &&
             r.der_len > 100 && r.der[0] == 0x30;
    if (!ok) {
      fprintf(stderr, "root %lu has bad metadata\n", (unsigned long)i);
      all_good = 0;
    }
  }
  CHECK(all_good);

  CHECK_STATUS(trustbundle_root_get(&info, count, &error), TRUSTBUNDLE_E_NOT_FOUND);
  CHECK(error.status == TRUSTBUNDLE_E_NOT_FOUND && strstr(error.message, "out of range") != NULL);
  CHECK_STATUS(trustbundle_root_get(&info, (size_t)-1, NULL), TRUSTBUNDLE_E_NOT_FOUND);
  CHECK_STATUS(trustbundle_root_get(NULL, 0, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  info.version = 0; /* not initialized with _INIT */
  CHECK_STATUS(trustbundle_root_get(&info, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
}

static void test_bundle_pem(void) {
  size_t len = 0;
  const char *pem = trustbundle_bundle_pem(&len);
  const char *again = trustbundle_bundle_pem(NULL);
  CHECK(pem != NULL);
  CHECK(again == pem);
  if (pem == NULL) return;
  CHECK(strlen(pem) == len);
  CHECK(count_substr(pem, "-----BEGIN CERTIFICATE-----\n") == trustbundle_root_count());
  CHECK(count_substr(pem, "-----END CERTIFICATE-----\n") == trustbundle_root_count());
  CHECK(starts_with(pem, "\n# Issuer: "));
  CHECK(pem[len - 1] == '\n');
}

/* ----------------------------------------------------- files on disk */

static void test_materialize(void) {
  char dir[4096], path[4096], expected[4096 + 16], blocker[4096], below[4096 + 8];
  char tiny[4];
  size_t pem_len = 0, file_len = 0;
  const char *pem = trustbundle_bundle_pem(&pem_len);
  char *written;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  make_path(dir, sizeof dir, "materialize/nested");
  CHECK_STATUS(trustbundle_materialize(path, sizeof path, dir, &error), TRUSTBUNDLE_OK);
  snprintf(expected, sizeof expected, "%s/cacert.pem", dir);
  CHECK(strcmp(path, expected) == 0);
  written = read_whole_file(expected, &file_len);
  CHECK(written != NULL && file_len == pem_len && memcmp(written, pem, pem_len) == 0);
  free(written);
  CHECK(count_entries(dir) == 1);
  /* Again: reused, same answer. */
  CHECK_STATUS(trustbundle_materialize(path, sizeof path, dir, NULL), TRUSTBUNDLE_OK);
  CHECK(strcmp(path, expected) == 0);

  /* Buffers too small for the path: exactly one byte short, and none. */
  CHECK_STATUS(trustbundle_materialize(tiny, sizeof tiny, dir, &error), TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK(error.status == TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK_STATUS(trustbundle_materialize(path, strlen(expected), dir, NULL), TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK_STATUS(trustbundle_materialize(path, strlen(expected) + 1, dir, NULL), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_materialize(path, 0, dir, NULL), TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK_STATUS(trustbundle_materialize(NULL, sizeof path, dir, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);

  /* Unwritable: a directory below a regular file cannot exist, even for root. */
  make_path(blocker, sizeof blocker, "plain-file");
  {
    FILE *f = fopen(blocker, "w");
    CHECK(f != NULL);
    if (f != NULL) fclose(f);
  }
  snprintf(below, sizeof below, "%s/sub", blocker);
  memset(&error, 0, sizeof error);
  CHECK_STATUS(trustbundle_materialize(path, sizeof path, below, &error), TRUSTBUNDLE_E_IO);
  CHECK(error.status == TRUSTBUNDLE_E_IO && strstr(error.message, blocker) != NULL);

  /* dir NULL: the cache directory, here $TRUSTBUNDLE_CACHE_DIR. */
  make_path(dir, sizeof dir, "cache");
  CHECK(setenv("TRUSTBUNDLE_CACHE_DIR", dir, 1) == 0);
  CHECK_STATUS(trustbundle_materialize(path, sizeof path, NULL, NULL), TRUSTBUNDLE_OK);
  CHECK(starts_with(path, dir) && strstr(path, trustbundle_bundle_nss_version()) != NULL);
  CHECK(strlen(path) > 11 && strcmp(path + strlen(path) - 11, "/cacert.pem") == 0);
}

static void test_capath_export(void) {
  char dir[4096], path[4096], tiny[8], below[4096 + 32];
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  make_path(dir, sizeof dir, "capath");
  CHECK_STATUS(trustbundle_capath_export(path, sizeof path, dir, &error), TRUSTBUNDLE_OK);
  CHECK(strcmp(path, dir) == 0);
  CHECK(count_entries(dir) == trustbundle_root_count());
  CHECK_STATUS(trustbundle_capath_export(path, sizeof path, dir, NULL), TRUSTBUNDLE_OK); /* reused */
  CHECK(count_entries(dir) == trustbundle_root_count());

  CHECK_STATUS(trustbundle_capath_export(tiny, sizeof tiny, dir, &error), TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK(error.status == TRUSTBUNDLE_E_BUFFER_TOO_SMALL);
  CHECK_STATUS(trustbundle_capath_export(NULL, sizeof path, dir, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  snprintf(below, sizeof below, "%s/plain-file/capath", temp_root);
  CHECK_STATUS(trustbundle_capath_export(path, sizeof path, below, &error), TRUSTBUNDLE_E_IO);
  CHECK(error.status == TRUSTBUNDLE_E_IO);
  /* A directory that holds other files is refused, not emptied. */
  CHECK_STATUS(trustbundle_capath_export(path, sizeof path, temp_root, &error), TRUSTBUNDLE_E_IO);

  /* dir NULL: "capath" beside the materialized cacert.pem ($TRUSTBUNDLE_CACHE_DIR). */
  CHECK_STATUS(trustbundle_capath_export(path, sizeof path, NULL, NULL), TRUSTBUNDLE_OK);
  CHECK(starts_with(path, getenv("TRUSTBUNDLE_CACHE_DIR")));
  CHECK(strlen(path) > 7 && strcmp(path + strlen(path) - 7, "/capath") == 0);
  CHECK(count_entries(path) == trustbundle_root_count());
}

/* ----------------------------------------------------------------- diff */

static void test_diff_embedded(void) {
  size_t len = 0;
  const char *pem = trustbundle_bundle_pem(&len);
  const unsigned char *bytes = (const unsigned char *)pem;
  const char *second = strstr(pem + 1, "\n# Issuer: "); /* the bundle without its first root */
  trustbundle_diff *diff = NULL;
  trustbundle_diff_entry entry = TRUSTBUNDLE_DIFF_ENTRY_INIT;
  trustbundle_root_info first = TRUSTBUNDLE_ROOT_INFO_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  const char *json;

  /* Identical sides: nothing changed. */
  CHECK_STATUS(trustbundle_diff_new(&diff, bytes, len, bytes, len, &error), TRUSTBUNDLE_OK);
  CHECK(diff != NULL);
  CHECK(trustbundle_diff_count(diff) == 0);
  json = trustbundle_diff_json(diff);
  CHECK(json != NULL && strstr(json, "\"added\": 0") != NULL && strstr(json, "\"removed\": 0") != NULL);
  CHECK_STATUS(trustbundle_diff_get(&entry, diff, 0, &error), TRUSTBUNDLE_E_NOT_FOUND);
  trustbundle_diff_free(diff);

  /* One root fewer on the new side: one removal, named. */
  CHECK(second != NULL);
  CHECK_STATUS(trustbundle_root_get(&first, 0, NULL), TRUSTBUNDLE_OK);
  diff = NULL;
  CHECK_STATUS(trustbundle_diff_new(&diff, bytes, len, (const unsigned char *)second, len - (size_t)(second - pem), NULL),
               TRUSTBUNDLE_OK);
  CHECK(trustbundle_diff_count(diff) == 1);
  CHECK_STATUS(trustbundle_diff_get(&entry, diff, 0, NULL), TRUSTBUNDLE_OK);
  CHECK(entry.change == TRUSTBUNDLE_CHANGE_REMOVED);
  CHECK(entry.sha256_hex != NULL && first.sha256_hex != NULL && strcmp(entry.sha256_hex, first.sha256_hex) == 0);
  CHECK(entry.label != NULL && entry.detail != NULL);
  json = trustbundle_diff_json(diff);
  CHECK(json != NULL && strstr(json, "\"removed\": 1") != NULL && strstr(json, first.sha256_hex) != NULL);

  /* trustbundle_diff_get argument checks. */
  CHECK_STATUS(trustbundle_diff_get(&entry, diff, 1, &error), TRUSTBUNDLE_E_NOT_FOUND);
  CHECK(error.status == TRUSTBUNDLE_E_NOT_FOUND);
  CHECK_STATUS(trustbundle_diff_get(NULL, diff, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_diff_get(&entry, NULL, 0, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  entry.version = 0;
  CHECK_STATUS(trustbundle_diff_get(&entry, diff, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  trustbundle_diff_free(diff);
}

static void test_diff_bad_arguments(void) {
  static const unsigned char garbage[] = {0x00, 0xff, 0x13, 0x37, 'B', 'E', 'G', 'I', 'N', 0x80, 0x01, '\n', 0xfe};
  static const unsigned char not_a_bundle[] = "just some text\nwithout any certificate\n";
  size_t len = 0;
  const unsigned char *pem = (const unsigned char *)trustbundle_bundle_pem(&len);
  trustbundle_diff *diff = (trustbundle_diff *)&len; /* any non-NULL value: must come back NULL */
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  CHECK_STATUS(trustbundle_diff_new(&diff, garbage, sizeof garbage, pem, len, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(diff == NULL);
  CHECK(error.status == TRUSTBUNDLE_E_PARSE && strstr(error.message, "old bundle") != NULL);
  CHECK_STATUS(trustbundle_diff_new(&diff, pem, len, garbage, sizeof garbage, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "new bundle") != NULL);
  CHECK_STATUS(trustbundle_diff_new(&diff, not_a_bundle, sizeof not_a_bundle - 1, pem, len, NULL), TRUSTBUNDLE_E_PARSE);
  /* Empty input, with and without a pointer. */
  CHECK_STATUS(trustbundle_diff_new(&diff, pem, 0, pem, len, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "empty") != NULL);
  CHECK_STATUS(trustbundle_diff_new(&diff, NULL, 0, pem, len, NULL), TRUSTBUNDLE_E_PARSE);
  CHECK_STATUS(trustbundle_diff_new(&diff, pem, len, NULL, 0, NULL), TRUSTBUNDLE_E_PARSE);
  /* NULL with a length, NULL out. */
  CHECK_STATUS(trustbundle_diff_new(&diff, NULL, 10, pem, len, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(diff == NULL);
  CHECK_STATUS(trustbundle_diff_new(&diff, pem, len, NULL, 10, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_diff_new(NULL, pem, len, pem, len, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  /* A PEM cut inside a block. */
  CHECK_STATUS(trustbundle_diff_new(&diff, pem, len / 2, pem, len, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "old bundle:") != NULL);

  /* NULL handles are accepted where documented. */
  CHECK(trustbundle_diff_count(NULL) == 0);
  CHECK(trustbundle_diff_json(NULL) == NULL);
  trustbundle_diff_free(NULL);
  ++passed; /* survived trustbundle_diff_free(NULL) */
}

static void test_diff_mozilla(void) {
  char old_path[4096], new_path[4096];
  size_t old_len = 0, new_len = 0, i, added = 0, removed = 0, distrust = 0;
  char *old_text, *new_text;
  trustbundle_diff *diff = NULL;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;

  snprintf(old_path, sizeof old_path, "%s/certdata-older.txt", TB_SHARED_DIR);
  snprintf(new_path, sizeof new_path, "%s/certdata.txt", TB_SHARED_DIR);
  old_text = read_whole_file(old_path, &old_len);
  new_text = read_whole_file(new_path, &new_len);
  if (old_text == NULL || new_text == NULL) {
    printf("skipped: Mozilla certdata 2.74 -> 2.86 diff (%s not found)\n", TB_SHARED_DIR);
    free(old_text);
    free(new_text);
    return;
  }
  CHECK_STATUS(trustbundle_diff_new(&diff, (const unsigned char *)old_text, old_len, (const unsigned char *)new_text,
                                    new_len, &error),
               TRUSTBUNDLE_OK);
  for (i = 0; i < trustbundle_diff_count(diff); ++i) {
    trustbundle_diff_entry e = TRUSTBUNDLE_DIFF_ENTRY_INIT;
    if (trustbundle_diff_get(&e, diff, i, NULL) != TRUSTBUNDLE_OK) continue;
    added += e.change == TRUSTBUNDLE_CHANGE_ADDED;
    removed += e.change == TRUSTBUNDLE_CHANGE_REMOVED;
    distrust += e.change == TRUSTBUNDLE_CHANGE_DISTRUST_CHANGED;
  }
  CHECK(added == 6);
  CHECK(removed == 35);
  CHECK(distrust == 2);
  CHECK(trustbundle_diff_json(diff) != NULL && strstr(trustbundle_diff_json(diff), "\"removed\": 35") != NULL);
  trustbundle_diff_free(diff);
  free(old_text);
  free(new_text);
}

/* ---------------------------------------------------------------- store */

static void test_store(void) {
  trustbundle_store_builder *builder = NULL;
  trustbundle_store *store = NULL;
  trustbundle_store_options options = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  trustbundle_root_info root = TRUSTBUNDLE_ROOT_INFO_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  static const unsigned char garbage[] = {0x30, 0x03, 0x02, 0x01, 0x00, 0xde, 0xad};
  char missing[1100];
  int rc;

  CHECK(unsetenv("TRUSTBUNDLE_EXTRA_CA_CERTS") == 0);
  CHECK(options.version == TRUSTBUNDLE_STORE_OPTIONS_VERSION && options.mozilla == 1 && options.env == 1 &&
        options.system == 0);

  /* The default store: Mozilla only, nothing extra. */
  CHECK_STATUS(trustbundle_store_new_default(&store, &error), TRUSTBUNDLE_OK);
  CHECK(store != NULL);
  CHECK(trustbundle_store_extra_count(store) == 0);
  trustbundle_store_free(store);
  CHECK_STATUS(trustbundle_store_new_default(NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(trustbundle_store_extra_count(NULL) == 0);

  /* Builder argument checks. */
  CHECK_STATUS(trustbundle_store_builder_new(NULL, NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.version = 0;
  builder = (trustbundle_store_builder *)&options; /* must come back NULL */
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &options, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(builder == NULL);
  options.version = TRUSTBUNDLE_STORE_OPTIONS_VERSION;
  CHECK_STATUS(trustbundle_store_builder_add_path(NULL, "/etc", NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_builder_add_data(NULL, garbage, sizeof garbage, NULL, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_build(&store, NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(store == NULL);

  /* Only what is added: one embedded root, as DER. */
  options.mozilla = 0;
  options.env = 0;
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &options, &error), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_store_builder_add_path(builder, NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_builder_add_path(builder, "", NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_builder_add_data(builder, NULL, 5, "x", NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_builder_add_data(builder, garbage, 0, "empty source", &error), TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "empty source") != NULL);
  CHECK_STATUS(trustbundle_root_get(&root, 0, NULL), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_store_builder_add_data(builder, root.der, root.der_len, "root 0", &error), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_store_build(NULL, builder, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_store_build(&store, builder, &error), TRUSTBUNDLE_OK);
  CHECK(trustbundle_store_extra_count(store) == 1);
  trustbundle_store_free(store);
  trustbundle_store_builder_free(builder);

  /* Garbage bytes: an error naming the source, when added or when built. */
  builder = NULL;
  store = NULL;
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &options, NULL), TRUSTBUNDLE_OK);
  rc = trustbundle_store_builder_add_data(builder, garbage, sizeof garbage, "garbage source", &error);
  if (rc == TRUSTBUNDLE_OK) rc = trustbundle_store_build(&store, builder, &error);
  CHECK(rc == TRUSTBUNDLE_E_PARSE);
  CHECK(strstr(error.message, "garbage source") != NULL);
  CHECK(store == NULL);
  trustbundle_store_builder_free(builder);

  /* A path that does not exist: an error naming it, when added or when built. */
  builder = NULL;
  snprintf(missing, sizeof missing, "%s/no-such-ca.pem", temp_root);
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &options, NULL), TRUSTBUNDLE_OK);
  rc = trustbundle_store_builder_add_path(builder, missing, &error);
  if (rc == TRUSTBUNDLE_OK) rc = trustbundle_store_build(&store, builder, &error);
  CHECK(rc == TRUSTBUNDLE_E_IO);
  CHECK(strstr(error.message, missing) != NULL);
  CHECK(store == NULL);
  trustbundle_store_builder_free(builder);

  trustbundle_store_builder_free(NULL);
  trustbundle_store_free(NULL);
  ++passed; /* survived the NULL frees */
}

/* --------------------------------------------------------------- verify */

static void test_reason_name(void) {
  int r;
  int all_named = 1;
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_OK), "OK") == 0);
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
               "UNABLE_TO_GET_ISSUER_CERT_LOCALLY") == 0);
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_CERT_HAS_EXPIRED), "CERT_HAS_EXPIRED") == 0);
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH), "HOSTNAME_MISMATCH") == 0);
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_ROOT_DISTRUSTED), "ROOT_DISTRUSTED") == 0);
  for (r = TRUSTBUNDLE_REASON_OK; r <= TRUSTBUNDLE_REASON_OTHER; ++r) {
    const char *name = trustbundle_reason_name(r);
    if (name == NULL || name[0] == '\0' || strcmp(name, "UNKNOWN") == 0) {
      fprintf(stderr, "reason %d has no name\n", r);
      all_named = 0;
    }
  }
  CHECK(all_named);
  CHECK(strcmp(trustbundle_reason_name(-1), "UNKNOWN") == 0);
  CHECK(strcmp(trustbundle_reason_name(TRUSTBUNDLE_REASON_OTHER + 1000), "UNKNOWN") == 0);
}

static void test_result_null(void) {
  size_t len = 99;
  CHECK(trustbundle_result_ok(NULL) == 0);
  CHECK(trustbundle_result_reason(NULL) != TRUSTBUNDLE_REASON_OK);
  CHECK(trustbundle_result_depth(NULL) == -1);
  CHECK(trustbundle_result_openssl_code(NULL) == 0);
  CHECK(trustbundle_result_message(NULL) != NULL);
  CHECK(trustbundle_result_hint(NULL) != NULL);
  CHECK(trustbundle_result_chain_count(NULL) == 0);
  CHECK(trustbundle_result_chain_der(NULL, 0, &len) == NULL && len == 0);
  CHECK(trustbundle_result_chain_der(NULL, 0, NULL) == NULL);
  trustbundle_result_free(NULL);
  ++passed;
}

static void test_verify(const char *keys_dir) {
  trustbundle_store *mozilla = NULL, *test_ca = NULL;
  trustbundle_store_builder *builder = NULL;
  trustbundle_store_options only_added = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  trustbundle_root_info root = TRUSTBUNDLE_ROOT_INFO_INIT;
  trustbundle_result *result = NULL;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  static const unsigned char garbage[] = "this is not a certificate";
  size_t lengths[TRUSTBUNDLE_MAX_CHAIN_CERTS + 1];
  size_t i, der_len = 0, leaf_len = 0;
  char path[1200];
  char *leaf = NULL;
  unsigned char *many;

  CHECK(options.version == TRUSTBUNDLE_VERIFY_OPTIONS_VERSION && options.max_depth == -1 && options.host == NULL);
  CHECK_STATUS(trustbundle_store_new_default(&mozilla, NULL), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_root_get(&root, 0, NULL), TRUSTBUNDLE_OK);

  /* An empty store (no Mozilla roots, nothing added) is refused. */
  only_added.mozilla = 0;
  only_added.env = 0;
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &only_added, NULL), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_store_build(&test_ca, builder, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(test_ca == NULL && error.message[0] != '\0');

  /* A Mozilla root offered as a server certificate: a verdict, rejected. */
  lengths[0] = root.der_len;
  options.has_time = 1;
  options.time = trustbundle_bundle_as_of();
  CHECK_STATUS(trustbundle_verify(&result, mozilla, root.der, lengths, 1, &options, &error), TRUSTBUNDLE_OK);
  CHECK(result != NULL && trustbundle_result_ok(result) == 0);
  CHECK(trustbundle_result_reason(result) != TRUSTBUNDLE_REASON_OK);
  CHECK(trustbundle_result_depth(result) == 0);
  CHECK(trustbundle_result_message(result)[0] != '\0' && trustbundle_result_hint(result)[0] != '\0');
  CHECK(trustbundle_result_chain_count(result) == 0 && trustbundle_result_chain_der(result, 0, NULL) == NULL);
  trustbundle_result_free(result);
  result = NULL;

  /* Bad arguments: no verdict, *out NULL. */
  result = (trustbundle_result *)&options;
  CHECK_STATUS(trustbundle_verify(&result, mozilla, garbage, lengths, 0, NULL, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(result == NULL);
  CHECK_STATUS(trustbundle_verify(NULL, mozilla, root.der, lengths, 1, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_verify(&result, NULL, root.der, lengths, 1, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_verify(&result, mozilla, NULL, lengths, 1, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_verify(&result, mozilla, root.der, NULL, 1, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.version = 0;
  CHECK_STATUS(trustbundle_verify(&result, mozilla, root.der, lengths, 1, &options, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.version = TRUSTBUNDLE_VERIFY_OPTIONS_VERSION;
  options.purpose = 7;
  CHECK_STATUS(trustbundle_verify(&result, mozilla, root.der, lengths, 1, &options, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.purpose = TRUSTBUNDLE_PURPOSE_SERVER;
  lengths[0] = sizeof garbage - 1;
  CHECK_STATUS(trustbundle_verify(&result, mozilla, garbage, lengths, 1, &options, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(result == NULL && error.status == TRUSTBUNDLE_E_PARSE && error.message[0] != '\0');
  many = (unsigned char *)malloc(root.der_len * (TRUSTBUNDLE_MAX_CHAIN_CERTS + 1));
  CHECK(many != NULL);
  if (many != NULL) {
    for (i = 0; i <= TRUSTBUNDLE_MAX_CHAIN_CERTS; ++i) {
      memcpy(many + i * root.der_len, root.der, root.der_len);
      lengths[i] = root.der_len;
    }
    CHECK_STATUS(trustbundle_verify(&result, mozilla, many, lengths, TRUSTBUNDLE_MAX_CHAIN_CERTS + 1, &options, &error),
                 TRUSTBUNDLE_E_LIMIT);
    CHECK(result == NULL);
    free(many);
  }

  /* A real chain: a server certificate under a test CA made at test time. */
  if (keys_dir != NULL) {
    snprintf(path, sizeof path, "%s/server.pem", keys_dir);
    leaf = read_whole_file(path, &leaf_len);
  }
  if (leaf == NULL) {
    printf("skipped: accepted verification (no test CA in %s)\n", keys_dir != NULL ? keys_dir : "(none)");
  } else {
    const unsigned char *leaf_bytes = (const unsigned char *)leaf;
    const char *extra;
    size_t extra_len = 0;
    snprintf(path, sizeof path, "%s/ca.pem", keys_dir);
    CHECK_STATUS(trustbundle_store_builder_add_path(builder, path, &error), TRUSTBUNDLE_OK);
    CHECK_STATUS(trustbundle_store_build(&test_ca, builder, &error), TRUSTBUNDLE_OK);
    CHECK(trustbundle_store_extra_count(test_ca) == 1);
    extra = trustbundle_store_extra_pem(test_ca, &extra_len);
    CHECK(extra != NULL && strlen(extra) == extra_len && count_substr(extra, "-----BEGIN CERTIFICATE-----") == 1);

    lengths[0] = leaf_len;
    options.has_time = 0;
    options.host = "server.capi.trustbundle.test";
    result = NULL;
    CHECK_STATUS(trustbundle_verify(&result, test_ca, leaf_bytes, lengths, 1, &options, &error), TRUSTBUNDLE_OK);
    CHECK(trustbundle_result_ok(result) == 1);
    CHECK(trustbundle_result_reason(result) == TRUSTBUNDLE_REASON_OK);
    CHECK(trustbundle_result_depth(result) == -1);
    CHECK(trustbundle_result_openssl_code(result) == 0);
    CHECK(strcmp(trustbundle_result_message(result), "") == 0 && strcmp(trustbundle_result_hint(result), "") == 0);
    CHECK(trustbundle_result_chain_count(result) == 2);
    CHECK(trustbundle_result_chain_der(result, 0, &der_len) != NULL && der_len > 0);
    CHECK(trustbundle_result_chain_der(result, 1, &der_len) != NULL && der_len > 0);
    CHECK(trustbundle_result_chain_der(result, 2, &der_len) == NULL && der_len == 0);
    trustbundle_result_free(result);

    /* The wrong name. */
    options.host = "other.capi.trustbundle.test";
    result = NULL;
    CHECK_STATUS(trustbundle_verify(&result, test_ca, leaf_bytes, lengths, 1, &options, NULL), TRUSTBUNDLE_OK);
    CHECK(trustbundle_result_ok(result) == 0);
    CHECK(trustbundle_result_reason(result) == TRUSTBUNDLE_REASON_HOSTNAME_MISMATCH);
    trustbundle_result_free(result);

    /* The Mozilla store does not know the test CA. */
    options.host = "server.capi.trustbundle.test";
    result = NULL;
    CHECK_STATUS(trustbundle_verify(&result, mozilla, leaf_bytes, lengths, 1, &options, NULL), TRUSTBUNDLE_OK);
    CHECK(trustbundle_result_ok(result) == 0);
    CHECK(trustbundle_result_reason(result) == TRUSTBUNDLE_REASON_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    CHECK(trustbundle_result_depth(result) == 0);
    CHECK(trustbundle_result_chain_count(result) == 0);
    trustbundle_result_free(result);

    /* The Mozilla store has no extra CAs to show. */
    extra = trustbundle_store_extra_pem(mozilla, &extra_len);
    CHECK(extra != NULL && extra[0] == '\0' && extra_len == 0);
    free(leaf);
  }
  CHECK(trustbundle_store_extra_pem(NULL, NULL) != NULL);
  trustbundle_store_builder_free(builder);
  trustbundle_store_free(test_ca);
  trustbundle_store_free(mozilla);
}

/* ------------------------------------------------------- length limits */

/* Every length is checked against its limit before anything is copied or
 * allocated: a length far past the (small) buffer must give
 * TRUSTBUNDLE_E_LIMIT, never a read past the buffer (issue 15, item 9). */
static void test_length_limits(void) {
  static const unsigned char small[64] = "short buffer";
  const size_t huge = (size_t)0x40000000u;
  const size_t at_limit = (size_t)TRUSTBUNDLE_MAX_INPUT_BYTES;
  trustbundle_store *store = NULL;
  trustbundle_store_builder *builder = NULL;
  trustbundle_store_options only_added = TRUSTBUNDLE_STORE_OPTIONS_INIT;
  trustbundle_verify_options options = TRUSTBUNDLE_VERIFY_OPTIONS_INIT;
  trustbundle_probe_options probe_options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  trustbundle_key_check check = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_result *result = NULL;
  trustbundle_diff *diff = NULL;
  trustbundle_probe *probe = NULL;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  size_t lengths[2];

  CHECK_STATUS(trustbundle_store_new_default(&store, NULL), TRUSTBUNDLE_OK);

  /* trustbundle_verify: one element, two elements whose sum is over, the pool, the CRLs. */
  lengths[0] = huge;
  CHECK_STATUS(trustbundle_verify(&result, store, small, lengths, 1, NULL, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(result == NULL && strstr(error.message, "limit") != NULL);
  lengths[0] = at_limit;
  lengths[1] = at_limit;
  CHECK_STATUS(trustbundle_verify(&result, store, small, lengths, 2, NULL, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(result == NULL);
  lengths[0] = (size_t)-1;
  lengths[1] = 2;  /* the sum wraps around to 1 */
  CHECK_STATUS(trustbundle_verify(&result, store, small, lengths, 2, NULL, &error), TRUSTBUNDLE_E_LIMIT);
  lengths[0] = sizeof small;
  options.untrusted = small;
  options.untrusted_len = huge;
  CHECK_STATUS(trustbundle_verify(&result, store, small, lengths, 1, &options, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(result == NULL && strstr(error.message, "untrusted") != NULL);
  options.untrusted = NULL;
  options.untrusted_len = 0;
  options.crls = small;
  options.crls_len = huge;
  CHECK_STATUS(trustbundle_verify(&result, store, small, lengths, 1, &options, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(result == NULL && strstr(error.message, "crls") != NULL);

  /* trustbundle_check_key_pair: the certificate, the key. */
  CHECK_STATUS(trustbundle_check_key_pair(&check, small, huge, small, sizeof small, NULL, 0, 0, &error),
               TRUSTBUNDLE_E_LIMIT);
  CHECK(strstr(error.message, "cert") != NULL);
  CHECK_STATUS(trustbundle_check_key_pair(&check, small, sizeof small, small, huge, NULL, 0, 0, &error),
               TRUSTBUNDLE_E_LIMIT);
  CHECK(strstr(error.message, "key") != NULL);

  /* trustbundle_diff_new: each side. */
  CHECK_STATUS(trustbundle_diff_new(&diff, small, huge, small, sizeof small, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(diff == NULL && strstr(error.message, "old") != NULL);
  CHECK_STATUS(trustbundle_diff_new(&diff, small, sizeof small, small, huge, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(diff == NULL && strstr(error.message, "new") != NULL);

  /* trustbundle_store_builder_add_data. */
  only_added.env = 0;
  CHECK_STATUS(trustbundle_store_builder_new(&builder, &only_added, NULL), TRUSTBUNDLE_OK);
  CHECK_STATUS(trustbundle_store_builder_add_data(builder, small, huge, "huge", &error), TRUSTBUNDLE_E_LIMIT);
  trustbundle_store_builder_free(builder);

  /* trustbundle_probe_new: the client certificate and key (checked before any connection). */
  probe_options.client_cert = small;
  probe_options.client_cert_len = huge;
  probe_options.client_key = small;
  probe_options.client_key_len = sizeof small;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "127.0.0.1:1", &probe_options, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(probe == NULL);
  probe_options.client_cert_len = sizeof small;
  probe_options.client_key_len = huge;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "127.0.0.1:1", &probe_options, &error), TRUSTBUNDLE_E_LIMIT);
  CHECK(probe == NULL);
  trustbundle_store_free(store);
}

/* ----------------------------------------------------------------- mTLS */

static void test_check_key_pair(const char *keys_dir) {
  trustbundle_key_check check = TRUSTBUNDLE_KEY_CHECK_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  static const unsigned char garbage[] = "-----BEGIN GARBAGE-----\nnot base64 at all\n";
  char path[1200];
  char *cert, *key, *encrypted, *other;
  size_t cert_len = 0, key_len = 0, encrypted_len = 0, other_len = 0;

  CHECK(check.version == TRUSTBUNDLE_KEY_CHECK_VERSION);
  CHECK_STATUS(trustbundle_check_key_pair(NULL, garbage, sizeof garbage, garbage, sizeof garbage, NULL, 0, 0, &error),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_check_key_pair(&check, NULL, 0, garbage, sizeof garbage, NULL, 0, 0, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_check_key_pair(&check, garbage, sizeof garbage, NULL, 0, NULL, 0, 0, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_check_key_pair(&check, garbage, 0, garbage, sizeof garbage, NULL, 0, 0, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  check.version = 0;
  CHECK_STATUS(trustbundle_check_key_pair(&check, garbage, sizeof garbage, garbage, sizeof garbage, NULL, 0, 0, NULL),
               TRUSTBUNDLE_E_INVALID_ARGUMENT);
  check.version = TRUSTBUNDLE_KEY_CHECK_VERSION;
  CHECK_STATUS(trustbundle_check_key_pair(&check, garbage, sizeof garbage, garbage, sizeof garbage, NULL, 0, 0, &error),
               TRUSTBUNDLE_E_PARSE);
  CHECK(error.status == TRUSTBUNDLE_E_PARSE);

  if (keys_dir == NULL) {
    printf("skipped: trustbundle_check_key_pair on real keys (no key directory given)\n");
    return;
  }
  snprintf(path, sizeof path, "%s/client.pem", keys_dir);
  cert = read_whole_file(path, &cert_len);
  snprintf(path, sizeof path, "%s/client.key", keys_dir);
  key = read_whole_file(path, &key_len);
  snprintf(path, sizeof path, "%s/client-encrypted.key", keys_dir);
  encrypted = read_whole_file(path, &encrypted_len);
  snprintf(path, sizeof path, "%s/other.key", keys_dir);
  other = read_whole_file(path, &other_len);
  if (cert == NULL || key == NULL || encrypted == NULL || other == NULL) {
    printf("skipped: trustbundle_check_key_pair on real keys (%s has no key material)\n", keys_dir);
  } else {
    const unsigned char *c = (const unsigned char *)cert;
    /* The matching key: match, clientAuth, valid now. */
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)key, key_len, NULL, 0, 0, &error),
                 TRUSTBUNDLE_OK);
    CHECK(check.match == 1 && check.client_auth == 1 && check.valid == 1);
    CHECK(check.not_before < check.not_after);
    /* At an explicit time after notAfter: no longer valid. */
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)key, key_len, NULL, 1,
                                            check.not_after + 1, NULL),
                 TRUSTBUNDLE_OK);
    CHECK(check.match == 1 && check.valid == 0);
    /* Another key: a verdict, not a match. */
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)other, other_len, NULL, 0, 0, NULL),
                 TRUSTBUNDLE_OK);
    CHECK(check.match == 0);
    /* The encrypted key: needs the passphrase, refuses a wrong one. */
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)encrypted, encrypted_len, NULL, 0,
                                            0, &error),
                 TRUSTBUNDLE_E_PASSPHRASE);
    CHECK(error.status == TRUSTBUNDLE_E_PASSPHRASE && strcmp(trustbundle_status_name(error.status), "PASSPHRASE") == 0);
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)encrypted, encrypted_len, "wrong",
                                            0, 0, NULL),
                 TRUSTBUNDLE_E_PASSPHRASE);
    CHECK_STATUS(trustbundle_check_key_pair(&check, c, cert_len, (const unsigned char *)encrypted, encrypted_len, "secret",
                                            0, 0, NULL),
                 TRUSTBUNDLE_OK);
    CHECK(check.match == 1);
  }
  free(cert);
  free(key);
  free(encrypted);
  free(other);
}

/* --------------------------------------------------------------- doctor */

/* A loopback port nothing listens on (bound to 0, read, closed). */
static int closed_port(void) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  int port = -1;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 && getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

static void test_probe_null(void) {
  trustbundle_probe_cert cert = TRUSTBUNDLE_PROBE_CERT_INIT;
  trustbundle_finding finding = TRUSTBUNDLE_FINDING_INIT;
  CHECK(cert.version == TRUSTBUNDLE_PROBE_CERT_VERSION && finding.version == TRUSTBUNDLE_FINDING_VERSION);
  CHECK(trustbundle_probe_verdict(NULL) == TRUSTBUNDLE_VERDICT_UNREACHABLE);
  CHECK(trustbundle_probe_failure(NULL) == TRUSTBUNDLE_FAILURE_NONE);
  CHECK(trustbundle_probe_reason(NULL) == TRUSTBUNDLE_REASON_OTHER);
  CHECK(strcmp(trustbundle_probe_message(NULL), "") == 0 && strcmp(trustbundle_probe_hint(NULL), "") == 0);
  CHECK(strcmp(trustbundle_probe_protocol(NULL), "") == 0 && strcmp(trustbundle_probe_cipher(NULL), "") == 0);
  CHECK(trustbundle_probe_client_cert_requested(NULL) == 0);
  CHECK(trustbundle_probe_cert_count(NULL) == 0 && trustbundle_probe_finding_count(NULL) == 0);
  CHECK_STATUS(trustbundle_probe_cert_get(&cert, NULL, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_finding_get(&finding, NULL, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(strcmp(trustbundle_probe_fix_client(NULL), "") == 0 && strcmp(trustbundle_probe_fix_server(NULL), "") == 0);
  CHECK(trustbundle_probe_json(NULL) == NULL && trustbundle_probe_text(NULL) == NULL);
  trustbundle_probe_free(NULL);
  CHECK(strcmp(trustbundle_failure_name(TRUSTBUNDLE_FAILURE_NONE), "NONE") == 0);
  CHECK(strcmp(trustbundle_failure_name(TRUSTBUNDLE_FAILURE_PLAIN_HTTP), "PLAIN_HTTP") == 0);
  CHECK(strcmp(trustbundle_failure_name(TRUSTBUNDLE_FAILURE_CLIENT_CERT), "CLIENT_CERT") == 0);
  CHECK(strcmp(trustbundle_failure_name(-1), "UNKNOWN") == 0 && strcmp(trustbundle_failure_name(4242), "UNKNOWN") == 0);
}

static void test_probe(void) {
  trustbundle_store *store = NULL;
  trustbundle_probe *probe = NULL;
  trustbundle_probe_options options = TRUSTBUNDLE_PROBE_OPTIONS_INIT;
  trustbundle_probe_cert cert = TRUSTBUNDLE_PROBE_CERT_INIT;
  trustbundle_finding finding = TRUSTBUNDLE_FINDING_INIT;
  trustbundle_error error = TRUSTBUNDLE_ERROR_INIT;
  static const unsigned char garbage[] = "this is neither a certificate nor a key";
  char target[64];
  int port = closed_port();

  CHECK(options.version == TRUSTBUNDLE_PROBE_OPTIONS_VERSION && options.timeout_ms == 0 && options.servername == NULL);
  CHECK_STATUS(trustbundle_store_new_default(&store, NULL), TRUSTBUNDLE_OK);
  CHECK(port > 0);
  snprintf(target, sizeof target, "127.0.0.1:%d", port);

  /* Nothing listens: still a diagnosis, UNREACHABLE with its cause. */
  options.timeout_ms = 5000;
  options.servername = "refused.capi.trustbundle.test";
  CHECK_STATUS(trustbundle_probe_new(&probe, store, target, &options, &error), TRUSTBUNDLE_OK);
  CHECK(probe != NULL);
  CHECK(trustbundle_probe_verdict(probe) == TRUSTBUNDLE_VERDICT_UNREACHABLE);
  CHECK(trustbundle_probe_failure(probe) == TRUSTBUNDLE_FAILURE_CONNECTION_REFUSED);
  CHECK(trustbundle_probe_reason(probe) == TRUSTBUNDLE_REASON_OTHER);
  CHECK(strstr(trustbundle_probe_message(probe), "refused") != NULL);
  CHECK(strcmp(trustbundle_probe_hint(probe), "") == 0);
  CHECK(strcmp(trustbundle_probe_protocol(probe), "") == 0 && strcmp(trustbundle_probe_cipher(probe), "") == 0);
  CHECK(trustbundle_probe_client_cert_requested(probe) == 0);
  CHECK(trustbundle_probe_cert_count(probe) == 0);
  CHECK_STATUS(trustbundle_probe_cert_get(&cert, probe, 0, &error), TRUSTBUNDLE_E_NOT_FOUND);
  CHECK(trustbundle_probe_finding_count(probe) == 1);
  CHECK_STATUS(trustbundle_probe_finding_get(&finding, probe, 0, &error), TRUSTBUNDLE_OK);
  CHECK(finding.code == TRUSTBUNDLE_FINDING_CONNECTION_FAILED && strcmp(finding.name, "CONNECTION_FAILED") == 0);
  CHECK(finding.severity == TRUSTBUNDLE_SEVERITY_ERROR && finding.index == -1 && finding.message[0] != '\0');
  CHECK(finding.fix_client[0] != '\0' && finding.fix_server[0] != '\0');
  CHECK_STATUS(trustbundle_probe_finding_get(&finding, probe, 1, NULL), TRUSTBUNDLE_E_NOT_FOUND);
  CHECK_STATUS(trustbundle_probe_finding_get(NULL, probe, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_cert_get(NULL, probe, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  finding.version = 0;
  CHECK_STATUS(trustbundle_probe_finding_get(&finding, probe, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  cert.version = 0;
  CHECK_STATUS(trustbundle_probe_cert_get(&cert, probe, 0, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(strstr(trustbundle_probe_fix_client(probe), "port") != NULL);
  CHECK(trustbundle_probe_fix_server(probe)[0] != '\0');
  CHECK(strstr(trustbundle_probe_json(probe), "\"failure\": \"CONNECTION_REFUSED\"") != NULL);
  CHECK(strncmp(trustbundle_probe_text(probe), "UNREACHABLE (CONNECTION_REFUSED): ", 34) == 0);
  trustbundle_probe_free(probe);

  /* Bad arguments: no diagnosis, *out NULL. */
  options.servername = NULL;
  probe = (trustbundle_probe *)&options;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, NULL, &options, &error), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK(probe == NULL && error.status == TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(NULL, store, target, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(&probe, NULL, target, NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "", NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "127.0.0.1:notaport", NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "127.0.0.1:70000", NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  CHECK_STATUS(trustbundle_probe_new(&probe, store, "ftp://127.0.0.1/", NULL, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.version = 0;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, target, &options, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.version = TRUSTBUNDLE_PROBE_OPTIONS_VERSION;
  options.client_cert_len = 10;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, target, &options, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.client_cert = garbage;
  options.client_cert_len = sizeof garbage - 1;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, target, &options, NULL), TRUSTBUNDLE_E_INVALID_ARGUMENT);
  options.client_key = garbage;
  options.client_key_len = sizeof garbage - 1;
  CHECK_STATUS(trustbundle_probe_new(&probe, store, target, &options, &error), TRUSTBUNDLE_E_PARSE);
  CHECK(probe == NULL && error.message[0] != '\0');
  trustbundle_store_free(store);
}

/* ----------------------------------------------------------------- tool */

/* Runs trustbundle_cli_main with fds 1 and 2 sent to files; returns its exit
 * code and the two outputs (malloc'd, NUL-terminated; the caller frees). */
static int run_tool(int argc, const char *const *argv, char **out, char **err) {
  char out_path[1200], err_path[1200];
  int saved_out, saved_err, fd_out, fd_err, code;
  size_t len = 0;
  make_path(out_path, sizeof out_path, "tool.out");
  make_path(err_path, sizeof err_path, "tool.err");
  fflush(stdout);
  fflush(stderr);
  saved_out = dup(1);
  saved_err = dup(2);
  fd_out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  fd_err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (saved_out < 0 || saved_err < 0 || fd_out < 0 || fd_err < 0) {
    perror("run_tool");
    exit(2);
  }
  dup2(fd_out, 1);
  dup2(fd_err, 2);
  code = trustbundle_cli_main(argc, argv);
  /* Whatever it printed is in the files now: it flushed before returning. */
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(fd_out);
  close(fd_err);
  close(saved_out);
  close(saved_err);
  *out = read_whole_file(out_path, &len);
  *err = read_whole_file(err_path, &len);
  return code;
}

static void test_cli_main(const char *keys_dir) {
  char *out = NULL, *err = NULL;
  char dir[1100], expected[1200], version_line[64], cert[1200], other[1200];
  size_t pem_len = 0;
  const char *pem = trustbundle_bundle_pem(&pem_len);

  {
    const char *argv[] = {"any-name", "--version"};
    CHECK(run_tool(2, argv, &out, &err) == 0);
    snprintf(version_line, sizeof version_line, "trustbundle %s\n", trustbundle_version());
    CHECK(out != NULL && strcmp(out, version_line) == 0);
    CHECK(err != NULL && err[0] == '\0');
    free(out);
    free(err);
  }
  {
    make_path(dir, sizeof dir, "tool-where");
    {
      const char *argv[] = {"trustbundle", "where", "--dir", dir};
      CHECK(run_tool(4, argv, &out, &err) == 0);
    }
    snprintf(expected, sizeof expected, "%s/cacert.pem\n", dir);
    CHECK(out != NULL && strcmp(out, expected) == 0);
    free(out);
    free(err);
    expected[strlen(expected) - 1] = '\0';
    out = read_whole_file(expected, &pem_len);
    CHECK(out != NULL && strcmp(out, pem) == 0);
    free(out);
  }
  {
    /* certifi's -c, and the help of a command, both on stdout. */
    const char *contents[] = {"trustbundle", "-c"};
    const char *help[] = {"trustbundle", "verify", "--help"};
    CHECK(run_tool(2, contents, &out, &err) == 0);
    CHECK(out != NULL && strcmp(out, pem) == 0);
    free(out);
    free(err);
    CHECK(run_tool(3, help, &out, &err) == 0);
    CHECK(starts_with(out, "usage: trustbundle verify CHAIN.pem"));
    free(out);
    free(err);
  }
  {
    /* No arguments at all (argc 0 too): certifi's answer, the path of cacert.pem. */
    const char *argv[] = {"trustbundle"};
    CHECK(run_tool(1, argv, &out, &err) == 0);
    CHECK(starts_with(out, getenv("TRUSTBUNDLE_CACHE_DIR")) && strstr(out, "/cacert.pem\n") != NULL);
    free(out);
    free(err);
    CHECK(run_tool(0, NULL, &out, &err) == 0);
    CHECK(starts_with(out, getenv("TRUSTBUNDLE_CACHE_DIR")));
    free(out);
    free(err);
  }
  {
    /* Bad usage and bad input: exit 2, nothing on stdout, the reason on stderr. */
    const char *unknown[] = {"trustbundle", "frobnicate"};
    const char *missing[] = {"trustbundle", "verify", "/nonexistent/chain.pem"};
    const char *null_arg[] = {"trustbundle", NULL};
    CHECK(run_tool(2, unknown, &out, &err) == 2);
    CHECK(out != NULL && out[0] == '\0');
    CHECK(starts_with(err, "trustbundle: unknown command 'frobnicate'\n"));
    free(out);
    free(err);
    CHECK(run_tool(3, missing, &out, &err) == 2);
    CHECK(out != NULL && out[0] == '\0');
    CHECK(starts_with(err, "trustbundle verify: ") && strstr(err, "/nonexistent/chain.pem") != NULL);
    free(out);
    free(err);
    CHECK(run_tool(2, null_arg, &out, &err) == 2);
    CHECK(starts_with(err, "trustbundle: ") && strstr(err, "NULL") != NULL);
    free(out);
    free(err);
    CHECK(run_tool(1, NULL, &out, &err) == 2);
    CHECK(starts_with(err, "trustbundle: argv is NULL"));
    free(out);
    free(err);
  }
  if (keys_dir == NULL) {
    printf("skipped: trustbundle_cli_main check-pair (no key directory given)\n");
    return;
  }
  {
    /* A negative answer is 1: the key is not the certificate's, whatever the time. */
    const char *argv[] = {"trustbundle", "check-pair", cert, other, "--json"};
    snprintf(cert, sizeof cert, "%s/client.pem", keys_dir);
    snprintf(other, sizeof other, "%s/other.key", keys_dir);
    CHECK(run_tool(5, argv, &out, &err) == 1);
    CHECK(starts_with(out, "{\"ok\": false, \"match\": false, "));
    free(out);
    free(err);
  }
}

int main(int argc, char **argv) {
  const char *tmp = getenv("TMPDIR");
  snprintf(temp_root, sizeof temp_root, "%s/trustbundle-capi.XXXXXX", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(temp_root) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  test_version();
  test_status_name();
  test_time_parse();
  test_bundle_identity();
  test_roots();
  test_bundle_pem();
  test_materialize();
  test_capath_export();
  test_diff_embedded();
  test_diff_bad_arguments();
  test_diff_mozilla();
  test_store();
  test_reason_name();
  test_result_null();
  test_verify(argc > 1 ? argv[1] : NULL);
  test_check_key_pair(argc > 1 ? argv[1] : NULL);
  test_length_limits();
  test_probe_null();
  test_probe();
  test_cli_main(argc > 1 ? argv[1] : NULL);
  remove_tree(temp_root);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
