package trustbundle

import (
	"bytes"
	"crypto/x509"
	"fmt"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// VerifyCertificates is Verify for parsed certificates, such as
// tls.ConnectionState.PeerCertificates or x509.ParseCertificates' result:
// certs is the leaf first, then what the peer sent. It returns the verified
// chain, leaf first, trust anchor last; the given certificates are reused,
// the anchor is parsed.
func VerifyCertificates(certs []*x509.Certificate, opts VerifyOptions) ([]*x509.Certificate, error) {
	der, err := certificatesDER(certs)
	if err != nil {
		return nil, err
	}
	chain, err := Verify(der, opts)
	if err != nil {
		return nil, err
	}
	return parsedChain(chain, certs)
}

// VerifyCertificates is Store.Verify for parsed certificates; see the
// package-level VerifyCertificates.
func (s *Store) VerifyCertificates(certs []*x509.Certificate, opts VerifyOptions) ([]*x509.Certificate, error) {
	der, err := certificatesDER(certs)
	if err != nil {
		return nil, err
	}
	chain, err := s.Verify(der, opts)
	if err != nil {
		return nil, err
	}
	return parsedChain(chain, certs)
}

func certificatesDER(certs []*x509.Certificate) ([][]byte, error) {
	der := make([][]byte, len(certs))
	for i, c := range certs {
		if c == nil || len(c.Raw) == 0 {
			return nil, newError(native.StatusInvalidArgument, fmt.Sprintf("certificate %d is nil or has no Raw bytes", i))
		}
		der[i] = c.Raw
	}
	return der, nil
}

func parsedChain(chain [][]byte, given []*x509.Certificate) ([]*x509.Certificate, error) {
	out := make([]*x509.Certificate, len(chain))
next:
	for i, der := range chain {
		for _, c := range given {
			if bytes.Equal(c.Raw, der) {
				out[i] = c
				continue next
			}
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, newError(native.StatusParse, fmt.Sprintf("verified chain element %d: crypto/x509 cannot parse it: %v", i, err))
		}
		out[i] = c
	}
	return out, nil
}
