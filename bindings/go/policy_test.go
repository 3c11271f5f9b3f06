package trustbundle

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"
)

// Rules of the core's that crypto/x509 does not apply by itself; the
// pure-Go build adds them. Both builds must give these verdicts.

type testCA struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var policyAt = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func issue(t *testing.T, parent *testCA, key crypto.Signer, tmpl *x509.Certificate) *testCA {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = policyAt.AddDate(-1, 0, 0), policyAt.AddDate(1, 0, 0)
	signerCert, signerKey := tmpl, key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, key.Public(), signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: c, key: key}
}

func ecKey(t *testing.T) crypto.Signer {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func caTemplate(name string, usage x509.KeyUsage) *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true, KeyUsage: usage}
}

func leafTemplate() *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: "policy.example.test"}, DNSNames: []string{"policy.example.test"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
}

func wantVerdict(t *testing.T, what string, err error, reason error, depth int) {
	t.Helper()
	var ve *VerificationError
	if !errors.Is(err, reason) || !errors.As(err, &ve) || ve.Depth != depth {
		t.Errorf("%s: got %v, want %v at depth %d", what, err, reason, depth)
	}
}

func TestPolicyBeyondX509(t *testing.T) {
	root := issue(t, nil, ecKey(t), caTemplate("Policy Test Root", x509.KeyUsageCertSign|x509.KeyUsageCRLSign))
	opts := VerifyOptions{Host: "policy.example.test", At: policyAt, ExtraCA: []CASource{CAData(root.cert.Raw)}}

	// A CA whose keyUsage lacks keyCertSign cannot issue (INVALID_CA).
	noSign := issue(t, root, ecKey(t), caTemplate("No keyCertSign CA", x509.KeyUsageDigitalSignature))
	leaf := issue(t, noSign, ecKey(t), leafTemplate())
	_, err := Verify([][]byte{leaf.cert.Raw, noSign.cert.Raw}, opts)
	wantVerdict(t, "intermediate without keyCertSign", err, ErrInvalidCA, 1)

	// An intermediate given as an extra CA is not an anchor (no partial chains).
	inter := issue(t, root, ecKey(t), caTemplate("Policy Test Intermediate", x509.KeyUsageCertSign))
	leaf = issue(t, inter, ecKey(t), leafTemplate())
	partial := opts
	partial.ExtraCA = []CASource{CAData(inter.cert.Raw)}
	_, err = Verify([][]byte{leaf.cert.Raw}, partial)
	wantVerdict(t, "intermediate as the only extra CA", err, ErrUnableToGetIssuer, 1)
	if _, err := Verify([][]byte{leaf.cert.Raw, inter.cert.Raw}, opts); err != nil {
		t.Errorf("the same chain up to the root: %v", err)
	}

	// RSA under 2048 bits is under the 112-bit floor.
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	leaf = issue(t, inter, weak, leafTemplate())
	_, err = Verify([][]byte{leaf.cert.Raw, inter.cert.Raw}, opts)
	wantVerdict(t, "RSA-1024 leaf", err, ErrWeakKeyOrSignature, 0)

	// Host names the core refuses before any verification.
	for _, host := range []string{".policy.example.test", "policy..example.test", "policy.example.test\x00"} {
		o := opts
		o.Host = host
		if _, err := Verify([][]byte{leaf.cert.Raw, inter.cert.Raw}, o); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("host %q: %v", host, err)
		}
	}
}
