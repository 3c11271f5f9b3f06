//go:build !cgo

// The pure-Go build of this package (CGO_ENABLED=0): the same functions as
// native.go, with the bundle from the generated files the core embeds
// (core.CACertPEM, core.ManifestJSON) and verification by crypto/x509
// (purego_verify.go). What only the core can do fails with
// StatusUnsupported, naming the cgo build.

package native

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
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
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, nil
	}
	if t, err := time.Parse(time.RFC3339, text); err == nil && strings.HasSuffix(text, "Z") {
		return t.Unix(), nil
	}
	return 0, fail(StatusParse, "time '"+text+"': expected RFC 3339 UTC (2026-01-02T03:04:05Z) or Unix seconds")
}

// ----------------------------------------------------------------- bundle

type manifestRoot struct {
	Label               string  `json:"label"`
	SHA256              string  `json:"sha256"`
	SHA1                string  `json:"sha1"`
	Subject             string  `json:"subject"`
	Issuer              string  `json:"issuer"`
	Serial              string  `json:"serial"`
	NotBefore           string  `json:"not_before"`
	NotAfter            string  `json:"not_after"`
	ServerTrust         string  `json:"server_trust"`
	EmailTrust          string  `json:"email_trust"`
	ServerDistrustAfter *string `json:"server_distrust_after"`
}

type bundleData struct {
	nss   string
	asOf  int64
	roots []RootInfo
}

var bundle = sync.OnceValues(loadBundle)

// mustBundle is the embedded bundle; the files are generated and checked
// in CI, so a failure to read them is a broken build, not a run-time state.
func mustBundle() *bundleData {
	b, err := bundle()
	if err != nil {
		panic("trustbundle: the embedded bundle files are broken: " + err.Error())
	}
	return b
}

func trustValue(s string) int {
	switch s {
	case "trusted":
		return TrustTrusted
	case "must-verify", "must_verify":
		return TrustMustVerify
	case "not-trusted", "not_trusted":
		return TrustNotTrusted
	}
	return TrustNone
}

func loadBundle() (*bundleData, error) {
	var m struct {
		NSS       string         `json:"nss_version"`
		AsOf      string         `json:"as_of"`
		RootCount int            `json:"root_count"`
		Roots     []manifestRoot `json:"roots"`
	}
	if err := json.Unmarshal(core.ManifestJSON, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %v", err)
	}
	asOf, err := time.Parse(time.RFC3339, m.AsOf)
	if err != nil {
		return nil, fmt.Errorf("manifest.json as_of: %v", err)
	}
	der := map[string][]byte{} // by SHA-256, from cacert.pem
	for rest := []byte(core.CACertPEM); ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		sum := sha256.Sum256(block.Bytes)
		der[hex.EncodeToString(sum[:])] = block.Bytes
	}
	if len(m.Roots) != m.RootCount || len(der) != m.RootCount {
		return nil, fmt.Errorf("manifest.json lists %d of %d roots, cacert.pem holds %d", len(m.Roots), m.RootCount, len(der))
	}
	b := &bundleData{nss: m.NSS, asOf: asOf.Unix()}
	for _, r := range m.Roots {
		d, ok := der[r.SHA256]
		if !ok {
			return nil, fmt.Errorf("root %q is not in cacert.pem", r.Label)
		}
		nb, err1 := time.Parse(time.RFC3339, r.NotBefore)
		na, err2 := time.Parse(time.RFC3339, r.NotAfter)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("root %q: bad validity dates", r.Label)
		}
		info := RootInfo{Label: r.Label, SHA256Hex: r.SHA256, SHA1Hex: r.SHA1, Subject: r.Subject, Issuer: r.Issuer,
			Serial: r.Serial, NotBefore: nb.Unix(), NotAfter: na.Unix(),
			ServerTrust: trustValue(r.ServerTrust), EmailTrust: trustValue(r.EmailTrust), DER: d}
		if r.ServerDistrustAfter != nil {
			t, err := time.Parse(time.RFC3339, *r.ServerDistrustAfter)
			if err != nil {
				return nil, fmt.Errorf("root %q: server_distrust_after: %v", r.Label, err)
			}
			info.HasServerDistrustAfter, info.ServerDistrustAfter = true, t.Unix()
		}
		b.roots = append(b.roots, info)
	}
	return b, nil
}

// BundleVersion is trustbundle_bundle_version: "<NSS version>/<as_of>".
func BundleVersion() string {
	b := mustBundle()
	return b.nss + "/" + time.Unix(b.asOf, 0).UTC().Format(time.RFC3339)
}

// BundleNSSVersion is trustbundle_bundle_nss_version.
func BundleNSSVersion() string { return mustBundle().nss }

// BundleAsOf is trustbundle_bundle_as_of, Unix seconds.
func BundleAsOf() int64 { return mustBundle().asOf }

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
func CapathExport(dir string) (string, error) { return "", unsupported("Capath (OpenSSL's hashed directory)") }

// ------------------------------------------------------------------- mTLS

// CheckKeyPair needs the core's key parsing (encrypted PEM, PKCS#8 ...).
func CheckKeyPair(cert, key []byte, passphrase *string, hasTime bool, at int64) (KeyCheck, error) {
	return KeyCheck{}, unsupported("CheckKeyPair")
}

// ------------------------------------------------------------------- tool

// CliMain: the command-line tool is the core's.
func CliMain(args []string) int {
	fmt.Fprintln(os.Stderr, "trustbundle: this binary was built without cgo; the command-line tool "+unsupported("").Message[1:])
	return 2
}

// Probe: the doctor is the core's.
func (s *Store) Probe(target string, o ProbeOptions) (Probe, error) {
	return Probe{}, unsupported("the doctor (Diagnose)")
}
