//go:build cgo

package native

import (
	"bytes"
	"testing"

	"github.com/trustbundle/trustbundle/core"
)

// The names the pure-Go build gives (abi.go) are the core's.
func TestNamesMatchCore(t *testing.T) {
	for code, name := range statusNames {
		if code == StatusUnsupported {
			continue // the pure-Go build's own
		}
		if got := StatusName(code); got != name {
			t.Errorf("status %d: the core says %q, abi.go %q", code, got, name)
		}
	}
	for code, name := range reasonNames {
		if got := ReasonName(code); got != name {
			t.Errorf("reason %d: the core says %q, abi.go %q", code, got, name)
		}
	}
	if got := ReasonName(len(reasonNames)); got != "UNKNOWN" {
		t.Errorf("the core has reason %d (%q), which abi.go lacks", len(reasonNames), got)
	}
}

// The generated files the pure-Go build embeds say what the core says:
// the same PEM, the same roots with the same metadata, in the same order.
func TestManifestMatchesCore(t *testing.T) {
	pem, err := BundlePEM()
	if err != nil || string(pem) != core.CACertPEM {
		t.Fatalf("core/data/cacert.pem is not the core's bundle PEM (%v)", err)
	}
	b, err := loadBundle()
	if err != nil {
		t.Fatal(err)
	}
	if b.nss != BundleNSSVersion() || b.asOf != BundleAsOf() || len(b.roots) != RootCount() {
		t.Fatalf("manifest %s/%d/%d roots, core %s/%d/%d", b.nss, b.asOf, len(b.roots), BundleNSSVersion(), BundleAsOf(), RootCount())
	}
	for i, m := range b.roots {
		c, err := RootGet(i)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.DER, c.DER) {
			t.Errorf("root %d %q: DER differs", i, c.Label)
		}
		m.DER, c.DER = nil, nil
		if !equalInfo(m, c) {
			t.Errorf("root %d: manifest %+v, core %+v", i, m, c)
		}
	}
}

func equalInfo(a, b RootInfo) bool {
	return a.Label == b.Label && a.SHA256Hex == b.SHA256Hex && a.SHA1Hex == b.SHA1Hex && a.Subject == b.Subject &&
		a.Issuer == b.Issuer && a.Serial == b.Serial && a.NotBefore == b.NotBefore && a.NotAfter == b.NotAfter &&
		a.ServerTrust == b.ServerTrust && a.EmailTrust == b.EmailTrust &&
		a.HasServerDistrustAfter == b.HasServerDistrustAfter && a.ServerDistrustAfter == b.ServerDistrustAfter
}
