package trustbundle

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/trustbundle/trustbundle/bindings/go/internal/native"
)

// CASource is one source of extra CAs: a file or directory path (CAPath), or
// certificates in memory (CAData). Wherever the package takes extra CAs it
// takes a list of these; an unreadable, empty or unparsable source is an
// error naming it, never ignored.
type CASource struct {
	path   string
	data   []byte
	name   string
	isPath bool
}

// CAPath is a CA source read from a file (a PEM bundle, a DER certificate,
// or an NSS certdata.txt whose server-trusted roots keep their distrust-after
// dates) or a directory (its *.pem, *.crt, *.cer, *.der and hash-named files).
func CAPath(path string) CASource { return CASource{path: path, isPath: true} }

// CAData is a CA source in memory: PEM (one or more certificates), DER, or
// the text of an NSS certdata.txt. The bytes are copied when used.
func CAData(data []byte) CASource { return CASource{data: data} }

// Named returns s with a name used in error messages for in-memory data.
func (s CASource) Named(name string) CASource {
	s.name = name
	return s
}

func (s CASource) String() string {
	if s.isPath {
		return s.path
	}
	if s.name != "" {
		return s.name
	}
	return fmt.Sprintf("CA data (%d bytes)", len(s.data))
}

func nativeSources(list []CASource, what string) []native.Source {
	out := make([]native.Source, len(list))
	for i, s := range list {
		if s.isPath {
			out[i] = native.Source{IsPath: true, Path: s.path}
			continue
		}
		name := s.name
		if name == "" {
			name = fmt.Sprintf("%s[%d] (bytes)", what, i)
		}
		out[i] = native.Source{Data: s.data, Name: name}
	}
	return out
}

// Purpose is what a verified certificate is for.
type Purpose int

// The purposes (trustbundle_purpose). The zero value is PurposeServer.
const (
	PurposeServer Purpose = Purpose(native.PurposeServer) // TLS server authentication
	PurposeClient Purpose = Purpose(native.PurposeClient) // TLS client authentication (mTLS)
)

func (p Purpose) String() string {
	switch p {
	case PurposeServer:
		return "server"
	case PurposeClient:
		return "client"
	default:
		return fmt.Sprintf("Purpose(%d)", int(p))
	}
}

// VerifyOptions says what a chain is checked for: a TLS server chain (the
// default purpose) for Host, against Mozilla's roots (plus
// TRUSTBUNDLE_EXTRA_CA_CERTS), now.
type VerifyOptions struct {
	// Host is a DNS name or an IP literal the leaf must be valid for. The
	// subject CN is never used as a name. A server chain needs a Host, or
	// NoHostCheck said explicitly: an empty Host alone is ErrInvalidArgument,
	// so a name lost on the way (u.Hostname() of a bad URL) cannot turn the
	// check off. A client chain (PurposeClient) has no name to check.
	Host string
	// NoHostCheck skips the name check of a server chain; Host must be "".
	NoHostCheck bool
	// At is the time to check at; the zero Time means now.
	At time.Time
	// Purpose is PurposeServer (the default) or PurposeClient.
	Purpose Purpose
	// ExtraCA are CAs trusted on top of Mozilla's, for the package-level
	// Verify. A Store takes its CAs in NewStore; Store.Verify rejects this.
	ExtraCA []CASource
}

func (o VerifyOptions) native() native.VerifyOptions {
	n := native.VerifyOptions{Host: o.Host, Purpose: int(o.Purpose)}
	if !o.At.IsZero() {
		n.HasTime = true
		n.Time = o.At.Unix()
	}
	return n
}

// StoreOptions says which anchors a Store holds. The zero value is Mozilla's
// roots plus TRUSTBUNDLE_EXTRA_CA_CERTS.
type StoreOptions struct {
	// ExtraCA are CAs added to Mozilla's roots.
	ExtraCA []CASource
	// NoMozilla leaves the embedded Mozilla roots out: only ExtraCA (and the
	// environment or system, if on) are trusted. For tests and private PKIs.
	NoMozilla bool
	// IgnoreEnv does not read TRUSTBUNDLE_EXTRA_CA_CERTS.
	IgnoreEnv bool
	// System adds the system store (SSL_CERT_FILE, SSL_CERT_DIR, else /etc/ssl/certs).
	System bool
}

// Store is a set of trust anchors: Mozilla's roots (parsed lazily, only when
// a verification needs one) plus extra CAs, made once and used for any number
// of verifications, from any number of goroutines. Close it when done; a
// finalizer frees it if it is forgotten, but Close is the contract.
type Store struct {
	mu sync.RWMutex
	h  *native.Store
}

// NewStore makes a Store. TRUSTBUNDLE_EXTRA_CA_CERTS is read now (unless
// opts.IgnoreEnv), and every source is read and parsed now: a bad one is an
// *Error naming it (ErrIO, ErrParse, ErrLimit).
func NewStore(opts StoreOptions) (*Store, error) {
	h, err := native.NewStore(!opts.NoMozilla, !opts.IgnoreEnv, opts.System, nativeSources(opts.ExtraCA, "ExtraCA"))
	if err != nil {
		return nil, fromNative(err)
	}
	s := &Store{h: h}
	runtime.SetFinalizer(s, (*Store).Close)
	return s, nil
}

