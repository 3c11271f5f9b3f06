//go:build !cgo

// The pure-Go build of this package (CGO_ENABLED=0): the same functions as
// native.go, with the bundle from the generated files the core embeds
// (core.CACertPEM, core.ManifestJSON) and verification by crypto/x509
// (purego_verify.go). What only the core can do fails with
// StatusUnsupported, naming the cgo build.

package native

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/trustbundle/trustbundle/core"
)

// StatusName is trustbundle_status_name.
func StatusName(status int) string {
	if n, ok := statusNames[status]; ok {
		return n
	}
	return "UNKNOWN"
}

// ReasonName is trustbundle_reason_name.
func ReasonName(reason int) string {
	if reason < 0 || reason >= len(reasonNames) {
		return "UNKNOWN"
	}
	return reasonNames[reason]
}

// Version is the version of the package (the core's, had it been compiled).
func Version() string { return VersionString }

// unsupported is the error for what only the core can do.
func unsupported(what string) *Failure {
	return fail(StatusUnsupported, what+" needs the core: build with cgo (CGO_ENABLED=1, a C++17 compiler and OpenSSL 3)")
}

// TimeParse is trustbundle_time_parse: RFC 3339 UTC or Unix seconds.
func TimeParse(text string) (int64, error) {
	if strings.IndexByte(text, 0) >= 0 {
		return 0, invalid("time contains a NUL byte")
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, text); err == nil && strings.HasSuffix(text, "Z") {
		return t.Unix(), nil
	}
	return 0, fail(StatusParse, "time '"+text+"': expected RFC 3339 UTC (2026-01-02T03:04:05Z) or Unix seconds")
}

// ----------------------------------------------------------------- bundle

// BundleVersion is trustbundle_bundle_version: "<NSS version>/<as_of>".
func BundleVersion() string {
	b := mustBundle()
	return b.nss + "/" + time.Unix(b.asOf, 0).UTC().Format(time.RFC3339)
}

// BundleNSSVersion is trustbundle_bundle_nss_version.
func BundleNSSVersion() string { return mustBundle().nss }

// BundleAsOf is trustbundle_bundle_as_of, Unix seconds.
func BundleAsOf() int64 { return mustBundle().asOf }

// BundleAgeDays is trustbundle_bundle_age_days: whole days from as_of to at, 0 before it.
func BundleAgeDays(at int64) int64 {
	if asOf := mustBundle().asOf; at > asOf {
		return (at - asOf) / 86400
	}
	return 0
}

// RootCount is trustbundle_root_count.
func RootCount() int { return len(mustBundle().roots) }

// RootGet is trustbundle_root_get.
func RootGet(index int) (RootInfo, error) {
	roots := mustBundle().roots
	if index < 0 || index >= len(roots) {
		return RootInfo{}, fail(StatusNotFound, fmt.Sprintf("root index %d is out of range (%d roots)", index, len(roots)))
	}
	r := roots[index]
	r.DER = append([]byte(nil), r.DER...)
	return r, nil
}

// RootAnchor is the part of RootGet a pool needs.
func RootAnchor(index int) (Anchor, error) {
	r, err := RootGet(index)
	if err != nil {
		return Anchor{}, err
	}
	return Anchor{Label: r.Label, ServerTrust: r.ServerTrust, HasServerDistrustAfter: r.HasServerDistrustAfter,
		ServerDistrustAfter: r.ServerDistrustAfter, DER: r.DER}, nil
}

// BundlePEM is trustbundle_bundle_pem: cacert.pem, as the core embeds it.
func BundlePEM() ([]byte, error) { return []byte(core.CACertPEM), nil }

// Materialize is trustbundle_materialize; dir "" means the core's default
// cache directory, with the core's checks (cache_purego.go).
func Materialize(dir string) (string, error) {
	if strings.IndexByte(dir, 0) >= 0 {
		return "", invalid("directory contains a NUL byte")
	}
	target, err := cacheTarget(dir)
	if err != nil {
		return "", err
	}
	path := target + "/cacert.pem"
	if fileHasContent(path, core.CACertPEM) {
		return path, nil
	}
	if err := writeFileAtomic(path, core.CACertPEM); err != nil {
		return "", err
	}
	return path, nil
}

// CapathExport needs OpenSSL's subject hashes: the core's.
func CapathExport(dir string) (string, error) {
	return "", unsupported("Capath (OpenSSL's hashed directory)")
}

// ------------------------------------------------------------------- mTLS

// CheckKeyPair needs the core's key parsing (encrypted PEM, PKCS#8 ...).
func CheckKeyPair(cert, key []byte, passphrase *string, hasTime bool, at int64) (KeyCheck, error) {
	if passphrase != nil && strings.IndexByte(*passphrase, 0) >= 0 {
		return KeyCheck{}, invalid("passphrase contains a NUL byte")
	}
	return KeyCheck{}, unsupported("CheckKeyPair")
}

// ------------------------------------------------------------------- tool

// CliMain: the command-line tool is the core's.
func CliMain(args []string) int {
	fmt.Fprintln(os.Stderr, "trustbundle: "+unsupported("the command-line tool").Message+
		"; this binary was built without cgo, as a library its bundle, verification and Where work")
	return 2
}

// Probe: the doctor is the core's.
func (s *Store) Probe(target string, o ProbeOptions) (Probe, error) {
	return Probe{}, unsupported("the doctor (Diagnose)")
}
