package trustbundle

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

func TestVersions(t *testing.T) {
	if got := LibraryVersion(); got != native.VersionString {
		t.Errorf("LibraryVersion %q, header %q", got, native.VersionString)
	}
	if !regexp.MustCompile(`^\d+\.\d+/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`).MatchString(BundleVersion()) {
		t.Errorf("BundleVersion %q", BundleVersion())
	}
	want := BundleNSSVersion() + "/" + BundleAsOf().Format(time.RFC3339)
	if BundleVersion() != want {
		t.Errorf("BundleVersion %q, NSS version + as_of %q", BundleVersion(), want)
	}
}

func TestBundleAgeDays(t *testing.T) {
	asOf := BundleAsOf()
	day := 24 * time.Hour
	for _, c := range []struct {
		at   time.Time
		want int
	}{
		{asOf, 0}, {asOf.Add(-3 * day), 0}, {asOf.Add(181*day - time.Second), 180}, {asOf.Add(181 * day), 181},
	} {
		if got := BundleAgeDays(c.at); got != c.want {
			t.Errorf("BundleAgeDays(%v) = %d, want %d", c.at, got, c.want)
		}
	}
	if got, want := BundleAgeDays(time.Now()), max(0, int(time.Since(asOf)/day)); got != want {
		t.Errorf("BundleAgeDays(now) = %d, want %d", got, want)
	}
}

func TestPEMIsTheCommittedBundle(t *testing.T) {
	p := PEM()
	if !bytes.HasPrefix(p, []byte("\n# Issuer: ")) && !bytes.HasPrefix(p, []byte("# Issuer: ")) {
		t.Errorf("PEM starts with %q", p[:min(40, len(p))])
	}
	if n := bytes.Count(p, []byte("-----BEGIN CERTIFICATE-----")); n != native.RootCount() {
		t.Errorf("PEM has %d certificates, RootCount %d", n, native.RootCount())
	}
	p[0] ^= 0xff // the caller's copy
	if bytes.Equal(p, PEM()) {
		t.Error("PEM returns shared memory")
	}
	committed, err := os.ReadFile(filepath.Join(repoRoot, "core", "data", "cacert.pem"))
	if err != nil {
		t.Skip("core/data/cacert.pem not next to the module: ", err)
	}
	if !bytes.Equal(PEM(), committed) {
		t.Error("PEM() differs from core/data/cacert.pem (is core/data/bundle_data.inc regenerated with the rest? ci/regenerate-data)")
	}
}

func TestWhereUnderUserCacheDir(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", xdg)
	userCache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	path, err := Where()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(path, filepath.Join(userCache, "trustbundle")+string(filepath.Separator)) || filepath.Base(path) != "cacert.pem" {
		t.Errorf("Where %q is not under %s/trustbundle", path, userCache)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(data, PEM()) {
		t.Fatalf("Where's file does not hold PEM(): %v", err)
	}
	// The same file the core's own default picks (and every other package).
	if core, err := native.Materialize(""); err != nil || core != path {
		t.Errorf("core default %q (%v), Where %q", core, err, path)
	}
	// Reused while intact, repaired when damaged.
	info1, _ := os.Stat(path)
	if again, err := Where(); err != nil || again != path {
		t.Fatalf("second Where: %q, %v", again, err)
	}
	info2, _ := os.Stat(path)
	if !os.SameFile(info1, info2) {
		t.Error("an intact file was rewritten")
	}
	if err := os.WriteFile(path, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Where(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, PEM()) {
		t.Error("a damaged file was not replaced")
	}
}

func TestWhereConcurrent(t *testing.T) {
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", t.TempDir())
	var wg sync.WaitGroup
	paths := make([]string, 8)
	errs := make([]error, 8)
	for i := range paths {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			paths[i], errs[i] = Where()
		}(i)
	}
	wg.Wait()
	for i := range paths {
		if errs[i] != nil || paths[i] != paths[0] {
			t.Fatalf("goroutine %d: %q, %v", i, paths[i], errs[i])
		}
	}
}

func TestWhereUnwritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", blocker) // a file where a directory must go
	_, err := Where()
	var e *Error
	if !errors.Is(err, ErrIO) || !errors.As(err, &e) || e.Status != "IO" || !strings.Contains(e.Message, blocker) {
		t.Fatalf("got %v, want an IO *Error naming %s", err, blocker)
	}
}

