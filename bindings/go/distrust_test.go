package trustbundle

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The distrust-after constraint CACerts puts on roots, checked with the test
// PKI's distrusted root: the pool CACerts builds (newRootPool) from a root
// carrying the date of distrust-certdata.txt must accept a leaf issued before
// the date and reject one issued after it, as the core does for that certdata.

// certdataDistrustAfter reads CKA_NSS_SERVER_DISTRUST_AFTER (MULTILINE_OCTAL,
// "YYMMDDHHMMSSZ") from a certdata.txt.
func certdataDistrustAfter(t *testing.T, certdata string) time.Time {
	t.Helper()
	m := regexp.MustCompile(`CKA_NSS_SERVER_DISTRUST_AFTER MULTILINE_OCTAL\n((?:\\[0-7]{3})+)\nEND`).FindStringSubmatch(certdata)
	if m == nil {
		t.Fatal("no CKA_NSS_SERVER_DISTRUST_AFTER in the certdata")
	}
	var b strings.Builder
	for _, oct := range strings.Split(m[1], `\`)[1:] {
		v, err := strconv.ParseUint(oct, 8, 8)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteByte(byte(v))
	}
	d, err := time.Parse("060102150405Z", b.String())
	if err != nil {
		t.Fatalf("distrust-after %q: %v", b.String(), err)
	}
	return d
}

func parsePEMCert(t testing.TB, data []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block")
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDistrustAfterConstraint(t *testing.T) {
	needCore(t, "the test's distrust date comes from a certdata.txt CA source")
	needPKI(t)
	date := certdataDistrustAfter(t, string(readPKI(t, "distrust-certdata.txt")))
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC); !date.Equal(want) {
		t.Logf("note: distrust date %s (the README says %s)", date, want)
	}
	root := parsePEMCert(t, readPKI(t, "distrust/root.pem"))
	inter := x509.NewCertPool()
	inter.AddCert(parsePEMCert(t, readPKI(t, "distrust/intermediate.pem")))
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

	constrained := newRootPool([]Root{{Label: "Distrusted Test Root", ServerTrust: TrustTrusted, ServerDistrustAfter: date, DER: root.Raw}})
	unconstrained := newRootPool([]Root{{Label: "Distrusted Test Root", ServerTrust: TrustTrusted, DER: root.Raw}})

	for _, tc := range []struct {
		leaf          string
		pool          *x509.CertPool
		wantX509OK    bool
		certdataStore bool // also check the core with the certdata
	}{
		{"distrust/leaf-before.pem", constrained, true, true},
		{"distrust/leaf-after.pem", constrained, false, true},
		{"distrust/leaf-after.pem", unconstrained, true, false},
	} {
		leaf := parsePEMCert(t, readPKI(t, tc.leaf))
		_, err := leaf.Verify(x509.VerifyOptions{Roots: tc.pool, Intermediates: inter, CurrentTime: at,
			DNSName: "distrusted.example.test", KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if (err == nil) != tc.wantX509OK {
			t.Errorf("%s (constrained %v): crypto/x509 says %v, want ok=%v", tc.leaf, tc.pool == constrained, err, tc.wantX509OK)
		}
		if err != nil {
			var uae x509.UnknownAuthorityError
			if !errors.As(err, &uae) || !strings.Contains(err.Error(), "ROOT_DISTRUSTED") {
				t.Errorf("%s: crypto/x509 error %v: want an UnknownAuthorityError naming ROOT_DISTRUSTED", tc.leaf, err)
			}
		}
		if !tc.certdataStore {
			continue
		}
		store, err := NewStore(StoreOptions{ExtraCA: []CASource{CAPath(pki("distrust-certdata.txt"))}, NoMozilla: true, IgnoreEnv: true})
		if err != nil {
			t.Fatal(err)
		}
		_, verr := store.Verify([][]byte{readPKI(t, tc.leaf), readPKI(t, "distrust/intermediate.pem")},
			VerifyOptions{Host: "distrusted.example.test", At: at})
		store.Close()
		if (verr == nil) != tc.wantX509OK {
			t.Errorf("%s: the core says %v, crypto/x509 with the constraint says ok=%v", tc.leaf, verr, tc.wantX509OK)
		}
		if verr != nil && !errors.Is(verr, ErrRootDistrusted) {
			t.Errorf("%s: %v, want ErrRootDistrusted", tc.leaf, verr)
		}
	}
}

// The constraint function alone, at the boundary: notBefore equal to the
// date is still trusted (the rule is "after"), one second later is not.
func TestDistrustAfterBoundary(t *testing.T) {
	date := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	check := distrustAfter("Some Root", date)
	for _, tc := range []struct {
		notBefore time.Time
		ok        bool
	}{
		{date.Add(-time.Hour), true},
		{date, true},
		{date.Add(time.Second), false},
	} {
		err := check([]*x509.Certificate{{NotBefore: tc.notBefore}, {}})
		if (err == nil) != tc.ok {
			t.Errorf("notBefore %s: %v, want ok=%v", tc.notBefore, err, tc.ok)
		}
		if err != nil {
			var ve *VerificationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrRootDistrusted) || ve.Depth != 2 {
				t.Errorf("constraint error %#v: want a ROOT_DISTRUSTED VerificationError at depth 2", err)
			}
		}
	}
}

// Every embedded root with a distrust date is in the shared pool, with the
// constraint, and every root crypto/x509 can parse is in it.
func TestSharedPoolHasEveryRoot(t *testing.T) {
	roots, err := Roots()
	if err != nil {
		t.Fatal(err)
	}
	pool, err := CACerts()
	if err != nil {
		t.Fatal(err)
	}
	distrusted := 0
	for _, r := range roots {
		if _, err := x509.ParseCertificate(r.DER); err != nil {
			t.Errorf("root %q: crypto/x509 cannot parse it (%v): it is missing from CACerts", r.Label, err)
		}
		if !r.ServerDistrustAfter.IsZero() {
			distrusted++
		}
	}
	//lint:ignore SA1019 Subjects is the only way to count a pool's certificates
	if n := len(pool.Subjects()); n != len(roots) {
		t.Errorf("CACerts has %d certificates, the bundle %d roots", n, len(roots))
	}
	t.Logf("%d roots, %d with a server distrust-after date (constrained)", len(roots), distrusted)
}

// poolRoots (what the first CACerts call reads) agrees with Roots.
func TestPoolRootsMatchRoots(t *testing.T) {
	full, err := Roots()
	if err != nil {
		t.Fatal(err)
	}
	lean, err := poolRoots()
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != len(lean) {
		t.Fatalf("%d and %d roots", len(full), len(lean))
	}
	for i := range full {
		f, l := full[i], lean[i]
		if f.Label != l.Label || f.ServerTrust != l.ServerTrust || !f.ServerDistrustAfter.Equal(l.ServerDistrustAfter) || string(f.DER) != string(l.DER) {
			t.Errorf("root %d differs: %q / %q", i, f.Label, l.Label)
		}
	}
}