// Close frees the store. Verifications running on other goroutines finish
// first; later calls fail. Closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.h != nil {
		s.h.Free()
		s.h = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

func (s *Store) closedError() error {
	return newError(native.StatusInvalidArgument, "the Store is closed")
}

// ExtraCount is the number of anchors besides Mozilla's roots (extra CAs,
// the environment, the system file).
func (s *Store) ExtraCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return 0
	}
	return s.h.ExtraCount()
}

// ExtraPEM returns the anchors besides Mozilla's roots as PEM (nil if none).
func (s *Store) ExtraPEM() []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return nil
	}
	return s.h.ExtraPEM()
}

// Verify checks a chain against the store; see the package-level Verify.
// opts.ExtraCA must be empty: a store's CAs are given to NewStore.
func (s *Store) Verify(chain [][]byte, opts VerifyOptions) ([][]byte, error) {
	if len(opts.ExtraCA) > 0 {
		return nil, newError(native.StatusInvalidArgument,
			"VerifyOptions.ExtraCA is for the package-level Verify: give a Store its CAs in NewStore")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.h == nil {
		return nil, s.closedError()
	}
	return verifyWith(s.h, chain, opts)
}

func verifyWith(h *native.Store, chain [][]byte, opts VerifyOptions) ([][]byte, error) {
	if opts.Purpose != PurposeClient && (opts.Host == "") != opts.NoHostCheck {
		if opts.NoHostCheck {
			return nil, newError(native.StatusInvalidArgument, "VerifyOptions: NoHostCheck with a Host ("+opts.Host+")")
		}
		return nil, newError(native.StatusInvalidArgument,
			"VerifyOptions.Host is empty: give the server's name, or set NoHostCheck to skip the name check")
	}
	r, err := h.Verify(chain, opts.native())
	if err != nil {
		return nil, fromNative(err)
	}
	if !r.OK {
		return nil, &VerificationError{
			Reason: r.ReasonName, ReasonCode: r.Reason, Depth: r.Depth, Message: r.Message,
			Hint: r.Hint, OpenSSLCode: r.OpenSSLCode, Host: opts.Host,
		}
	}
	return r.Chain, nil
}

// Verify checks a certificate chain and returns the verified chain, leaf
// first, trust anchor last, as DER.
//
// chain is the leaf first, then what the peer sent (intermediates, in any
// order), each PEM or DER; or a single element holding a whole PEM chain. The
// anchors are Mozilla's roots, opts.ExtraCA and TRUSTBUNDLE_EXTRA_CA_CERTS;
// for many verifications make a Store once instead.
//
// A rejected chain is a *VerificationError (errors.Is with ErrCertHasExpired,
// ErrUnableToGetIssuer, ...); malformed input or an unreadable CA source is an
// *Error (ErrParse, ErrIO, ErrLimit).
func Verify(chain [][]byte, opts VerifyOptions) ([][]byte, error) {
	h, err := native.NewStore(true, true, false, nativeSources(opts.ExtraCA, "ExtraCA"))
	if err != nil {
		return nil, fromNative(err)
	}
	defer h.Free()
	return verifyWith(h, chain, opts)
}

// KeyPairCheck is the result of CheckKeyPair.
type KeyPairCheck struct {
	Match      bool // the key is the certificate's private key
	ClientAuth bool // the certificate may be used for TLS client auth (its EKU allows clientAuth)
	Valid      bool // the check time is within NotBefore..NotAfter
	NotBefore  time.Time
	NotAfter   time.Time
}

// OK reports whether all three checks passed: usable as an mTLS client certificate.
func (c KeyPairCheck) OK() bool { return c.Match && c.ClientAuth && c.Valid }

// CheckKeyPair checks an mTLS client certificate (PEM or DER) against its
// private key (PEM, PKCS#8 encrypted or not, or DER), now. passphrase "" means
// none. A key that needs a passphrase, or a wrong one, is ErrPassphrase.
func CheckKeyPair(cert, key []byte, passphrase string) (KeyPairCheck, error) {
	return CheckKeyPairAt(cert, key, passphrase, time.Time{})
}

// CheckKeyPairAt is CheckKeyPair at a given time (the zero Time means now).
func CheckKeyPairAt(cert, key []byte, passphrase string, at time.Time) (KeyPairCheck, error) {
	var pass *string
	if passphrase != "" {
		pass = &passphrase
	}
	var seconds int64
	if !at.IsZero() {
		seconds = at.Unix()
	}
	c, err := native.CheckKeyPair(cert, key, pass, !at.IsZero(), seconds)
	if err != nil {
		return KeyPairCheck{}, fromNative(err)
	}
	return KeyPairCheck{
		Match: c.Match, ClientAuth: c.ClientAuth, Valid: c.Valid,
		NotBefore: time.Unix(c.NotBefore, 0).UTC(), NotAfter: time.Unix(c.NotAfter, 0).UTC(),
	}, nil
}

// ParseTime parses a time as the trustbundle command-line tools do: RFC 3339
// UTC ("2026-05-20T00:00:00Z", fractions floored) or decimal Unix seconds.
func ParseTime(text string) (time.Time, error) {
	s, err := native.TimeParse(text)
	if err != nil {
		return time.Time{}, fromNative(err)
	}
	return time.Unix(s, 0).UTC(), nil
}