func TestCapath(t *testing.T) {
	needCore(t, "Capath needs OpenSSL's subject hashes")
	t.Setenv("TRUSTBUNDLE_CACHE_DIR", t.TempDir())
	dir, err := Capath()
	if err != nil {
		t.Fatal(err)
	}
	where, _ := Where()
	if filepath.Dir(dir) != filepath.Dir(where) || filepath.Base(dir) != "capath" {
		t.Errorf("Capath %q is not beside %q", dir, where)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != native.RootCount() {
		t.Errorf("%d files, %d roots", len(entries), native.RootCount())
	}
	for _, e := range entries {
		if !regexp.MustCompile(`^[0-9a-f]{8}\.\d+$`).MatchString(e.Name()) {
			t.Errorf("file %q is not hash-named", e.Name())
		}
	}
}

func TestRoots(t *testing.T) {
	roots, err := Roots()
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != native.RootCount() || len(roots) < 100 {
		t.Fatalf("%d roots", len(roots))
	}
	for _, r := range roots {
		s256 := sha256.Sum256(r.DER)
		s1 := sha1.Sum(r.DER)
		if hex.EncodeToString(s256[:]) != r.SHA256 || hex.EncodeToString(s1[:]) != r.SHA1 {
			t.Errorf("%s: fingerprints do not match the DER", r.Label)
		}
		c, err := x509.ParseCertificate(r.DER)
		if err != nil {
			t.Errorf("%s: %v", r.Label, err)
			continue
		}
		if c.SerialNumber.Cmp(r.Serial) != 0 || !c.NotBefore.Equal(r.NotBefore) || !c.NotAfter.Equal(r.NotAfter) {
			t.Errorf("%s: serial/validity differ from the certificate", r.Label)
		}
		if r.Label == "" || r.Subject == "" || r.ServerTrust != TrustTrusted || r.ServerTrust.String() != "trusted" {
			t.Errorf("root %+v", r)
		}
	}
	// The caller owns what it gets.
	roots[0].DER[0] ^= 0xff
	again, _ := Roots()
	if again[0].DER[0] == roots[0].DER[0] {
		t.Error("Roots returns shared DER")
	}
}

func TestReasonSentinelsCoverTheCore(t *testing.T) {
	const last = native.ReasonVerifyBudgetExceeded
	for code := native.ReasonUnableToGetIssuer; code <= last; code++ {
		s, ok := reasonSentinels[code]
		if !ok {
			t.Errorf("reason %d (%s) has no sentinel", code, native.ReasonName(code))
			continue
		}
		if s.Error() != native.ReasonName(code) {
			t.Errorf("sentinel %q for reason %d, the core calls it %q", s, code, native.ReasonName(code))
		}
		err := error(&VerificationError{Reason: native.ReasonName(code), ReasonCode: code})
		if !errors.Is(err, s) || (code != native.ReasonCertHasExpired && errors.Is(err, ErrCertHasExpired)) {
			t.Errorf("errors.Is on reason %d", code)
		}
	}
	if native.ReasonName(last+1) != "UNKNOWN" {
		t.Errorf("the core has a reason after %s (%s): add its sentinel", native.ReasonName(last), native.ReasonName(last+1))
	}
	for code := native.StatusInvalidArgument; code >= native.StatusPassphrase; code-- {
		if statusSentinels[code] == nil {
			t.Errorf("status %d (%s) has no sentinel", code, native.StatusName(code))
		}
	}
	if native.StatusName(native.StatusPassphrase-1) != "UNKNOWN" {
		t.Errorf("the core has a status after PASSPHRASE: add its sentinel")
	}
}

func TestInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chain [][]byte
		want  error
	}{
		{"garbage", [][]byte{[]byte("not a certificate")}, ErrParse},
		{"empty element", [][]byte{{}}, ErrParse},
		{"no certificates", nil, ErrInvalidArgument},
		{"PEM without a certificate", [][]byte{[]byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")}, ErrParse},
		{"too many", bytes.Split(bytes.Repeat([]byte("x,"), native.MaxChainCerts+1), []byte(",")), ErrLimit},
		{"too big", [][]byte{make([]byte, native.MaxInputBytes+1)}, ErrLimit},
	} {
		_, err := Verify(tc.chain, VerifyOptions{NoHostCheck: true})
		var e *Error
		if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.Message == "" {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	roots, _ := Roots()
	if _, err := Verify([][]byte{roots[0].DER}, VerifyOptions{Purpose: Purpose(7), NoHostCheck: true}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("bad purpose: %v", err)
	}
	if _, err := ParseTime("yesterday"); !errors.Is(err, ErrParse) {
		t.Errorf("ParseTime: %v", err)
	}
	if at, err := ParseTime("1779235200"); err != nil || !at.Equal(time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseTime unix seconds: %v %v", at, err)
	}
}

func TestCASourceErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.pem")
	for _, tc := range []struct {
		src  CASource
		want error
		name string
	}{
		{CAPath(missing), ErrIO, missing},
		{CAData([]byte("junk")), ErrParse, "ExtraCA[0]"},
		{CAData([]byte("junk")).Named("corp CA"), ErrParse, "corp CA"},
		{CAData(nil), ErrParse, "ExtraCA[0]"},
		{CAPath(""), ErrInvalidArgument, ""},
	} {
		_, err := NewStore(StoreOptions{ExtraCA: []CASource{tc.src}})
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("NewStore(%v): %v, want %v naming %q", tc.src, err, tc.want, tc.name)
		}
		if _, err := CACerts(tc.src); !errors.Is(err, tc.want) {
			t.Errorf("CACerts(%v): %v, want %v", tc.src, err, tc.want)
		}
		if _, err := Verify([][]byte{[]byte("x")}, VerifyOptions{ExtraCA: []CASource{tc.src}}); !errors.Is(err, tc.want) {
			t.Errorf("Verify ExtraCA %v: %v, want %v", tc.src, err, tc.want)
		}
	}
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", missing)
	if _, err := CACerts(); !errors.Is(err, ErrIO) || !strings.Contains(err.Error(), "TRUSTBUNDLE_EXTRA_CA_CERTS") {
		t.Errorf("CACerts with a missing TRUSTBUNDLE_EXTRA_CA_CERTS: %v", err)
	}
	if _, err := NewStore(StoreOptions{IgnoreEnv: true}); err != nil {
		t.Errorf("IgnoreEnv still reads the variable: %v", err)
	}
	if _, err := NewStore(StoreOptions{NoMozilla: true, IgnoreEnv: true}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("an empty store: %v", err)
	}
}

func TestCACertsClonesAndExtras(t *testing.T) {
	needPKI(t)
	a, err := CACerts()
	if err != nil {
		t.Fatal(err)
	}
	b, err := CACerts()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("CACerts returned the same pool twice")
	}
	root := parsePEMCert(t, readPKI(t, "root.pem"))
	a.AddCert(root)
	//lint:ignore SA1019 counting
	na, nb := len(a.Subjects()), len(b.Subjects())
	if na != nb+1 {
		t.Errorf("after adding to one clone: %d and %d certificates", na, nb)
	}
	c, _ := CACerts()
	//lint:ignore SA1019 counting
	if len(c.Subjects()) != nb {
		t.Error("modifying a returned pool changed the shared one")
	}

	// The environment is read at each call.
	t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", pki("root.pem"))
	d, err := CACerts()
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 counting
	if len(d.Subjects()) != nb+1 {
		t.Errorf("TRUSTBUNDLE_EXTRA_CA_CERTS not added (%d certificates)", len(d.Subjects()))
	}
	// Sources: a directory, PEM bytes, DER bytes, additively.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "untrusted-root.pem"), readPKI(t, "untrusted/root.pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := CACerts(CAPath(dir), CAData(readPKI(t, "distrust/root.pem")), CAData(parsePEMCert(t, readPKI(t, "intermediate.pem")).Raw))
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 counting
	if len(e.Subjects()) != nb+4 {
		t.Errorf("extras: %d certificates, want %d", len(e.Subjects()), nb+4)
	}
}

