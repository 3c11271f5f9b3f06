package trustbundle

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// envExtraCA is the variable the core reads for extra CAs.
const envExtraCA = "TRUSTBUNDLE_EXTRA_CA_CERTS"

// The Mozilla part of CACerts: parsed once per process, never modified,
// cloned for every caller.
var mozillaPool struct {
	once sync.Once
	pool *x509.CertPool
	err  error
}

func sharedPool() (*x509.CertPool, error) {
	mozillaPool.once.Do(func() {
		roots, err := poolRoots()
		if err != nil {
			mozillaPool.err = err
			return
		}
		mozillaPool.pool = newRootPool(roots)
	})
	return mozillaPool.pool, mozillaPool.err
}

// poolRoots is Roots with only what newRootPool reads (Label, ServerTrust,
// ServerDistrustAfter, DER): the first CACerts call converts no more.
func poolRoots() ([]Root, error) {
	n := native.RootCount()
	out := make([]Root, n)
	for i := range out {
		a, err := native.RootAnchor(i)
		if err != nil {
			return nil, fromNative(err)
		}
		out[i] = Root{Label: a.Label, ServerTrust: Trust(a.ServerTrust), DER: a.DER}
		if a.HasServerDistrustAfter {
			out[i].ServerDistrustAfter = time.Unix(a.ServerDistrustAfter, 0).UTC()
		}
	}
	return out, nil
}

// newRootPool is a pool of the roots trusted for TLS servers. A root with a
// server distrust-after date carries it as a constraint (AddCertWithConstraint,
// as the standard library's fallback roots do): a chain through it is
// rejected when its leaf's notBefore is after the date. A root crypto/x509
// cannot parse is left out (it could not anchor a chain in crypto/x509
// anyway); the tests check that every embedded root parses.
func newRootPool(roots []Root) *x509.CertPool {
	pool := x509.NewCertPool()
	for _, r := range roots {
		if r.ServerTrust != TrustTrusted {
			continue
		}
		cert, err := x509.ParseCertificate(r.DER)
		if err != nil {
			continue
		}
		if r.ServerDistrustAfter.IsZero() {
			pool.AddCert(cert)
		} else {
			pool.AddCertWithConstraint(cert, distrustAfter(r.Label, r.ServerDistrustAfter))
		}
	}
	return pool
}

// distrustAfter is the constraint of a root distrusted for TLS server
// certificates issued after date: the core's ROOT_DISTRUSTED rule (the leaf's
// notBefore is after the date). crypto/x509 passes the chain without the
// root, leaf first.
func distrustAfter(label string, date time.Time) func([]*x509.Certificate) error {
	return func(chain []*x509.Certificate) error {
		if len(chain) == 0 || !chain[0].NotBefore.After(date) {
			return nil
		}
		return &VerificationError{
			Reason:     native.ReasonName(native.ReasonRootDistrusted),
			ReasonCode: native.ReasonRootDistrusted,
			Depth:      len(chain),
			Message: fmt.Sprintf("the root %q is distrusted for certificates issued after %s; the leaf's notBefore is %s",
				label, date.Format(time.RFC3339), chain[0].NotBefore.UTC().Format(time.RFC3339)),
			Hint: "Mozilla no longer trusts new certificates from this CA: the server needs a certificate from another CA",
		}
	}
}

// extraCerts returns the certificates of the extra sources and of
// TRUSTBUNDLE_EXTRA_CA_CERTS, read now, through the core (so they are read,
// checked and named in errors exactly as for a Store).
func extraCerts(extra []CASource) ([]*x509.Certificate, error) {
	if len(extra) == 0 && os.Getenv(envExtraCA) == "" {
		// Nothing to read (the core ignores an unset or empty variable too).
		// Skipping the core here keeps OpenSSL's start-up (~1 ms: config,
		// providers) out of a pool that only needs Mozilla's roots.
		return nil, nil
	}
	h, err := native.NewStore(true, true, false, nativeSources(extra, "extra"))
	if err != nil {
		return nil, fromNative(err)
	}
	data := h.ExtraPEM()
	h.Free()
	var certs []*x509.Certificate
	for i := 0; len(data) > 0; i++ {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, newError(native.StatusParse, fmt.Sprintf("extra CA %d: OpenSSL accepts it but crypto/x509 does not: %v", i, err))
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// CACerts returns a pool of Mozilla's roots plus extra CAs: the given sources
// and TRUSTBUNDLE_EXTRA_CA_CERTS (read at each call). Use it as
// tls.Config.RootCAs or x509.VerifyOptions.Roots.
//
// Mozilla's roots are parsed once per process and shared; each call returns
// its own clone, which the caller may modify. Roots with a server
// distrust-after date reject chains whose leaf was issued after it. Extra CAs
// carry no such constraint (a certdata.txt source's dates are kept by a
// Store, not by a pool).
func CACerts(extra ...CASource) (*x509.CertPool, error) {
	base, err := sharedPool()
	if err != nil {
		return nil, err
	}
	certs, err := extraCerts(extra)
	if err != nil {
		return nil, err
	}
	pool := base.Clone()
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}
