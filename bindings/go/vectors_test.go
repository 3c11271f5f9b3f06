package trustbundle

import (
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The shared vectors (tests/vectors/verify.json, schema in its README): the
// same cases every language runs, with the same expected verdicts.

type vectorFile struct {
	Version   int               `json:"version"`
	DefaultAt string            `json:"default_at"`
	Cases     []json.RawMessage `json:"cases"`
}

type vectorCase struct {
	Name       string                     `json:"name"`
	Kind       string                     `json:"kind"`
	Chain      []string                   `json:"chain"`
	Host       *string                    `json:"host"`
	At         string                     `json:"at"`
	Purpose    string                     `json:"purpose"`
	Trust      map[string]json.RawMessage `json:"trust"`
	Cert       string                     `json:"cert"`
	Key        string                     `json:"key"`
	Passphrase *string                    `json:"passphrase"`
	Expect     struct {
		OK          *bool   `json:"ok"`
		Reason      string  `json:"reason"`
		Depth       *int    `json:"depth"`
		ChainLength *int    `json:"chain_length"`
		Match       *bool   `json:"match"`
		ClientAuth  *bool   `json:"client_auth"`
		Valid       *bool   `json:"valid"`
		Error       *string `json:"error"`
	} `json:"expect"`
}

func loadVectors(t *testing.T) []vectorCase {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "tests", "vectors", "verify.json"))
	if err != nil {
		if os.Getenv("TRUSTBUNDLE_REQUIRE_PKI") == "1" {
			t.Fatal(err)
		}
		t.Skip("tests/vectors/verify.json not found next to the module: ", err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 {
		t.Fatalf("verify.json version %d: this runner knows version 1", f.Version)
	}
	cases := make([]vectorCase, len(f.Cases))
	for i, raw := range f.Cases {
		if err := json.Unmarshal(raw, &cases[i]); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
	return cases
}

// outcome is what a verification said, in the vectors' terms.
type outcome struct {
	ok          bool
	reason      string
	depth       int
	chainLength int
}

func outcomeOf(t *testing.T, chain [][]byte, err error) outcome {
	t.Helper()
	if err == nil {
		return outcome{ok: true, reason: "OK", depth: -1, chainLength: len(chain)}
	}
	var ve *VerificationError
	if !errors.As(err, &ve) {
		t.Fatalf("not a verdict: %v", err)
	}
	if !errors.Is(err, reasonSentinels[ve.ReasonCode]) {
		t.Errorf("errors.Is(err, sentinel of %s) is false", ve.Reason)
	}
	if reasonSentinels[ve.ReasonCode].Error() != ve.Reason {
		t.Errorf("the sentinel of reason %d reads %q, the core says %q", ve.ReasonCode, reasonSentinels[ve.ReasonCode], ve.Reason)
	}
	return outcome{ok: false, reason: ve.Reason, depth: ve.Depth}
}

func TestVectors(t *testing.T) {
	cases := loadVectors(t)
	needPKI(t)
	kinds := map[string]int{}
	for _, c := range cases {
		c := c
		kinds[c.Kind]++
		t.Run(c.Name, func(t *testing.T) {
			if why, ok := pureGoDiffers[c.Name]; ok {
				runDifferingCase(t, c, why)
				return
			}
			switch c.Kind {
			case "verify":
				runVerifyCase(t, c)
			case "key_pair":
				runKeyPairCase(t, c)
			default:
				t.Fatalf("unknown kind %q: this runner cannot judge it", c.Kind)
			}
		})
	}
	if kinds["verify"] == 0 || kinds["key_pair"] == 0 {
		t.Errorf("vectors by kind %v: expected both verify and key_pair cases", kinds)
	}
	for name := range pureGoDiffers {
		found := false
		for _, c := range cases {
			found = found || c.Name == name
		}
		if !found {
			t.Errorf("pureGoDiffers lists %q, which is not a shared vector", name)
		}
	}
	t.Logf("ran %d shared vectors (%v), %d differing in this build as listed", len(cases), kinds, len(pureGoDiffers))
}

func vectorTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("at %q: %v", s, err)
	}
	return at
}

// runVerifyCase runs a case twice: (a) each chain file as one PEM element
// (a file may hold several certificates) with paths as CA sources, (b) each
// certificate as its own DER element with CA sources as bytes. Both must
// give the expected verdict.
func runVerifyCase(t *testing.T, c vectorCase) {
	opts := VerifyOptions{At: vectorTime(t, c.At)}
	if c.Host != nil {
		opts.Host = *c.Host
	} else {
		opts.NoHostCheck = true // the vector's null: no name check, said explicitly
	}
	switch c.Purpose {
	case "server":
		opts.Purpose = PurposeServer
	case "client":
		opts.Purpose = PurposeClient
	default:
		t.Fatalf("unknown purpose %q", c.Purpose)
	}
	var pemChain, derChain [][]byte
	for _, f := range c.Chain {
		b := readPKI(t, f)
		pemChain = append(pemChain, b)
		for rest := b; ; {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			derChain = append(derChain, block.Bytes)
		}
	}
	for _, mode := range []string{"pem-elements-paths", "der-elements-bytes"} {
		chain := pemChain
		if mode == "der-elements-bytes" {
			chain = derChain
		}
		verified, err := verifyWithTrust(t, c, chain, opts, mode == "der-elements-bytes")
		got := outcomeOf(t, verified, err)
		want := outcome{ok: *c.Expect.OK, reason: c.Expect.Reason, depth: *c.Expect.Depth}
		if c.Expect.ChainLength != nil {
			want.chainLength = *c.Expect.ChainLength
		}
		if got != want {
			t.Errorf("%s: got %+v (err %v), want %+v", mode, got, err, want)
		}
		var ve *VerificationError
		if errors.As(err, &ve) { // ci/test-go compares these lines between the cgo and pure-Go builds
			t.Logf("vector hint %s %s: %s", c.Name, mode, ve.Hint)
		}
		if err == nil {
			if len(verified) == 0 || string(verified[0]) != string(derChain[0]) {
				t.Errorf("%s: the verified chain does not start with the leaf", mode)
			}
		}
	}
}