func TestStoreLifecycle(t *testing.T) {
	needPKI(t)
	s, err := NewStore(StoreOptions{ExtraCA: []CASource{CAPath(pki("root.pem"))}, IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.ExtraCount() != 1 || !bytes.Contains(s.ExtraPEM(), []byte("BEGIN CERTIFICATE")) {
		t.Errorf("ExtraCount %d, ExtraPEM %q", s.ExtraCount(), s.ExtraPEM())
	}
	chain := [][]byte{readPKI(t, "valid/leaf.pem"), readPKI(t, "valid/intermediate.pem")}
	opts := VerifyOptions{Host: "a.example.test", At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := s.Verify(chain, VerifyOptions{ExtraCA: []CASource{CAPath(pki("root.pem"))}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Store.Verify with ExtraCA: %v", err)
	}

	// One store, many goroutines (run with -race).
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			o := opts
			if i%2 == 1 {
				o.Host = "wrong.example.test"
			}
			_, err := s.Verify(chain, o)
			if (i%2 == 0 && err != nil) || (i%2 == 1 && !errors.Is(err, ErrHostnameMismatch)) {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Verify: %v", err)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Verify(chain, opts); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Verify after Close: %v", err)
	}
	if s.ExtraCount() != 0 || s.ExtraPEM() != nil {
		t.Error("a closed store reports anchors")
	}
}

func TestCheckKeyPairInputs(t *testing.T) {
	needCore(t, "CheckKeyPair")
	needPKI(t)
	cert := readPKI(t, "mtls/client.pem")
	key := readPKI(t, "mtls/client.key")
	now, err := CheckKeyPair(cert, key, "")
	if err != nil || !now.Match || !now.ClientAuth {
		t.Fatalf("CheckKeyPair: %+v %v", now, err)
	}
	if now.NotBefore.IsZero() || !now.NotAfter.After(now.NotBefore) {
		t.Errorf("validity %v .. %v", now.NotBefore, now.NotAfter)
	}
	// DER certificate.
	der := parsePEMCert(t, cert).Raw
	if c, err := CheckKeyPairAt(der, key, "", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil || !c.OK() {
		t.Errorf("DER certificate: %+v %v", c, err)
	}
	if _, err := CheckKeyPair(cert, []byte("not a key"), ""); !errors.Is(err, ErrParse) {
		t.Errorf("bad key: %v", err)
	}
	if _, err := CheckKeyPair(cert, readPKI(t, "mtls/client-encrypted.key"), ""); !errors.Is(err, ErrPassphrase) {
		t.Errorf("encrypted key without passphrase: %v", err)
	}
}

func TestFinalizerFreesForgottenStores(t *testing.T) {
	// Not a proof, a smoke test: forgotten stores are collectable and their
	// finalizers run without crashing.
	for i := 0; i < 50; i++ {
		if _, err := NewStore(StoreOptions{IgnoreEnv: true}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		runtimeGC()
	}
}

func runtimeGC() {
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
}

// A NUL byte would cut a C string short: a host "a.example.test\x00.evil"
// must not be checked as "a.example.test".
func TestNULBytesRejected(t *testing.T) {
	roots, _ := Roots()
	chain := [][]byte{roots[0].DER}
	if _, err := Verify(chain, VerifyOptions{Host: "a.example.test\x00.evil"}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("host with NUL: %v", err)
	}
	if _, err := NewStore(StoreOptions{ExtraCA: []CASource{CAPath("/etc/ssl\x00/x")}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("path with NUL: %v", err)
	}
	if _, err := CheckKeyPair(roots[0].DER, []byte("k"), "pass\x00word"); !errors.Is(err, ErrInvalidArgument) { // both builds
		t.Errorf("passphrase with NUL: %v", err)
	}
	if _, err := ParseTime("1\x002"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("time with NUL: %v", err)
	}
}

// The name check is skipped only when asked: an empty Host alone is an
// error (issue 15, item 7), NoHostCheck with a Host is contradictory, and a
// client chain has no name to check.
func TestEmptyHostIsNotANameCheckOff(t *testing.T) {
	chain := [][]byte{readPKI(t, "valid/leaf.pem"), readPKI(t, "valid/intermediate.pem")}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	extra := []CASource{CAPath(pki("root.pem"))}
	if _, err := Verify(chain, VerifyOptions{At: at, ExtraCA: extra}); !errors.Is(err, ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "NoHostCheck") {
		t.Errorf("empty Host: %v, want ErrInvalidArgument naming NoHostCheck", err)
	}
	if _, err := Verify(chain, VerifyOptions{Host: "a.example.test", NoHostCheck: true, At: at, ExtraCA: extra}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Host and NoHostCheck: %v, want ErrInvalidArgument", err)
	}
	if got, err := Verify(chain, VerifyOptions{NoHostCheck: true, At: at, ExtraCA: extra}); err != nil || len(got) != 3 {
		t.Errorf("NoHostCheck: %d certificates, %v", len(got), err)
	}
	client := [][]byte{readPKI(t, "mtls/client.pem"), readPKI(t, "intermediate.pem")}
	if got, err := Verify(client, VerifyOptions{Purpose: PurposeClient, At: at, ExtraCA: extra}); err != nil || len(got) != 3 {
		t.Errorf("client chain without a Host: %d certificates, %v", len(got), err)
	}
}
