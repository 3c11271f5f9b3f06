// Package trustbundle gives Go programs Mozilla's curated TLS server roots,
// embedded in the binary, plus the helpers people need around them: an
// x509.CertPool that honours Mozilla's distrust-after dates, a tls.Config,
// chain verification that says why a chain fails (a typed reason shared with
// the Python, Node and Ruby packages), corporate CAs added on top of
// Mozilla's, and mTLS key checks.
//
//	pool, err := trustbundle.CACerts()              // Mozilla's roots (+ TRUSTBUNDLE_EXTRA_CA_CERTS)
//	cfg, err := trustbundle.TLSConfig()             // handshakes judged by the core: *VerificationError on failure
//	tr, err := trustbundle.Transport()              // an http.Transport with that TLS, for any host
//	d, err := trustbundle.Diagnose(ctx, "example.com", trustbundle.DiagnoseOptions{}) // the doctor
//	path, err := trustbundle.Where()                // cacert.pem in the user cache directory
//	chain, err := trustbundle.Verify(certs, trustbundle.VerifyOptions{Host: "example.com"})
//	var ve *trustbundle.VerificationError           // errors.As(err, &ve): ve.Reason, ve.Depth, ve.Hint
//
// The package is a thin layer over trustbundle's C ABI: the C++ core (over
// OpenSSL 3) is compiled into it with cgo, so building it needs a C++17
// compiler, pkg-config and the OpenSSL 3 development files. Every
// verification decision is the core's, the same in every language.
//
// Built with CGO_ENABLED=0 the package is pure Go: the same API and bundle,
// verification by crypto/x509 held to the core's policy and mapped to the
// same reasons and hints; the doctor, CheckKeyPair, Capath and certdata.txt
// CA sources return ErrUnsupported (README: "Without cgo").
//
// TRUSTBUNDLE_EXTRA_CA_CERTS (a PEM/DER file, an NSS certdata.txt, or a
// directory of certificates) is read each time a pool, config or store is
// made, so setting it at run time works. Extra CAs are always added to
// Mozilla's, never a replacement.
package trustbundle

import (
	"bytes"
	"math/big"
	"sync"
	"time"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// LibraryVersion is the version of the compiled core, e.g. "0.1.0".
func LibraryVersion() string { return native.Version() }

// BundleVersion is the embedded bundle's identity, "<NSS version>/<as_of>",
// e.g. "2.86/2026-11-22T00:00:00Z".
func BundleVersion() string { return native.BundleVersion() }

// BundleNSSVersion is the Mozilla NSS builtins version of the bundle, e.g. "2.86".
func BundleNSSVersion() string { return native.BundleNSSVersion() }

// BundleAsOf is the instant the curation rule was applied at.
func BundleAsOf() time.Time { return time.Unix(native.BundleAsOf(), 0).UTC() }

// BundleAgeDays is how many whole days old the bundle is at the given time
// (usually time.Now()), counted from BundleAsOf; 0 before it. Past 180 days
// it is stale: a newer trustbundle carries Mozilla's newer roots.
func BundleAgeDays(at time.Time) int { return int(native.BundleAgeDays(at.Unix())) }

var bundlePEM struct {
	once sync.Once
	pem  []byte
	err  error
}

// PEM returns the whole bundle as PEM text, in certifi's cacert.pem layout
// (byte for byte what Where's file holds). The slice is a fresh copy.
func PEM() []byte {
	bundlePEM.once.Do(func() {
		bundlePEM.pem, bundlePEM.err = native.BundlePEM()
	})
	if bundlePEM.err != nil {
		panic(fromNative(bundlePEM.err)) // the core is out of memory
	}
	return bytes.Clone(bundlePEM.pem)
}

// Where returns the path of cacert.pem, the bundle as a file (certifi's
// where()): written atomically into the core's cache directory
// ($TRUSTBUNDLE_CACHE_DIR, else $XDG_CACHE_HOME/trustbundle, else
// ~/.cache/trustbundle, one subdirectory per bundle version, the files every
// trustbundle package uses) the first time, and reused while it is intact.
// Each call re-checks the cache: it must be private to the user, and a
// changed file is written again. Safe when several goroutines or processes
// call it at once.
func Where() (string, error) {
	path, err := native.Materialize("")
	return path, fromNative(err)
}

// Capath returns the path of a hashed CA directory (one PEM file per root,
// named "<subject hash>.<n>" as `openssl rehash` names them) for OpenSSL's
// CApath, written atomically beside Where's file, checked the same way.
func Capath() (string, error) {
	path, err := native.CapathExport("")
	return path, fromNative(err)
}

// Trust is a Mozilla trust value of a root for one purpose.
type Trust int

// The trust values (trustbundle_trust).
const (
	TrustNone       Trust = Trust(native.TrustNone)       // no value in Mozilla's data
	TrustTrusted    Trust = Trust(native.TrustTrusted)    // CKT_NSS_TRUSTED_DELEGATOR
	TrustMustVerify Trust = Trust(native.TrustMustVerify) // CKT_NSS_MUST_VERIFY_TRUST
	TrustNotTrusted Trust = Trust(native.TrustNotTrusted) // CKT_NSS_NOT_TRUSTED
)

func (t Trust) String() string {
	switch t {
	case TrustTrusted:
		return "trusted"
	case TrustMustVerify:
		return "must_verify"
	case TrustNotTrusted:
		return "not_trusted"
	default:
		return "none"
	}
}

// Root is one root of the embedded bundle, with the metadata a PEM file
// cannot carry.
type Root struct {
	Label     string   // Mozilla's CKA_LABEL
	SHA256    string   // fingerprint of DER, lowercase hex without separators
	SHA1      string   // likewise
	Subject   string   // "CN=... O=... OU=...", certifi's form
	Issuer    string   // likewise
	Serial    *big.Int // the serial number
	NotBefore time.Time
	NotAfter  time.Time
	// ServerTrust and EmailTrust are Mozilla's trust bits for TLS servers
	// and for e-mail.
	ServerTrust Trust
	EmailTrust  Trust
	// ServerDistrustAfter is Mozilla's distrust-after date for TLS servers:
	// leaves whose notBefore is later are rejected (ROOT_DISTRUSTED). The
	// zero Time when Mozilla set none.
	ServerDistrustAfter time.Time
	DER                 []byte // the certificate
}

// Roots returns the embedded roots in Mozilla's certdata order. The slice
// and everything in it are the caller's.
func Roots() ([]Root, error) {
	n := native.RootCount()
	out := make([]Root, 0, n)
	for i := 0; i < n; i++ {
		info, err := native.RootGet(i)
		if err != nil {
			return nil, fromNative(err)
		}
		serial, ok := new(big.Int).SetString(info.Serial, 10)
		if !ok {
			return nil, newError(native.StatusInternal, "root "+info.Label+": serial "+info.Serial+" is not decimal")
		}
		r := Root{
			Label: info.Label, SHA256: info.SHA256Hex, SHA1: info.SHA1Hex,
			Subject: info.Subject, Issuer: info.Issuer, Serial: serial,
			NotBefore:   time.Unix(info.NotBefore, 0).UTC(),
			NotAfter:    time.Unix(info.NotAfter, 0).UTC(),
			ServerTrust: Trust(info.ServerTrust), EmailTrust: Trust(info.EmailTrust),
			DER: info.DER,
		}
		if info.HasServerDistrustAfter {
			r.ServerDistrustAfter = time.Unix(info.ServerDistrustAfter, 0).UTC()
		}
		out = append(out, r)
	}
	return out, nil
}