func trustList(t *testing.T, raw json.RawMessage) []string {
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("trust list: %v", err)
	}
	return list
}

func trustString(t *testing.T, raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("trust value: %v", err)
	}
	return s
}

// sources are CA sources for the PKI files: paths, or their bytes.
func sources(t *testing.T, names []string, asBytes bool) []CASource {
	var out []CASource
	for _, n := range names {
		if asBytes {
			out = append(out, CAData(readPKI(t, n)).Named(n))
		} else {
			out = append(out, CAPath(pki(n)))
		}
	}
	return out
}

func storeVerify(t *testing.T, opts StoreOptions, chain [][]byte, vo VerifyOptions) ([][]byte, error) {
	t.Helper()
	s, err := NewStore(opts)
	if err != nil {
		t.Fatalf("NewStore: %v", err)
	}
	defer s.Close()
	return s.Verify(chain, vo)
}

func verifyWithTrust(t *testing.T, c vectorCase, chain [][]byte, opts VerifyOptions, alt bool) ([][]byte, error) {
	t.Helper()
	if len(c.Trust) > 1 {
		t.Fatalf("trust %v: more than one form", c.Trust)
	}
	if len(c.Trust) == 0 { // the default: Mozilla only (the variable is unset in TestMain)
		if alt {
			return storeVerify(t, StoreOptions{}, chain, opts)
		}
		return Verify(chain, opts)
	}
	for form, raw := range c.Trust {
		switch form {
		case "extra_ca":
			extra := sources(t, trustList(t, raw), alt)
			if alt {
				return storeVerify(t, StoreOptions{ExtraCA: extra}, chain, opts)
			}
			opts.ExtraCA = extra
			return Verify(chain, opts)
		case "roots":
			return storeVerify(t, StoreOptions{ExtraCA: sources(t, trustList(t, raw), alt), NoMozilla: true, IgnoreEnv: true}, chain, opts)
		case "env_extra_ca":
			abs, err := filepath.Abs(pki(trustString(t, raw)))
			if err != nil {
				t.Fatal(err)
			}
			t.Setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", abs) // restored when the subtest ends
			if alt {
				return storeVerify(t, StoreOptions{}, chain, opts)
			}
			return Verify(chain, opts)
		case "roots_certdata":
			return storeVerify(t, StoreOptions{ExtraCA: sources(t, []string{trustString(t, raw)}, alt), NoMozilla: true, IgnoreEnv: true}, chain, opts)
		default:
			t.Fatalf("unknown trust form %q: this runner cannot build that store", form)
		}
	}
	panic("unreachable")
}

func runKeyPairCase(t *testing.T, c vectorCase) {
	pass := ""
	if c.Passphrase != nil {
		pass = *c.Passphrase
	}
	check, err := CheckKeyPairAt(readPKI(t, c.Cert), readPKI(t, c.Key), pass, vectorTime(t, c.At))
	if c.Expect.Error != nil {
		var e *Error
		if !errors.As(err, &e) || e.Status != *c.Expect.Error {
			t.Fatalf("got %+v, %v; want an *Error with status %s", check, err, *c.Expect.Error)
		}
		if *c.Expect.Error == "PASSPHRASE" && !errors.Is(err, ErrPassphrase) {
			t.Errorf("errors.Is(err, ErrPassphrase) is false for %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if c.Expect.Match == nil || c.Expect.ClientAuth == nil || c.Expect.Valid == nil {
		t.Fatalf("expect has neither error nor match/client_auth/valid")
	}
	if check.Match != *c.Expect.Match || check.ClientAuth != *c.Expect.ClientAuth || check.Valid != *c.Expect.Valid {
		t.Errorf("got match=%v client_auth=%v valid=%v, want %v %v %v", check.Match, check.ClientAuth, check.Valid,
			*c.Expect.Match, *c.Expect.ClientAuth, *c.Expect.Valid)
	}
	if check.OK() != (check.Match && check.ClientAuth && check.Valid) {
		t.Errorf("OK() disagrees with its parts")
	}
}

// runDifferingCase checks a vector listed in pureGoDiffers: it must still
// fail with ErrUnsupported.
func runDifferingCase(t *testing.T, c vectorCase, why string) {
	var err error
	switch c.Kind {
	case "key_pair":
		_, err = CheckKeyPairAt(readPKI(t, c.Cert), readPKI(t, c.Key), "", vectorTime(t, c.At))
	default:
		var srcs []CASource
		for form, raw := range c.Trust {
			if form != "roots_certdata" {
				t.Fatalf("listed as differing (%s), but its trust form %q is one the pure-Go build supports: take it off the list", why, form)
			}
			srcs = append(srcs, CAPath(pki(trustString(t, raw))))
		}
		_, err = NewStore(StoreOptions{ExtraCA: srcs, NoMozilla: true, IgnoreEnv: true})
	}
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("listed as differing in the pure-Go build (%s), but got %v, not ErrUnsupported: update pureGoDiffers", why, err)
	}
	t.Logf("differs in the pure-Go build, as listed: %s", why)
}
